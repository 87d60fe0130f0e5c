"""The officer's daily digest (每日待办): follow-ups due today and overdue, unassigned leads of
the parks they hand out, and their projects' open alerts, by e-mail and the webhook backend.

One per officer per day: a DailyDigest row is claimed (unique per user and day) before
anything is sent, so a retried job or a second scheduler never sends it twice. Someone with
nothing to do gets nothing. Like every staff notice, no company, name or mobile of a lead: references, counts and
project names only (staff open the lead in the workbench).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yuanqu.accounts.models import Membership
from yuanqu.leads.models import Lead
from yuanqu.pipeline.models import ProjectAlert
from yuanqu.workbench.models import DailyDigest

logger = logging.getLogger(__name__)
OPEN = (Lead.Status.NEW, Lead.Status.FOLLOWING)
LISTED = 10  # items named per section; the counts say how many there are in all


@dataclass
class Digest:
    due_today: list[Lead] = field(default_factory=list)
    due_today_count: int = 0
    overdue: list[Lead] = field(default_factory=list)
    overdue_count: int = 0
    unassigned_count: int = 0
    alerts: list[ProjectAlert] = field(default_factory=list)
    alert_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.due_today_count or self.overdue_count or self.unassigned_count or self.alert_count
        )

    def summary(self) -> dict[str, int]:
        return {
            "due_today": self.due_today_count,
            "overdue": self.overdue_count,
            "unassigned": self.unassigned_count,
            "alerts": self.alert_count,
        }


def digest_for(user: Any, *, today: date) -> Digest:
    digest = Digest()
    mine = Lead.objects.filter(owner=user, status__in=OPEN, anonymised_at__isnull=True)
    light = mine.only("reference", "next_follow_up_on").order_by("next_follow_up_on", "id")
    due = light.filter(next_follow_up_on=today)
    overdue = light.filter(next_follow_up_on__lt=today)
    digest.due_today_count, digest.overdue_count = due.count(), overdue.count()
    digest.due_today, digest.overdue = list(due[:LISTED]), list(overdue[:LISTED])
    managed = Membership.objects.filter(
        user=user, role__in=sorted(Membership.ASSIGN_ROLES), park__isnull=False
    ).values("park_id")
    digest.unassigned_count = Lead.objects.filter(
        park_id__in=managed, owner__isnull=True, status=Lead.Status.NEW
    ).count()
    alerts = ProjectAlert.objects.filter(closed_on__isnull=True, project__officer=user)
    digest.alert_count = alerts.count()
    digest.alerts = list(alerts.select_related("project").order_by("raised_on", "id")[:LISTED])
    return digest


def digest_text(digest: Digest, *, today: date) -> str:
    site = settings.SITE_URL
    lines = [f"{today:%Y-%m-%d} 招商工作台待办"]
    if digest.overdue_count:
        lines.append(f"\n已逾期的跟进 {digest.overdue_count} 条:")
        lines += [f"- {lead.reference}(应于 {lead.next_follow_up_on})" for lead in digest.overdue]
    if digest.due_today_count:
        lines.append(f"\n今日到期的跟进 {digest.due_today_count} 条:")
        lines += [f"- {lead.reference}" for lead in digest.due_today]
    if digest.unassigned_count:
        lines.append(
            f"\n待分配的新线索 {digest.unassigned_count} 条:{site}{reverse('inbox:list')}?owner=none"
        )
    if digest.alert_count:
        lines.append(f"\n项目预警 {digest.alert_count} 条:")
        lines += [f"- {alert.project.name}:{alert.get_kind_display()} {alert.detail}"
                  for alert in digest.alerts]  # fmt: skip
    lines.append(f"\n打开工作台:{site}{reverse('workbench:home')}")
    return "\n".join(lines)


def _recipients() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=sorted(Membership.CONTENT_EDIT_ROLES))
        .distinct()
        .order_by("pk")
    )


def _claim(user: Any, today: date) -> DailyDigest | None:
    try:
        with transaction.atomic():
            claimed, created = DailyDigest.objects.get_or_create(user=user, day=today)
    except IntegrityError:  # claimed a moment ago by another run
        return None
    if not created and claimed.sent_at is not None:
        return None
    return claimed


def send_daily_digests(*, today: date | None = None) -> int:
    """Send today's digests; returns how many went out."""
    today = today or timezone.localdate()
    sent = 0
    for user in _recipients().iterator():
        digest = digest_for(user, today=today)
        if digest.is_empty:
            continue
        claimed = _claim(user, today)
        if claimed is None:
            continue
        text = digest_text(digest, today=today)
        if user.email:
            send_mail(f"招商工作台 每日待办 {today:%Y-%m-%d}", text, None, [user.email])
        _send_webhook(user, text)
        claimed.sent_at = timezone.now()
        claimed.summary = digest.summary()
        claimed.save(update_fields=["sent_at", "summary"])
        sent += 1
    return sent


def _send_webhook(user: Any, text: str) -> None:
    """The team's webhook (企业微信/钉钉 group) gets the same text, addressed to the officer;
    a failing webhook does not stop the e-mails."""
    from yuanqu.leads.notifications import StaffNotice, get_webhook_backend

    headline, _, body = text.partition("\n")
    notice = StaffNotice(
        reference=f"digest:{user.username}",
        summary=headline,
        headline=f"{headline}({user.username})",
        body=body,
    )
    try:
        get_webhook_backend().send(notice)
    except Exception:  # the backend logs its own errors; the digest row stays sent by e-mail
        logger.warning("digest webhook failed", extra={"user_id": user.pk})
