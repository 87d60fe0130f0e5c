"""Writes for accounts: granting and revoking roles."""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from yuanqu.accounts.gates import forget_scope
from yuanqu.accounts.models import Membership
from yuanqu.core.models import Region
from yuanqu.core.storage import purge_freed_storage
from yuanqu.parks.models import Park

# Django model permissions some roles need for admin pages that are not park-scoped
# (the park-scoped ones ask the gates). Apps that are not installed are skipped.
ROLE_APP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Membership.Role.EDITOR: ("news",),
}


def role_group_sync(*, role: str) -> Group:
    """The Django group of a role, holding the model permissions of ROLE_APP_PERMISSIONS."""
    group, _created = Group.objects.get_or_create(name=f"role:{role}")
    app_labels = ROLE_APP_PERMISSIONS.get(role, ())
    if app_labels:
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=app_labels))
    return group


@transaction.atomic
def membership_grant(
    *, user: Any, role: str, park: Park | None = None, region: Region | None = None
) -> Membership:
    """Give the user a role (idempotent); staff roles also open the admin (is_staff)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, park=park, region=region
    )
    user.groups.add(role_group_sync(role=role))
    changed = []
    if not user.is_staff:
        user.is_staff = True
        changed.append("is_staff")
    if role == Membership.Role.SITE_ADMIN and not user.is_superuser:
        # Site admins run every admin page, third-party ones (audit log, axes) included.
        user.is_superuser = True
        changed.append("is_superuser")
    if changed:
        user.save(update_fields=changed)
    forget_scope(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    user = membership.user
    role = membership.role
    membership.delete()
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=f"role:{role}"))
    if not Membership.objects.filter(user=user).exists() and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    forget_scope(user)


def personal_data_erase(*, mobile: str, user: Any = None) -> int:
    """Erase everything held about the person with this mobile (PIPL deletion request)."""
    from yuanqu.accounts import personal_data
    from yuanqu.accounts.gates import record_security_event
    from yuanqu.accounts.models import SecurityEvent

    with transaction.atomic():
        changed = personal_data.erase(mobile=mobile)
        # The request itself is logged, without the number it named.
        record_security_event(
            user=user,
            kind=SecurityEvent.Kind.PERSONAL_DATA_REQUEST,
            detail=f"erase: {changed} rows",
        )
    purge_freed_storage()
    return changed


def personal_data_export(*, mobile: str, user: Any = None) -> dict[str, Any]:
    """Everything held about the person with this mobile (PIPL access request)."""
    from yuanqu.accounts import personal_data
    from yuanqu.accounts.gates import record_security_event
    from yuanqu.accounts.models import SecurityEvent

    data = personal_data.export(mobile=mobile)
    record_security_event(
        user=user,
        kind=SecurityEvent.Kind.PERSONAL_DATA_REQUEST,
        detail=f"export: {sum(len(rows) for rows in data['records'].values())} rows",
    )
    return data


def months_before(moment: datetime, months: int) -> datetime:
    """The same local day-of-month `months` earlier (clamped to the month's last day)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


@transaction.atomic
def leads_anonymise_expired(*, now: datetime | None = None) -> int:
    """Anonymise leads never converted with no change for LEAD_RETENTION_MONTHS.

    Personal fields (and those of rows registered as linked to leads) are blanked; the
    non-personal figures (kind, deal, areas, industry, investment, tax, jobs, park, dates)
    stay for statistics. Returns the number of leads anonymised.
    """
    from yuanqu.accounts import personal_data
    from yuanqu.leads.models import Lead

    now = now or timezone.now()
    cutoff = months_before(now, settings.LEAD_RETENTION_MONTHS)
    expired_ids = list(
        Lead.objects.filter(anonymised_at__isnull=True, updated_at__lt=cutoff)
        .exclude(status=Lead.Status.CONVERTED)
        .values_list("pk", flat=True)
    )
    if not expired_ids:
        return 0
    for chunk_start in range(0, len(expired_ids), 500):
        chunk = expired_ids[chunk_start : chunk_start + 500]
        # A bulk update keeps updated_at: anonymising is not a business change.
        personal_data.blank_rows(
            Lead.objects.filter(pk__in=chunk),
            personal_data.lead_retention_fields(),
            anonymised_at=now,
        )
        for holder in personal_data.holders_linked_to("leads.Lead"):
            if holder.erase_fields or holder.scrub_fields:
                linked = holder.model._default_manager.filter(**{f"{holder.link_field}__in": chunk})
                if holder.on_erase is not None:
                    holder.on_erase(list(linked.values_list("pk", flat=True)))
                personal_data.blank_rows(linked, (*holder.erase_fields, *holder.scrub_fields))
        lead_holder = personal_data.holder_for("leads.Lead")
        if lead_holder is not None and lead_holder.on_erase is not None:
            lead_holder.on_erase(chunk)  # e.g. the search entry, built from the blanked fields
    purge_freed_storage()
    return len(expired_ids)
