from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yuanqu.leads.jobs import requeue_notifications
from yuanqu.leads.models import LeadEvent, LeadNotification
from yuanqu.leads.notifications import DingTalkWebhookBackend, WeComWebhookBackend, lead_notice
from yuanqu.leads.services import lead_notification_attempt, lead_submit, notification_backoff
from yuanqu.leads.tasks import lead_notify_staff

pytestmark = pytest.mark.django_db


class UnreachableWebhook:
    """Stands in for a WeCom/DingTalk robot that is down (outside our walls)."""

    def send(self, notice):
        raise ConnectionError("robot unreachable")


def submit(need_data, park):
    return lead_submit(
        data=need_data(park_ids=[park.pk], park_id=park.pk, need_text="王经理 13812341234"),
        idempotency_key="k1",
        ip=None,
    ).lead


def test_task_emails_the_staff_of_the_leads_park_without_personal_data(
    need_data, park_a, investment_officer, other_park_officer
):
    investment_officer.email = "officer@park-a.example"
    investment_officer.save()
    other_park_officer.email = "officer@park-b.example"
    other_park_officer.save()
    lead = submit(need_data, park_a)

    result = lead_notify_staff.call(lead.pk)

    assert result == "sent to 1"
    assert [message.to for message in mail.outbox] == [["officer@park-a.example"]]
    body = f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    assert lead.reference in body
    assert "13812341234" not in body and "王经理" not in body and "测试机械" not in body
    notification = LeadNotification.objects.get()
    assert notification.status == LeadNotification.Status.SENT
    assert notification.attempts == 1


def test_logging_webhook_writes_no_personal_data(need_data, park_a, caplog):
    lead = submit(need_data, park_a)
    with caplog.at_level(logging.INFO, logger="yuanqu.leads.notifications"):
        lead_notification_attempt(lead_id=lead.pk)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert lead.reference in logged
    assert "13812341234" not in logged and "王经理" not in logged


def test_failed_notification_is_recorded_and_retried_with_back_off(
    need_data, park_a, settings, django_capture_on_commit_callbacks
):
    settings.LEAD_WEBHOOK_BACKEND = "yuanqu.leads.tests.test_notifications.UnreachableWebhook"
    lead = submit(need_data, park_a)
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        result = lead_notification_attempt(lead_id=lead.pk, now=now)

    notification = LeadNotification.objects.get()
    assert result == "failed attempt 1"
    assert notification.status == LeadNotification.Status.FAILED
    assert notification.next_attempt_at == now + timedelta(minutes=1)
    assert "ConnectionError" in notification.last_error
    retry = DBTaskResult.objects.get(task_path="yuanqu.leads.tasks.lead_notify_staff")
    assert retry.run_after == notification.next_attempt_at
    assert lead.events.filter(kind=LeadEvent.Kind.NOTIFY_FAILED).exists()


def test_back_off_doubles_and_is_capped():
    assert [notification_backoff(n).total_seconds() // 60 for n in (1, 2, 3, 10, 20)] == [
        1,
        2,
        4,
        360,
        360,
    ]


def test_notification_gives_up_after_the_last_attempt_but_keeps_the_lead(
    need_data, park_a, settings
):
    settings.LEAD_WEBHOOK_BACKEND = "yuanqu.leads.tests.test_notifications.UnreachableWebhook"
    settings.LEAD_NOTIFY_MAX_ATTEMPTS = 2
    lead = submit(need_data, park_a)

    lead_notification_attempt(lead_id=lead.pk)
    lead_notification_attempt(lead_id=lead.pk)

    notification = LeadNotification.objects.get()
    assert notification.status == LeadNotification.Status.GAVE_UP
    assert notification.attempts == 2
    lead.refresh_from_db()
    assert lead.reference


def test_sent_notification_is_not_sent_twice(need_data, park_a):
    lead = submit(need_data, park_a)
    lead_notification_attempt(lead_id=lead.pk)
    assert lead_notification_attempt(lead_id=lead.pk) == "already sent"


def test_periodic_job_requeues_due_failed_and_stale_pending_notices(need_data, park_a):
    lead = submit(need_data, park_a)
    LeadNotification.objects.filter(lead=lead).update(
        status=LeadNotification.Status.FAILED, next_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    DBTaskResult.objects.all().delete()

    summary = requeue_notifications(period_key="2026-11-25T10")

    assert summary == "re-enqueued 1 lead notifications"
    assert (
        DBTaskResult.objects.filter(task_path="yuanqu.leads.tasks.lead_notify_staff").count() == 1
    )


def test_webhook_payloads_carry_the_notice_text(need_data, park_a):
    notice = lead_notice(submit(need_data, park_a))
    assert (
        WeComWebhookBackend(url="http://127.0.0.1:9/").payload(notice)["markdown"]["content"]
        == notice.text()
    )
    assert (
        DingTalkWebhookBackend(url="http://127.0.0.1:9/").payload(notice)["markdown"]["title"]
        == notice.title
    )


def test_notification_task_matches_a_lead_left_without_results(need_data, park_a):
    lead = lead_submit(data=need_data(), idempotency_key="k1", ip=None, run_match=False).lead
    assert lead.match_snapshot is None

    lead_notify_staff.call(lead.pk)

    lead.refresh_from_db()
    assert lead.match_snapshot is not None
    assert lead.park_id == park_a.pk


def test_a_retried_notice_carries_the_same_key_so_the_receiver_can_drop_it(
    need_data, park_a, investment_officer, settings, monkeypatch
):
    import io
    import json

    from yuanqu.leads.notifications import send_lead_notice

    investment_officer.email = "officer@park-a.example"
    investment_officer.save()
    settings.LEAD_WEBHOOK_BACKEND = "yuanqu.leads.notifications.WeComWebhookBackend"
    settings.LEAD_WEBHOOK_URL = "https://qyapi.example/robot"
    sent = []

    def robot(request, timeout):
        sent.append(request.get_header("Idempotency-key"))
        return io.BytesIO(json.dumps({"errcode": 0}).encode())

    monkeypatch.setattr("urllib.request.urlopen", robot)
    lead = submit(need_data, park_a)
    # A worker killed after sending but before recording runs the notice again.
    send_lead_notice(lead)
    send_lead_notice(lead)
    assert sent == [f"lead-notice-{lead.reference}"] * 2
    message_ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(set(message_ids)) == 1 and lead.reference in message_ids[0]
