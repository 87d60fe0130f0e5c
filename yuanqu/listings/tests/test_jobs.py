import pytest
from django.core import mail

from yuanqu.listings.jobs import freshness, freshness_reminders_send, saved_search_digest
from yuanqu.listings.models import FreshnessReminder
from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def test_the_owner_is_told_a_week_before_the_carrier_goes_stale(park_a, investment_officer):
    make_carrier(park=park_a, owner=investment_officer, title="快过期", confirmed_days_ago=85)
    make_carrier(park=park_a, owner=investment_officer, title="还新鲜", confirmed_days_ago=30)

    freshness_reminders_send()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [investment_officer.email]
    assert "快过期" in mail.outbox[0].body and "还新鲜" not in mail.outbox[0].body


def test_a_carrier_near_the_hide_limit_gets_the_hide_warning(park_a, investment_officer):
    make_carrier(park=park_a, owner=investment_officer, confirmed_days_ago=175)

    freshness_reminders_send()

    assert FreshnessReminder.objects.get().stage == FreshnessReminder.Stage.HIDE
    assert "隐藏" in mail.outbox[0].body


def test_reminders_are_not_repeated_on_the_next_run(park_a, investment_officer):
    make_carrier(park=park_a, owner=investment_officer, confirmed_days_ago=85)

    freshness_reminders_send()
    freshness_reminders_send()

    assert len(mail.outbox) == 1


def test_without_an_owner_the_park_staff_are_told(park_a, investment_officer):
    make_carrier(park=park_a, confirmed_days_ago=85)

    freshness_reminders_send()

    assert mail.outbox[0].to == [investment_officer.email]


def test_the_daily_job_reports_stale_and_hidden_counts(park_a):
    make_carrier(park=park_a, confirmed_days_ago=100)
    make_carrier(park=park_a, confirmed_days_ago=200)

    summary = freshness(period_key="2026-11-25")

    assert summary is not None and "2 stale" in summary and "1 hidden" in summary


def test_the_weekly_digest_job_runs_without_subscribers():
    assert "0 weekly digests" in str(saved_search_digest(period_key="2026-W48"))
