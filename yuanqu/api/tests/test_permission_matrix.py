"""The workbench's permission matrix, repeated through the API on every operation that needs
a token (read from the live schema, so a new endpoint is covered the day it is added):
anonymous, a revoked and an expired token, a read token writing, and park A's token on
park B's objects."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.api.main import api
from yuanqu.api.models import AccessToken
from yuanqu.api.tokens import token_create
from yuanqu.enterprises.tests.factories import make_enterprise
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db


def staff_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]


OPERATIONS = staff_operations()


@pytest.fixture
def park_b_objects(park_b):
    return {
        "lead_id": make_lead(park=park_b).pk,
        "project_id": make_project(park=park_b).pk,
        "enterprise_id": make_enterprise(park=park_b).pk,
    }


# A valid body for each write, so the refusal tested is the object's scope, not the body.
BODIES = {
    "/api/v1/leads/{lead_id}/reveal": {"reason": "回访"},
    "/api/v1/leads/{lead_id}/follow-ups": {"channel": "call", "happened_at": "2026-12-05T10:30",
                                           "outcome": "interested", "notes": "沟通"},
    "/api/v1/leads/{lead_id}/assign": {"owner": 1},
    "/api/v1/projects/{project_id}/stage": {"to_stage": "signed", "version": 1,
                                            "effective_on": "2026-12-01",
                                            "agreed_investment_yi": "3"},
    "/api/v1/indicators/values": {"rows": [{"park": 1, "indicator": "industrial_output",
                                            "year": 2026, "month": 1, "value": "1"}]},
}  # fmt: skip
BODIES["/api/v1/enterprises"] = {"name": "甲公司", "credit_code": "91320300MA1XXXXXX0", "park": 1}
BODIES["/api/v1/enterprises/{enterprise_id}"] = {"address": "徐州经济技术开发区"}
QUERIES = {"/api/v1/indicators/report": "?year=2026&month=1"}


def send(client, method, path, ids, token=None):
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path) + QUERIES.get(path, "")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(url, **headers)
    body = json.dumps(BODIES.get(path, {}))
    return client.generic(method, url, body, content_type="application/json", **headers)


def test_the_schema_lists_the_staff_operations_and_each_write_has_a_body():
    assert ("GET", "/api/v1/leads") in OPERATIONS
    assert {path for method, path in OPERATIONS if method != "GET"} <= set(BODIES)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_without_a_token_every_staff_operation_is_401(client, park_b_objects, method, path):
    response = send(client, method, path, park_b_objects)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("state", ["revoked", "expired"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_revoked_and_expired_tokens_are_401(
    client, investment_officer, park_b_objects, method, path, state
):
    token, raw = token_create(user=investment_officer, name="x", scope="read_write", days=30)
    if state == "revoked":
        AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    else:
        AccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    assert send(client, method, path, park_b_objects, raw).status_code == 401


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if op[0] != "GET"])
def test_a_read_token_may_not_write(client, investment_officer, park_a, method, path):
    ids = {
        "lead_id": make_lead(park=park_a).pk,
        "project_id": make_project(park=park_a).pk,
        "enterprise_id": make_enterprise(park=park_a).pk,
    }
    _token, raw = token_create(user=investment_officer, name="x", scope="read", days=30)
    response = send(client, method, path, ids, raw)
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only_token"


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if "{" in op[1]])
def test_park_a_token_gets_nothing_of_park_b_objects(
    client, investment_officer, park_b_objects, method, path
):
    _token, raw = token_create(user=investment_officer, name="x", scope="read_write", days=30)
    response = send(client, method, path, park_b_objects, raw)
    assert response.status_code == 404, (method, path, response.status_code)


LISTS = [op for op in OPERATIONS if op[0] == "GET" and "{" not in op[1]]


@pytest.mark.parametrize(("method", "path"), LISTS)
def test_park_a_lists_hold_no_park_b_rows(client, investment_officer, park_b_objects, method, path):
    _token, raw = token_create(user=investment_officer, name="x", scope="read", days=30)
    response = send(client, method, path, park_b_objects, raw)
    assert response.status_code == 200
    body = response.json()
    items = (body.get("items") or body.get("parks") or []) if isinstance(body, dict) else []
    for item in items:
        assert item.get("park_id") in (None, investment_officer.memberships.get().park_id), item
