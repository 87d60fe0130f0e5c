"""Staff endpoints with a token act as the user would in the workbench: the same scoping,
masking, logged reveal and services (the permission matrix, repeated through the API)."""

import json

import pytest

from yuanqu.accounts.models import PersonalDataAccess
from yuanqu.accounts.tests.factories import make_lead
from yuanqu.api.tests.staff_client import bearer, call
from yuanqu.leads.models import FollowUp, LeadEvent
from yuanqu.pipeline.models import Stage
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_a(park_a):
    return make_lead(park=park_a, mobile="+8613812341234")


def test_without_a_token_staff_endpoints_answer_401(client, lead_a):
    status, body = call(client, "get", "/leads", {})
    assert status == 401 and body["error"]["code"] == "unauthenticated"


def test_a_revoked_token_answers_401(client, investment_officer, lead_a):
    headers = bearer(investment_officer)
    from django.utils import timezone

    from yuanqu.api.models import AccessToken

    AccessToken.objects.update(revoked_at=timezone.now())
    assert call(client, "get", "/leads", headers)[0] == 401


def test_leads_of_the_users_park_with_the_mobile_masked(client, investment_officer, lead_a, park_b):
    make_lead(park=park_b)
    status, body = call(client, "get", "/leads", bearer(investment_officer))
    assert status == 200 and [item["id"] for item in body["items"]] == [lead_a.pk]
    assert body["items"][0]["mobile_masked"] != "+8613812341234"
    assert "13812341234" not in json.dumps(body)


def test_another_parks_lead_is_not_found(client, investment_officer, park_b):
    other = make_lead(park=park_b)
    status, body = call(client, "get", f"/leads/{other.pk}", bearer(investment_officer))
    assert status == 404 and body["error"]["code"] == "not_found"


def test_the_reveal_returns_the_number_and_writes_the_access_log(
    client, investment_officer, lead_a
):
    status, body = call(client, "post", f"/leads/{lead_a.pk}/reveal", bearer(investment_officer),
                        {"reason": "回访确认需求"})  # fmt: skip
    assert status == 200 and body["mobile"] == "+8613812341234"
    access = PersonalDataAccess.objects.get()
    assert access.user == investment_officer and access.reason == "回访确认需求"


def test_a_reveal_without_a_reason_is_refused_and_logs_nothing(client, investment_officer, lead_a):
    status, _body = call(client, "post", f"/leads/{lead_a.pk}/reveal", bearer(investment_officer),
                         {"reason": ""})  # fmt: skip
    assert status == 400 and not PersonalDataAccess.objects.exists()


def test_leadership_reads_but_may_not_reveal(client, leadership, lead_a):
    headers = bearer(leadership)
    assert call(client, "get", f"/leads/{lead_a.pk}", headers)[0] == 200
    status, body = call(client, "post", f"/leads/{lead_a.pk}/reveal", headers, {"reason": "看看"})
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert not PersonalDataAccess.objects.exists()


def test_a_read_only_token_may_not_write(client, investment_officer, lead_a):
    headers = bearer(investment_officer, scope="read")
    status, body = call(client, "post", f"/leads/{lead_a.pk}/reveal", headers, {"reason": "回访"})
    assert status == 403 and body["error"]["code"] == "read_only_token"


def test_a_follow_up_through_the_api_is_the_workbenchs_follow_up(
    client, investment_officer, lead_a
):
    status, body = call(client, "post", f"/leads/{lead_a.pk}/follow-ups", bearer(investment_officer), {
        "channel": "call", "happened_at": "2026-12-05T10:30", "outcome": "interested",
        "notes": "已电话沟通,下周看厂房",
    })  # fmt: skip
    assert status == 200, body
    assert body["status"] == "following"
    follow_up = FollowUp.objects.get()
    assert follow_up.author == investment_officer and follow_up.notes == "已电话沟通,下周看厂房"
    assert LeadEvent.objects.filter(lead=lead_a, kind=LeadEvent.Kind.STATUS_CHANGED).exists()


def test_a_bad_follow_up_is_refused_with_the_forms_messages(client, investment_officer, lead_a):
    status, body = call(client, "post", f"/leads/{lead_a.pk}/follow-ups", bearer(investment_officer), {
        "channel": "carrier-pigeon", "happened_at": "yesterday", "outcome": "interested", "notes": "x",
    })  # fmt: skip
    assert status == 400 and {"channel", "happened_at"} <= set(body["error"]["fields"])
    assert not FollowUp.objects.exists()


def test_an_officer_claims_a_lead_through_the_assign_service(client, investment_officer, lead_a):
    status, body = call(client, "post", f"/leads/{lead_a.pk}/assign", bearer(investment_officer),
                        {"owner": investment_officer.pk})  # fmt: skip
    assert status == 200, body
    assert body["owner"]["id"] == investment_officer.pk
    assert LeadEvent.objects.filter(lead=lead_a, kind=LeadEvent.Kind.ASSIGNED).exists()


def test_a_lead_cannot_be_assigned_to_another_parks_officer(
    client, investment_officer, other_park_officer, lead_a
):
    status, body = call(client, "post", f"/leads/{lead_a.pk}/assign", bearer(investment_officer),
                        {"owner": other_park_officer.pk})  # fmt: skip
    assert status == 400 and "owner" in body["error"]["fields"]
    lead_a.refresh_from_db()
    assert lead_a.owner_id is None


def test_projects_of_the_users_park(client, investment_officer, park_a, park_b):
    mine = make_project(park=park_a)
    make_project(park=park_b)
    status, body = call(client, "get", "/projects", bearer(investment_officer))
    assert status == 200 and [p["id"] for p in body["items"]] == [mine.pk]


SIGNING = {"to_stage": "signed", "effective_on": "2026-12-01", "agreed_investment_yi": "3"}


def test_a_stage_change_goes_through_the_stage_service(client, investment_officer, park_a):
    from yuanqu.pipeline.models import StageChange

    project = make_project(park=park_a, stage=Stage.NEGOTIATING)
    status, body = call(client, "post", f"/projects/{project.pk}/stage", bearer(investment_officer),
                        {**SIGNING, "version": project.version})  # fmt: skip
    assert status == 200, body
    assert body["stage"] == "signed" and body["version"] == project.version + 1
    change = StageChange.objects.get(project=project, to_stage="signed")
    assert change.actor == investment_officer


def test_a_stage_change_with_a_stale_version_is_a_conflict(client, investment_officer, park_a):
    project = make_project(park=park_a, stage=Stage.NEGOTIATING)
    stale_version = project.version
    type(project).objects.filter(pk=project.pk).update(
        version=stale_version + 1
    )  # a colleague saved meanwhile
    status, body = call(client, "post", f"/projects/{project.pk}/stage", bearer(investment_officer),
                        {**SIGNING, "version": stale_version})  # fmt: skip
    assert status == 409 and body["error"]["code"] == "version_conflict", body
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_an_unknown_stage_field_is_refused(client, investment_officer, park_a):
    project = make_project(park=park_a)
    status, body = call(client, "post", f"/projects/{project.pk}/stage", bearer(investment_officer),
                        {"to_stage": "signed", "version": project.version, "drop_table": "x"})  # fmt: skip
    assert status == 400 and "drop_table" in body["error"]["fields"]


def test_a_token_over_its_rate_waits_with_retry_after(client, settings, investment_officer):
    settings.API_TOKEN_RATE = "2/m"
    headers = bearer(investment_officer)
    for _ in range(2):
        assert call(client, "get", "/projects", headers)[0] == 200
    response = client.get("/api/v1/projects", **headers)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "rate_limited"
    assert call(client, "get", "/projects", bearer(investment_officer))[0] == 200  # another token
