"""Periodic jobs of the carrier catalogue: freshness reminders and saved-search digests.

Staleness itself needs no job: the public queryset and the ranking read `confirmed_at`
against CARRIER_STALE_DAYS / CARRIER_HIDE_DAYS at query time, so a carrier is stale or
hidden at the exact moment it crosses the line. The job warns owners a week before each
line; a FreshnessReminder row per (carrier, stage, confirmation) keeps it idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from yuanqu.core.scheduler import periodic_job
from yuanqu.listings.models import PUBLIC_STATUSES, Carrier, FreshnessReminder

REMIND_DAYS_BEFORE = 7


def _recipients(carrier: Carrier) -> list[str]:
    """The owner; without one, the park's staff who may edit its carriers."""
    if carrier.owner_id and carrier.owner and carrier.owner.email and carrier.owner.is_active:
        return [carrier.owner.email]
    from yuanqu.accounts.models import Membership

    return sorted(
        {
            email
            for email in Membership.objects.filter(
                park_id=carrier.park_id,
                role__in=Membership.CONTENT_EDIT_ROLES,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            if email
        }
    )


def freshness_reminders_send(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    stale_warn = now - timedelta(days=settings.CARRIER_STALE_DAYS - REMIND_DAYS_BEFORE)
    hide_warn = now - timedelta(days=settings.CARRIER_HIDE_DAYS - REMIND_DAYS_BEFORE)
    candidates = (
        Carrier.objects.filter(
            published_at__isnull=False,
            status__in=PUBLIC_STATUSES,
            confirmed_at__lte=stale_warn,
        )
        .select_related("owner", "park")
        .order_by("id")
    )
    by_recipient: dict[str, list[tuple[Carrier, str]]] = defaultdict(list)
    created = 0
    for carrier in candidates.iterator():
        assert carrier.confirmed_at is not None
        stage = (
            FreshnessReminder.Stage.HIDE
            if carrier.confirmed_at <= hide_warn
            else FreshnessReminder.Stage.STALE
        )
        try:
            with transaction.atomic():
                FreshnessReminder.objects.create(
                    carrier=carrier, stage=stage, confirmed_at=carrier.confirmed_at
                )
        except IntegrityError:
            continue  # already reminded for this confirmation and stage
        created += 1
        for email in _recipients(carrier):
            by_recipient[email].append((carrier, stage))
    for email, items in by_recipient.items():
        body = render_to_string(
            "listings/email/freshness_reminder.txt",
            {
                "items": [
                    (carrier, stage, f"{settings.SITE_URL}/carriers/manage/{carrier.pk}/")
                    for carrier, stage in items
                ],
                "stale_days": settings.CARRIER_STALE_DAYS,
                "hide_days": settings.CARRIER_HIDE_DAYS,
                "manage_url": f"{settings.SITE_URL}/carriers/manage/",
            },
        )
        send_mail(
            subject=f"请确认 {len(items)} 个载体是否仍可租售",
            message=body,
            from_email=None,
            recipient_list=[email],
        )
    return {"reminders": created, "emails": len(by_recipient)}


@periodic_job("listings.freshness", every="daily")
def freshness(*, period_key: str) -> str:
    result = freshness_reminders_send()
    now = timezone.now()
    stale = Carrier.objects.filter(
        published_at__isnull=False,
        status__in=PUBLIC_STATUSES,
        confirmed_at__lt=now - timedelta(days=settings.CARRIER_STALE_DAYS),
    )
    hidden = stale.filter(confirmed_at__lt=now - timedelta(days=settings.CARRIER_HIDE_DAYS))
    return (
        f"{period_key}: {result['reminders']} reminders in {result['emails']} e-mails; "
        f"{stale.count()} stale, {hidden.count()} hidden until confirmed"
    )


@periodic_job("listings.saved_search_digest", every="weekly")
def saved_search_digest(*, period_key: str) -> str:
    from yuanqu.listings.saved_searches import saved_search_send_digests

    return f"{period_key}: {saved_search_send_digests()} weekly digests sent"
