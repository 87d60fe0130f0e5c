from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from yuanqu.accounts.tests.factories import make_lead

pytestmark = pytest.mark.django_db


def test_changing_a_park_writes_an_audit_entry(park_a):
    park_a.description = "新的简介"
    park_a.save()

    entry = LogEntry.objects.get_for_object(park_a).filter(action=LogEntry.Action.UPDATE).get()
    assert "description" in entry.changes_dict


def test_changing_a_carrier_writes_an_audit_entry(park_a):
    from yuanqu.listings.tests.factories import make_carrier

    carrier = make_carrier(park=park_a)
    carrier.title = "改名后的厂房"
    carrier.save()

    assert LogEntry.objects.get_for_object(carrier).filter(action=LogEntry.Action.UPDATE).exists()


def test_lead_audit_entries_never_hold_personal_data(park_a):
    lead = make_lead(park=park_a, mobile="+8613912345678", contact_name="钱七")
    lead.mobile = "+8613700000000"
    lead.contact_name = "孙八"
    lead.status = "following"
    lead.save()

    text = json.dumps(
        [e.changes for e in LogEntry.objects.get_for_object(lead)], ensure_ascii=False
    )
    assert "status" in text
    for personal in ("13912345678", "13700000000", "钱七", "孙八"):
        assert personal not in text


def test_admin_changes_are_attributed_to_the_user(login_as, park_manager, park_a):
    from yuanqu.accounts.tests.test_admin import _change_data

    lead = make_lead(park=park_a)
    client = login_as(park_manager)

    client.post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        _change_data(client, lead, status="following"),
    )

    entry = LogEntry.objects.get_for_object(lead).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == park_manager


def test_the_audit_trail_is_visible_to_site_admins(login_as, site_admin, park_a):
    park_a.description = "新的简介"
    park_a.save()

    response = login_as(site_admin).get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 200
    assert park_a.name in response.content.decode()


def test_a_forged_forwarded_for_address_is_not_the_audited_address(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)
    login_as(investment_officer).post(
        reverse("inbox:assign", args=[lead.pk]),
        {"owner": investment_officer.pk},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.7",
    )

    entry = LogEntry.objects.get_for_object(lead).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None and entry.remote_addr == "10.0.0.7"
    assert entry.actor == investment_officer


def test_auditing_a_new_lead_reads_none_of_the_rows_that_point_at_it(park_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        lead = make_lead(park=park_a)

    assert LogEntry.objects.get_for_object(lead).filter(action=LogEntry.Action.CREATE).exists()
    reads = [
        query["sql"] for query in queries if query["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert not [sql for sql in reads if "pipeline_project" in sql or "leadnotification" in sql]
