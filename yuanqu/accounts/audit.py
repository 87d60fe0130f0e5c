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
        # "notification" (a reverse one-to-one) holds no lead data, yet diffing it cost an
        # always-empty SELECT on every lead insert.
        ("leads.Lead", ["updated_at", "notification", *LEAD_PERSONAL_FIELDS]),
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not auditlog.contains(model):
            extra = [name for name in exclude if _has_field(model, name)]
            auditlog.register(model, exclude_fields=extra)


def _has_field(model: type, name: str) -> bool:
    try:
        model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:
        return False
    return True
