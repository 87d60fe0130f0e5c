from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.pipeline.alerts import alerts_refresh
from yuanqu.pipeline.tests.factories import make_project
from yuanqu.workbench.digest import send_daily_digests
from yuanqu.workbench.models import DailyDigest

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_work(park_a, investment_officer):
    today = timezone.localdate()
    make_lead(park=park_a, owner=investment_officer, status="following", next_follow_up_on=today,
              reference="XQ-DUE-TODAY", mobile="+8613812345678")  # fmt: skip
    make_lead(park=park_a, owner=investment_officer, status="following",
              next_follow_up_on=today - timedelta(days=2), reference="XQ-OVERDUE")  # fmt: skip
    make_project(park=park_a, name="停滞的轴承项目", officer=investment_officer,
                 last_activity_at=timezone.now() - timedelta(days=60))  # fmt: skip
    alerts_refresh()


def test_the_digest_lists_due_and_overdue_follow_ups_and_project_alerts(
    due_work, investment_officer
):
    send_daily_digests()

    message = next(m for m in mail.outbox if m.to == [investment_officer.email])
    assert "XQ-DUE-TODAY" in message.body and "XQ-OVERDUE" in message.body
    assert "停滞的轴承项目" in message.body


def test_the_digest_carries_no_mobile_or_company(due_work, investment_officer):
    send_daily_digests()

    body = next(m for m in mail.outbox if m.to == [investment_officer.email]).body
    assert "5678" not in body and "徐州测试机械有限公司" not in body


def test_running_twice_a_day_sends_one_digest_per_officer(due_work, investment_officer):
    first = send_daily_digests()
    second = send_daily_digests()

    assert (first, second) == (1, 0)
    assert DailyDigest.objects.filter(user=investment_officer).count() == 1
    assert len([m for m in mail.outbox if m.to == [investment_officer.email]]) == 1


def test_the_next_day_gets_its_own_digest(due_work, investment_officer):
    send_daily_digests()

    send_daily_digests(today=timezone.localdate() + timedelta(days=1))

    assert DailyDigest.objects.filter(user=investment_officer).count() == 2


def test_a_manager_hears_of_unassigned_leads_of_the_park(park_a, park_manager):
    make_lead(park=park_a)

    send_daily_digests()

    body = next(m for m in mail.outbox if m.to == [park_manager.email]).body
    assert "待分配的新线索 1 条" in body


def test_nobody_with_nothing_to_do_gets_a_digest(park_a, investment_officer):
    assert send_daily_digests() == 0
    assert not mail.outbox


def test_the_daily_job_is_registered():
    from yuanqu.core.scheduler import discover_jobs

    assert discover_jobs()["workbench.daily_digest"].every == "daily"
