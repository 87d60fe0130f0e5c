"""Where personal data lives, so an individual's rights (export, deletion) reach every table.

Apps register each model that holds personal data once, usually from their AppConfig.ready::

    from yuanqu.accounts.personal_data import register
    register("leads.LeadNote", mobile_fields=["mobile"], name_fields=[],
             erase_fields=["mobile", "text"], scrub_fields=["text"])

- mobile_fields: fields compared with the person's mobile (E.164 as stored, or national digits).
- name_fields: fields holding the person's name; the names found on the person's rows are
  then cut out of every scrub field in every registered table.
- link_field: a ForeignKey to an already registered model (e.g. "lead"): rows linked to a
  matching row match too.
- erase_fields: blanked on matching rows ("" or None); `anonymised_at` is set when the model has it.
- scrub_fields: free-text fields searched in every row; the mobile and the names are cut out.
- erase_values: extra values set on erased rows (e.g. {"status": "unsubscribed"}).
- delete_rows: delete matching rows instead of blanking them (rows that mean nothing
  without the person, such as a subscription).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

REDACTED = "[已删除]"


@dataclass(frozen=True)
class Holder:
    model_label: str
    mobile_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()
    link_field: str = ""
    erase_fields: tuple[str, ...] = ()
    scrub_fields: tuple[str, ...] = ()
    export_fields: tuple[str, ...] = field(default=())
    erase_values: tuple[tuple[str, Any], ...] = ()
    delete_rows: bool = False
    # Called (in the erasing transaction) with the ids of the rows changed, for copies the
    # app keeps elsewhere, e.g. a search index entry built from those fields.
    on_erase: Callable[[list[int]], None] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


_registry: dict[str, Holder] = {}


def register(
    model_label: str,
    *,
    mobile_fields: Iterable[str] = (),
    name_fields: Iterable[str] = (),
    link_field: str = "",
    erase_fields: Iterable[str] = (),
    scrub_fields: Iterable[str] = (),
    export_fields: Iterable[str] = (),
    erase_values: dict[str, Any] | None = None,
    delete_rows: bool = False,
    on_erase: Callable[[list[int]], None] | None = None,
) -> None:
    _registry[model_label] = Holder(
        model_label=model_label,
        mobile_fields=tuple(mobile_fields),
        name_fields=tuple(name_fields),
        link_field=link_field,
        erase_fields=tuple(erase_fields),
        scrub_fields=tuple(scrub_fields),
        export_fields=tuple(export_fields),
        erase_values=tuple((erase_values or {}).items()),
        delete_rows=delete_rows,
        on_erase=on_erase,
    )


def holders() -> list[Holder]:
    return list(_registry.values())


def holder_for(model_label: str) -> Holder | None:
    return _registry.get(model_label)


# Lead fields that hold personal data; optional ones are included when the model has them.
LEAD_PERSONAL_FIELDS = ("company", "contact_name", "mobile", "need_text", "consent_ip")
LEAD_OPTIONAL_PERSONAL_FIELDS = ("email", "contact_email", "wechat", "phone", "contact_phone")


def _reindex_leads(lead_ids: list[int]) -> None:
    """An erased lead's search entry (company, need text) goes once the erasure commits."""
    from yuanqu.leads.search_index import leads_index_on_commit

    leads_index_on_commit(lead_ids=lead_ids)


def register_lead() -> None:
    from yuanqu.leads.models import Lead

    present = {f.name for f in Lead._meta.concrete_fields}
    optional = [name for name in LEAD_OPTIONAL_PERSONAL_FIELDS if name in present]
    register(
        "leads.Lead",
        mobile_fields=["mobile", *[name for name in ("phone", "contact_phone") if name in present]],
        name_fields=["contact_name"],
        erase_fields=[*LEAD_PERSONAL_FIELDS, *optional],
        scrub_fields=["need_text", "intended_use"],
        export_fields=[
            "reference",
            "created_at",
            "company",
            "contact_name",
            "mobile",
            *optional,
            "need_text",
            "kind",
            "deal",
            "intended_use",
            "status",
            "consent_version",
            "consent_at",
            "source_page",
            "anonymised_at",
        ],
        on_erase=_reindex_leads,
    )
    # Rows the leads app keeps per submission; the leads app may register them itself
    # (its AppConfig.ready runs after this one and then wins).
    if _model_exists("leads.LeadSubmission"):
        register("leads.LeadSubmission", link_field="lead", erase_fields=["ip", "data"])
    if _model_exists("leads.FollowUp"):
        # Staff notes of calls and visits may quote the contact's name or number: they go
        # with the lead's personal data, and are scrubbed wherever they quote the person.
        register(
            "leads.FollowUp",
            link_field="lead",
            erase_fields=["notes"],
            scrub_fields=["notes"],
            export_fields=["channel", "happened_at", "notes", "outcome", "next_follow_up_on"],
        )
    register(
        "accounts.PersonalDataAccess",
        link_field="lead",
        scrub_fields=["reason"],
        export_fields=["lead_reference", "field", "reason", "at"],
    )


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def holders_linked_to(model_label: str) -> list[Holder]:
    """Registered models whose link_field points at model_label (e.g. notes of a lead)."""
    linked = []
    for holder in holders():
        if holder.link_field:
            related = holder.model._meta.get_field(holder.link_field).related_model
            if related is not None and related._meta.label == model_label:  # type: ignore[union-attr]
                linked.append(holder)
    return linked


def lead_retention_fields() -> tuple[str, ...]:
    """Lead fields blanked by retention: the registered personal fields plus free text."""
    holder = _registry["leads.Lead"]
    return tuple(dict.fromkeys((*holder.erase_fields, *holder.scrub_fields)))


def blank_value(model: type[models.Model], name: str) -> Any:
    """What an erased field holds: None where allowed, else {} for JSON and "" for text."""
    model_field = model._meta.get_field(name)
    if getattr(model_field, "null", False):
        return None
    if isinstance(model_field, models.JSONField):
        return {}
    return ""


def blank_rows(queryset: Any, field_names: Iterable[str], **extra: Any) -> int:
    """Blank these fields on every row, in one UPDATE."""
    model = queryset.model
    values: dict[str, Any] = {name: blank_value(model, name) for name in field_names}
    values.update(extra)
    return queryset.update(**values)


def mobile_variants(mobile: str) -> list[str]:
    """The stored E.164 form and the national digits of a mobile typed in any common way."""
    from yuanqu.accounts.pii import national_number

    digits = "".join(character for character in mobile if character.isdigit())
    if not digits:
        return []
    national = national_number(mobile if mobile.strip().startswith("+") else f"+86{digits}")
    if digits.startswith("86") and len(digits) == 13:
        national = digits[2:]
    return sorted({f"+86{national}", national, mobile.strip()})


@dataclass
class Match:
    holder: Holder
    rows: list[Any]


def find(*, mobile: str) -> tuple[list[Match], set[str]]:
    """Every registered row that belongs to the person with this mobile, and their names."""
    variants = mobile_variants(mobile)
    if not variants:
        return [], set()
    matches: dict[str, list[Any]] = {}
    names: set[str] = set()
    direct = [holder for holder in holders() if holder.mobile_fields]
    for holder in direct:
        condition = Q()
        for name in holder.mobile_fields:
            condition |= Q(**{f"{name}__in": variants})
        rows = list(holder.model._default_manager.filter(condition))
        matches[holder.model_label] = rows
        for row in rows:
            for name_field in holder.name_fields:
                value = (getattr(row, name_field) or "").strip()
                if value:
                    names.add(value)
    # Judgement call: a name alone does not select a row (two people called 张伟 are common);
    # the names found on the person's rows are cut out of free text everywhere instead.
    # Rows linked to matched rows.
    for holder in holders():
        if not holder.link_field:
            continue
        related_model = holder.model._meta.get_field(holder.link_field).related_model
        parent_rows = matches.get(related_model._meta.label, [])  # type: ignore[union-attr]
        if parent_rows:
            rows = list(
                holder.model._default_manager.filter(
                    **{f"{holder.link_field}__in": [row.pk for row in parent_rows]}
                )
            )
            known = {row.pk for row in matches.get(holder.model_label, [])}
            matches.setdefault(holder.model_label, []).extend(r for r in rows if r.pk not in known)
    found = [Match(holder=_registry[label], rows=rows) for label, rows in matches.items() if rows]
    return found, names


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def export(*, mobile: str) -> dict[str, Any]:
    """Everything held about the person with this mobile, as JSON-safe data."""
    found, _names = find(mobile=mobile)
    data: dict[str, Any] = {"mobile": mobile_variants(mobile)[:1], "records": {}}
    for match in found:
        fields = match.holder.export_fields or tuple(
            f.name for f in match.holder.model._meta.concrete_fields
        )
        data["records"][match.holder.model_label] = [
            {"id": row.pk, **{name: _json_value(getattr(row, name)) for name in fields}}
            for row in match.rows
        ]
    return data


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        if needle:
            text = text.replace(needle, REDACTED)
    return text


@transaction.atomic
def erase(*, mobile: str) -> int:
    """Erase the person's data from every registered table; returns the rows changed."""
    found, names = find(mobile=mobile)
    needles = sorted({*mobile_variants(mobile), *names}, key=len, reverse=True)
    changed = 0
    now = timezone.now()
    touched: dict[Holder, set[int]] = {}
    for match in found:
        model = match.holder.model
        touched.setdefault(match.holder, set()).update(row.pk for row in match.rows)
        if match.holder.delete_rows:
            changed += model._default_manager.filter(
                pk__in=[row.pk for row in match.rows]
            ).delete()[0]
            continue
        for row in match.rows:
            for name, value in match.holder.erase_values:
                setattr(row, name, value)
            for name in match.holder.erase_fields:
                setattr(row, name, blank_value(model, name))
            for name in match.holder.scrub_fields:
                value = getattr(row, name)
                if isinstance(value, str):
                    setattr(row, name, _scrub(value, needles))
            if hasattr(row, "anonymised_at") and getattr(row, "anonymised_at", None) is None:
                row.anonymised_at = now
            row.save()
            changed += 1
    # Free text anywhere in the registered tables may still quote the number or the name.
    if needles:
        for holder in holders():
            for name in holder.scrub_fields:
                condition = Q()
                for needle in needles:
                    condition |= Q(**{f"{name}__contains": needle})
                for row in holder.model._default_manager.filter(condition):
                    setattr(row, name, _scrub(getattr(row, name), needles))
                    row.save(update_fields=[name])
                    touched.setdefault(holder, set()).add(row.pk)
                    changed += 1
    for holder, ids in touched.items():
        if holder.on_erase is not None:
            holder.on_erase(sorted(ids))
    return changed
