"""Need parsing through the API: the need form's own 粘贴识别."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_message_becomes_the_forms_fields(api):
    status, body = api.post("/needs/parse", {"text": "想租个5000平左右的单层厂房,层高10米"})
    assert status == 200
    assert body["fields"]["kind"] == "factory" and body["fields"]["deal"] == "rent"
    assert {"kind", "deal", "area_min", "height_m"} <= set(body["filled"])


def test_an_empty_text_is_refused(api):
    status, body = api.post("/needs/parse", {"text": ""})
    assert status == 400 and body["error"]["fields"]["text"] == ["至少 1 个字符。"]


def test_a_text_over_the_limit_is_refused(api):
    status, body = api.post("/needs/parse", {"text": "厂" * 2001})
    assert status == 400 and body["error"]["fields"]["text"] == ["最多 2000 个字符。"]


NEED = {"kind": "factory", "deal": "rent", "area_min": "1000", "area_max": "1500",
        "mobile": "13812341234", "consent": True}  # fmt: skip


def submit(client, body, key="key-0001"):
    import json

    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = client.post(
        "/api/v1/needs", json.dumps(body), content_type="application/json", **headers
    )
    return response.status_code, response.json()


def test_a_need_is_stored_once_and_answered_with_its_matches(client):
    from yuanqu.leads.models import Lead
    from yuanqu.listings.tests.factories import make_carrier

    carrier = make_carrier(building_area_m2="1200")
    status, body = submit(client, NEED)
    assert status == 200 and body["created"] and body["reference"].startswith("XQ")
    assert [match["carrier_id"] for match in body["matches"]] == [carrier.pk]
    assert body["results_token"] in body["results_url"]
    assert Lead.objects.count() == 1


def test_the_same_key_again_returns_the_same_lead_and_stores_nothing(client):
    from yuanqu.leads.models import Lead, LeadSubmission

    _status, first = submit(client, NEED)
    status, again = submit(client, NEED)
    assert status == 200 and again["replayed"] and again["reference"] == first["reference"]
    assert Lead.objects.count() == 1 and LeadSubmission.objects.count() == 1


def test_the_same_key_with_another_need_is_a_conflict(client):
    from yuanqu.leads.models import Lead

    submit(client, NEED)
    status, body = submit(client, {**NEED, "area_min": "3000", "area_max": "4000"})
    assert status == 409 and body["error"]["code"] == "idempotency_key_reused"
    assert Lead.objects.count() == 1


def test_a_need_without_an_idempotency_key_is_refused(client):
    status, body = submit(client, NEED, key=None)
    assert status == 400 and "Idempotency-Key" in body["error"]["fields"]


def test_a_need_without_consent_is_refused_with_the_forms_message(client):
    from yuanqu.leads.models import Lead

    status, body = submit(client, {**NEED, "consent": False})
    assert status == 400 and "consent" in body["error"]["fields"]
    assert Lead.objects.count() == 0


def test_a_bad_mobile_is_refused_with_the_forms_message(client):
    status, body = submit(client, {**NEED, "mobile": "12345"})
    assert status == 400 and body["error"]["fields"]["mobile"]


def test_submissions_over_the_rate_limit_wait_an_hour(client, settings):
    from yuanqu.leads.models import Lead

    settings.LEAD_RATE_LIMITS = True
    statuses = [submit(client, {**NEED, "area_min": str(1000 + n)}, key=f"k{n}")[0]
                for n in range(30)]  # fmt: skip
    assert 429 in statuses and Lead.objects.count() == statuses.index(429)
