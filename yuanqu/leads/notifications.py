"""Telling park staff about a new need: e-mail plus a pluggable webhook (WeCom/DingTalk).

Notices carry the reference, what is needed and where; never the company, name or mobile
(staff open the lead in the back office, where unmasking is logged). The webhook backend is
`settings.LEAD_WEBHOOK_BACKEND`; the default only logs the notice.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from yuanqu.leads.models import Lead

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeadNotice:
    reference: str
    summary: str  # e.g. "厂房 · 租 · 1,000–1,500㎡"
    park_names: tuple[str, ...]
    staff_url: str
    headline: str = ""  # instead of "新需求 …", e.g. for an assignment
    # The same for every attempt at this notice: a retry after a worker died between
    # sending and recording it carries the same key (webhook header, e-mail Message-ID),
    # so the receiving side can drop the repeat.
    idempotency_key: str = ""

    @property
    def title(self) -> str:
        return self.headline or f"新需求 {self.reference}"

    def text(self) -> str:
        parks = "、".join(self.park_names) or "未匹配到园区"
        return f"{self.title}\n{self.summary}\n匹配园区:{parks}\n查看:{self.staff_url}"


@dataclass(frozen=True)
class StaffNotice:
    """Any other message to staff through the same backends (assignments, daily digests)."""

    reference: str  # what the log line names: a lead reference or "digest:<username>"
    summary: str
    headline: str
    body: str

    @property
    def title(self) -> str:
        return self.headline

    def text(self) -> str:
        return f"{self.headline}\n{self.body}"


class Notice(Protocol):
    @property
    def reference(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def title(self) -> str: ...

    def text(self) -> str: ...


class WebhookBackend(Protocol):
    def send(self, notice: Notice) -> None: ...


class LoggingWebhookBackend:
    """Default: write the notice to the log (reference and need only, no personal data)."""

    def send(self, notice: Notice) -> None:
        logger.info("lead notice %s: %s", notice.reference, notice.summary)


class _JsonWebhookBackend:
    timeout_seconds = 10

    def __init__(self, url: str | None = None) -> None:
        self.url = url if url is not None else settings.LEAD_WEBHOOK_URL

    def payload(self, notice: Notice) -> dict:
        raise NotImplementedError

    def send(self, notice: Notice) -> None:
        if not self.url:
            raise RuntimeError("LEAD_WEBHOOK_URL is not set")
        headers = {"Content-Type": "application/json"}
        key = getattr(notice, "idempotency_key", "")
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.payload(notice), ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
            body = json.loads(response.read().decode("utf-8") or "{}")
        # Both robots answer HTTP 200 with {"errcode": 0} on success.
        if body.get("errcode", 0) != 0:
            raise RuntimeError(f"webhook refused: errcode {body.get('errcode')}")


class WeComWebhookBackend(_JsonWebhookBackend):
    """企业微信群机器人 (markdown message)."""

    def payload(self, notice: Notice) -> dict:
        return {"msgtype": "markdown", "markdown": {"content": notice.text()}}


class DingTalkWebhookBackend(_JsonWebhookBackend):
    """钉钉自定义机器人 (markdown message; add the keyword 新需求 to the robot's security)."""

    def payload(self, notice: Notice) -> dict:
        return {"msgtype": "markdown", "markdown": {"title": notice.title, "text": notice.text()}}


def get_webhook_backend() -> WebhookBackend:
    return import_string(settings.LEAD_WEBHOOK_BACKEND)()


def lead_notice(lead: Lead) -> LeadNotice:
    from yuanqu.matching.services import lead_summary

    return LeadNotice(
        reference=lead.reference,
        summary=lead_summary(lead),
        park_names=tuple(name for _, name in notified_parks(lead)),
        staff_url=f"{settings.SITE_URL}/workbench/leads/{lead.pk}/",
        idempotency_key=f"lead-notice-{lead.reference}",
    )


def notified_parks(lead: Lead) -> list[tuple[int, str]]:
    """The lead's own park (set from the best match when the person chose none), then the
    parks of the carriers shown to the person."""
    seen: dict[int, str] = {}
    if lead.park_id:
        seen[lead.park_id] = lead.park.name if lead.park else ""
    snapshot = lead.match_snapshot or {}
    for item in snapshot.get("carriers", []):
        seen.setdefault(item["park_id"], item.get("park_name", ""))
    return list(seen.items())


def staff_emails(park_ids: list[int]) -> list[str]:
    """E-mail addresses of active 招商 staff (park managers, investment officers) of the parks."""
    if not park_ids:
        return []
    try:
        from yuanqu.accounts.models import Membership
    except ImportError:
        return []
    emails = (
        Membership.objects.filter(
            park_id__in=park_ids,
            role__in=sorted(Membership.PARK_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def send_lead_notice(lead: Lead) -> int:
    """Send the e-mail and the webhook; raises on failure so the caller can retry."""
    notice = lead_notice(lead)
    recipients = staff_emails([park_id for park_id, _ in notified_parks(lead)])
    if recipients:
        domain = urlparse(settings.SITE_URL).hostname or "localhost"
        EmailMessage(
            subject=notice.title,
            body=notice.text(),
            to=recipients,
            headers={"Message-ID": f"<{notice.idempotency_key}@{domain}>"},
        ).send(fail_silently=False)
    get_webhook_backend().send(notice)
    return len(recipients)
