from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yuanqu.accounts.jobs import anonymise_expired_leads
from yuanqu.accounts.tests.factories import make_lead
from yuanqu.leads.models import Lead

pytestmark = pytest.mark.django_db


def test_the_daily_job_anonymises_expired_leads_and_says_how_many(park_a):
    lead = make_lead(park=park_a)
    old = datetime(2020, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    Lead.objects.filter(pk=lead.pk).update(created_at=old, updated_at=old)

    summary = anonymise_expired_leads(period_key="2026-11-25")

    assert summary == "anonymised 1 expired leads"


def test_the_scheduler_discovers_the_daily_retention_job():
    from yuanqu.core.scheduler import discover_jobs

    assert discover_jobs()["accounts.anonymise_expired_leads"].every == "daily"
