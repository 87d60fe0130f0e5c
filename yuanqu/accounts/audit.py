"""Audit trail of changes to carriers, parks and leads (django-auditlog), registered here so
their models need no edits. Lead entries never hold personal data: those fields are left out
of the diff entirely (masking would still keep a partial number in the log)."""

from __future__ import annotations

from django.apps import apps

# Lead fields that hold personal data: excluded from audit diffs.
LEAD_PERSONAL_FIELDS = [
    "company",
    "contact_name",
    "mobile",
    "need_text",
    "consent_ip",
    "access_token",
]


def register_models() -> None:
    from auditlog.registry import auditlog

    for label, exclude in (
        ("parks.Park", ["updated_at"]),
        ("listings.Carrier", ["updated_at"]),
        ("leads.Lead", ["updated_at", *LEAD_PERSONAL_FIELDS]),
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not auditlog.contains(model):
            extra = [name for name in exclude if _has_field(model, name)]
            auditlog.register(model, exclude_fields=extra + _reverse_one_to_ones(model))


def _reverse_one_to_ones(model: type) -> list[str]:
    """A lead's notification row or 招商 project points at the lead, not the other way: the
    link is the other row's change (and its own audit), yet diffing it cost an always-empty
    SELECT per relation on every insert."""
    return [
        field.name
        for field in model._meta.get_fields()  # type: ignore[attr-defined]
        if field.one_to_one and field.auto_created and not field.concrete
    ]


def _has_field(model: type, name: str) -> bool:
    try:
        model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:
        return False
    return True
