"""A change made through the HTML workbench and the same change made through the API end in
the same record and leave the same audit rows (who, what, from, to)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.api.tests.staff_client import bearer, call
from yuanqu.leads.models import FollowUp, Lead, LeadEvent
from yuanqu.pipeline.models import StageChange
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db

FOLLOW_UP = {"channel": "call", "happened_at": "2026-12-05T10:30", "outcome": "interested",
             "notes": "已电话沟通,下周看厂房", "next_follow_up_on": "2026-12-12"}  # fmt: skip
SIGNING = {"to_stage": "signed", "effective_on": "2026-12-01", "agreed_investment_yi": "8.5"}


def lead_state(lead):
    lead = Lead.objects.get(pk=lead.pk)
    return {name: getattr(lead, name) for name in ("status", "owner_id", "next_follow_up_on")}


def lead_audit(lead):
    events = [
        (e.kind, e.actor_id, e.note) for e in LeadEvent.objects.filter(lead=lead).order_by("id")
    ]
    follow_ups = [(f.author_id, f.channel, f.outcome, f.notes, f.happened_at)
                  for f in FollowUp.objects.filter(lead=lead)]  # fmt: skip
    log = [(e.action, e.actor_id, sorted(e.changes_dict))
           for e in LogEntry.objects.get_for_object(lead).order_by("id")]  # fmt: skip
    return events, follow_ups, log


def test_a_lead_claimed_and_followed_up_on_both_ways_ends_the_same(
    login_as, client, investment_officer, park_a
):
    by_page, by_api = make_lead(park=park_a), make_lead(park=park_a)
    page = login_as(investment_officer)
    page.post(reverse("inbox:assign", args=[by_page.pk]), {"owner": investment_officer.pk})
    page.post(reverse("inbox:follow_up", args=[by_page.pk]), FOLLOW_UP)
    headers = bearer(investment_officer)
    api = client  # a separate client: no session, only the token
    assert call(api, "post", f"/leads/{by_api.pk}/assign", headers,
                {"owner": investment_officer.pk})[0] == 200  # fmt: skip
    assert call(api, "post", f"/leads/{by_api.pk}/follow-ups", headers, FOLLOW_UP)[0] == 200

    assert lead_state(by_api) == lead_state(by_page)
    assert lead_audit(by_api) == lead_audit(by_page)
    assert lead_audit(by_api)[2], "the audit log holds the changes"


def project_audit(project):
    return [(c.from_stage, c.to_stage, c.effective_on, c.actor_id, c.evidence, c.reason)
            for c in StageChange.objects.filter(project=project).order_by("id")]  # fmt: skip


def test_a_project_signed_both_ways_ends_the_same(login_as, client, investment_officer, park_a):
    by_page, by_api = make_project(park=park_a), make_project(park=park_a)
    login_as(investment_officer).post(
        reverse("pipeline:move", kwargs={"project_id": by_page.pk}),
        {**SIGNING, "version": by_page.version},
    )
    status, _body = call(client, "post", f"/projects/{by_api.pk}/stage",
                         bearer(investment_officer), {**SIGNING, "version": by_api.version})  # fmt: skip
    assert status == 200
    by_page.refresh_from_db()
    by_api.refresh_from_db()
    fields = ("stage", "signed_on", "agreed_investment_yi", "version")
    assert [getattr(by_api, f) for f in fields] == [getattr(by_page, f) for f in fields]
    assert project_audit(by_api) == project_audit(by_page) != []
