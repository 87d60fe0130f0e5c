"""Writes to the enterprise registry: one enterprise, a park's cultivation targets, an Excel
import. Each service validates everything first and writes in one transaction, so bad input
changes nothing. Views check the gates first; services still refuse a park the actor may not
edit (a forged park id) and record a security event for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.accounts import gates
from yuanqu.accounts.models import SecurityEvent
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.search_index import enterprises_index_on_commit
from yuanqu.parks.models import Park

# Every field a service writes, in form order; "park" and "industry" hold model instances.
FIELDS: tuple[str, ...] = (
    "name",
    "credit_code",
    "park",
    "industry",
    "address",
    "high_tech_certified_on",
    "high_tech_certificate_no",
    "high_tech_expires_on",
    "tech_sme_since",
    "above_scale_type",
    "above_scale_since",
    "specialised_level",
    "specialised_since",
    "gazelle_since",
    "unicorn_since",
)
TEXT_FIELDS = ("name", "credit_code", "address", "high_tech_certificate_no")
# Dates of something already gained: never in the future.
PAST_DATE_FIELDS = (
    "high_tech_certified_on",
    "tech_sme_since",
    "above_scale_since",
    "specialised_since",
    "gazelle_since",
    "unicorn_since",
)
MIN_YEAR, MAX_YEAR = 2000, 2100


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def enterprise_values(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's current values as a service `data` dict."""
    values = {
        name: getattr(enterprise, name) for name in FIELDS if name not in ("park", "industry")
    }
    values["park"] = enterprise.park
    values["industry"] = enterprise.industry
    return values


def enterprise_clean(*, data: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """Normalised values, or ValidationError {field: [中文 message]} listing every problem.
    Checks one row on its own (the credit code's uniqueness is checked by the callers)."""
    today = _today(today)
    values: dict[str, Any] = {name: data.get(name) for name in FIELDS}
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    for name in ("above_scale_type", "specialised_level"):
        values[name] = values[name] or ""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not values["name"]:
        add("name", _("请填写企业名称。"))
    elif len(values["name"]) > 100:
        add("name", _("企业名称不能超过 100 字。"))
    try:
        values["credit_code"] = credit_codes.parse(values["credit_code"]).value
    except credit_codes.CreditCodeError as error:
        add("credit_code", str(error))
    if not isinstance(values["park"], Park):
        add("park", _("请选择所在园区。"))
    if len(values["address"]) > 200:
        add("address", _("地址不能超过 200 字。"))
    if len(values["high_tech_certificate_no"]) > 40:
        add("high_tech_certificate_no", _("证书编号不能超过 40 字。"))
    for name in PAST_DATE_FIELDS:
        if values[name] is not None and values[name] > today:
            add(name, _("日期不能晚于今天。"))

    certified = values["high_tech_certified_on"]
    if certified is None and (values["high_tech_certificate_no"] or values["high_tech_expires_on"]):
        add("high_tech_certified_on", _("填写了高企证书信息,请同时填写认定日期。"))
    expires = values["high_tech_expires_on"]
    if certified is not None and expires is not None and expires <= certified:
        add("high_tech_expires_on", _("有效期至应晚于认定日期。"))

    if values["above_scale_type"] not in ("", *Enterprise.AboveScaleType.values):
        add("above_scale_type", _("四上类型无效。"))
    elif bool(values["above_scale_type"]) != bool(values["above_scale_since"]):
        if values["above_scale_type"]:
            add("above_scale_since", _("选择了四上类型,请填写纳入日期。"))
        else:
            add("above_scale_type", _("填写了纳入四上日期,请选择四上类型。"))

    if values["specialised_level"] not in ("", *Enterprise.SpecialisedLevel.values):
        add("specialised_level", _("专精特新等级无效。"))
    elif bool(values["specialised_level"]) != bool(values["specialised_since"]):
        if values["specialised_level"]:
            add("specialised_since", _("选择了专精特新等级,请填写认定日期。"))
        else:
            add("specialised_level", _("填写了专精特新认定日期,请选择等级。"))

    if errors:
        raise ValidationError(errors)
    return values


def _refuse_park(*, actor: Any, park: Park | None, target: str) -> None:
    """A park outside the actor's editable parks: log it and refuse (before any transaction,
    so the log row survives the refusal)."""
    if park is None or gates.user_can_edit_park(actor, park):
        return
    gates.record_security_event(
        user=actor,
        kind=SecurityEvent.Kind.TAMPERED_FIELD,
        target=target,
        detail=f"park={park.pk}",
    )
    raise ValidationError({"park": [_("您无权在该园区登记或修改企业,本次提交未作任何修改。")]})


def _duplicate_code_error() -> ValidationError:
    return ValidationError({"credit_code": [_("该统一社会信用代码已登记,请勿重复添加。")]})


def _code_taken(code: str, *, except_id: int | None) -> bool:
    queryset = Enterprise.objects.filter(credit_code=code)
    if except_id is not None:
        queryset = queryset.exclude(pk=except_id)
    return queryset.exists()


def enterprise_create(
    *, actor: Any, data: Mapping[str, Any], today: date | None = None
) -> Enterprise:
    values = enterprise_clean(data=data, today=today)
    _refuse_park(actor=actor, park=values["park"], target="enterprises.enterprise:new")
    if _code_taken(values["credit_code"], except_id=None):
        raise _duplicate_code_error()
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(**values)
            enterprises_index_on_commit(enterprise_ids=[enterprise.pk])
    except IntegrityError:  # the same code saved by someone else a moment ago
        raise _duplicate_code_error() from None
    return enterprise


def enterprise_update(
    *, actor: Any, enterprise: Enterprise, data: Mapping[str, Any], today: date | None = None
) -> Enterprise:
    """Replace the enterprise's values; moving it to another park needs that park editable."""
    values = enterprise_clean(data=data, today=today)
    _refuse_park(
        actor=actor, park=enterprise.park, target=f"enterprises.enterprise:{enterprise.pk}"
    )
    _refuse_park(actor=actor, park=values["park"], target=f"enterprises.enterprise:{enterprise.pk}")
    if _code_taken(values["credit_code"], except_id=enterprise.pk):
        raise _duplicate_code_error()
    try:
        with transaction.atomic():
            for name, value in values.items():
                setattr(enterprise, name, value)
            enterprise.save()
            enterprises_index_on_commit(enterprise_ids=[enterprise.pk])
    except IntegrityError:
        raise _duplicate_code_error() from None
    return enterprise


# --- cultivation targets ---------------------------------------------------------------


def targets_set(
    *,
    actor: Any,
    park: Park,
    year: int,
    targets: Mapping[str, int | None],
    notes: Mapping[str, str] | None = None,
) -> list[CultivationTarget]:
    """Set a park's targets for one year in one go: a number sets the kind's target, None
    removes it. Only the park's managers (and site admins) set targets."""
    errors: dict[str, list[str]] = {}
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [
            _("年度应在 %(low)d–%(high)d 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR}
        ]
    for kind, number in targets.items():
        if kind not in CultivationTarget.Kind.values:
            errors.setdefault("__all__", []).append(_("未知的培育指标。"))
        elif number is not None and not (0 <= number <= 100000):
            errors[kind] = [_("目标数应为 0–100000 的整数。")]
    if not gates.user_can_edit_park_profile(actor, park):
        gates.record_security_event(
            user=actor,
            kind=SecurityEvent.Kind.TAMPERED_FIELD,
            target="enterprises.cultivationtarget:new",
            detail=f"park={park.pk}",
        )
        errors.setdefault("park", []).append(_("您无权设置该园区的培育目标,本次提交未作任何修改。"))
    if errors:
        raise ValidationError(errors)
    notes = notes or {}
    saved: list[CultivationTarget] = []
    with transaction.atomic():
        for kind, number in targets.items():
            if number is None:
                CultivationTarget.objects.filter(park=park, year=year, kind=kind).delete()
                continue
            target, _created = CultivationTarget.objects.update_or_create(
                park=park,
                year=year,
                kind=kind,
                defaults={"target": number, "note": (notes.get(kind) or "").strip()[:200]},
            )
            saved.append(target)
    return saved


def target_set(
    *, actor: Any, park: Park, year: int, kind: str, target: int | None, note: str = ""
) -> CultivationTarget | None:
    """One target (None removes it)."""
    saved = targets_set(
        actor=actor, park=park, year=year, targets={kind: target}, notes={kind: note}
    )
    return saved[0] if saved else None


# --- Excel import ----------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[Enterprise] = field(default_factory=list)
    updated: list[Enterprise] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)  # importing.CellError, str() for display
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def enterprises_import(*, actor: Any, upload: Any, today: date | None = None) -> ImportReport:
    """Import an Excel file: every row is checked first, then all rows are written in one
    transaction, or none. A credit code already registered updates that enterprise when it is
    in a park the actor may edit, and is an error otherwise; only the columns present in the
    file are changed (an empty cell clears its field)."""
    from yuanqu.enterprises import importing

    report = ImportReport()
    parks = gates.editable_parks_for_user(actor)
    sheet = importing.read_upload(upload=upload, parks=parks)
    report.rows = len(sheet.rows)
    report.errors.extend(sheet.errors)
    if sheet.fatal:
        return report

    codes = [row.values["credit_code"] for row in sheet.rows if row.values.get("credit_code")]
    existing = {
        enterprise.credit_code: enterprise
        for enterprise in Enterprise.objects.select_related("park", "industry").filter(
            credit_code__in=sorted(set(codes))
        )
    }
    first_row_of: dict[str, int] = {}
    to_create: list[Enterprise] = []
    to_update: list[Enterprise] = []
    for row in sheet.rows:
        code = row.values.get("credit_code", "")
        if code and code in first_row_of:
            report.errors.append(
                importing.CellError(
                    row=row.number,
                    column=importing.column_of("credit_code"),
                    message=_("与第 %(row)d 行重复") % {"row": first_row_of[code]},
                )
            )
            continue
        if code:
            first_row_of[code] = row.number
        current = existing.get(code)
        if current is not None and not gates.user_can_edit_park(actor, current.park_id):
            report.errors.append(
                importing.CellError(
                    row=row.number,
                    column=importing.column_of("credit_code"),
                    message=_("该企业已登记在您无权编辑的园区,不能导入"),
                )
            )
            continue
        merged = enterprise_values(current) if current is not None else {}
        merged.update(row.values)
        try:
            values = enterprise_clean(data=merged, today=today)
        except ValidationError as error:
            # Fields whose cell could not be read were reported already.
            report.errors.extend(
                importing.CellError(
                    row=row.number, column=importing.column_of(name), message=message
                )
                for name, messages in error.message_dict.items()
                if name not in row.error_fields
                for message in messages
            )
            continue
        if row.errors:
            continue
        if current is None:
            to_create.append(Enterprise(**values))
        else:
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    if report.errors:
        report.errors.sort(key=importing.error_order)
        return report

    now = timezone.now()
    for enterprise in to_update:
        enterprise.updated_at = now
    try:
        with transaction.atomic():
            created = Enterprise.objects.bulk_create(to_create, batch_size=500)
            Enterprise.objects.bulk_update(to_update, [*FIELDS, "updated_at"], batch_size=500)
            # Both supported back ends (SQLite ≥ 3.35, PostgreSQL) return the new ids.
            enterprises_index_on_commit(
                enterprise_ids=[enterprise.pk for enterprise in created + to_update]
            )
    except IntegrityError:  # another import or form saved one of these codes meanwhile
        report.errors.append(
            importing.CellError(
                row=0, column="文件", message=_("导入时有企业被他人同时登记,请重新导入。")
            )
        )
        return report
    report.created = created
    report.updated = to_update
    return report
