"""The enterprise registry through the API: the registry page's scope and filters."""

from datetime import date

import pytest

from yuanqu.api.tests.staff_client import bearer, call
from yuanqu.enterprises.tests.factories import make_enterprise
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_list_holds_only_the_users_parks_by_name(client, investment_officer, park_a, park_b):
    second = make_enterprise(park=park_a, name="乙机械有限公司")
    first = make_enterprise(park=park_a, name="甲机械有限公司")
    make_enterprise(park=park_b, name="丙电子有限公司")
    status, body = call(client, "get", "/enterprises", bearer(investment_officer))
    assert status == 200
    assert sorted(item["id"] for item in body["items"]) == sorted([first.pk, second.pk])


def test_the_flag_filter_is_the_registry_pages(client, investment_officer, park_a):
    certified = make_enterprise(park=park_a, high_tech_certified_on=date(2025, 11, 1))
    make_enterprise(park=park_a)
    status, body = call(client, "get", "/enterprises?flag=high_tech", bearer(investment_officer))
    assert status == 200 and [item["id"] for item in body["items"]] == [certified.pk]


def test_pages_follow_each_other_without_gaps(client, investment_officer, park_a):
    made = {make_enterprise(park=park_a).pk for _ in range(5)}
    headers = bearer(investment_officer)
    seen, cursor = [], ""
    while True:
        status, body = call(client, "get", f"/enterprises?limit=2&cursor={cursor}", headers)
        assert status == 200
        seen += [item["id"] for item in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert sorted(seen) == sorted(made)


def test_the_detail_lists_the_projects_it_came_from(client, investment_officer, park_a):
    enterprise = make_enterprise(park=park_a, high_tech_certified_on=date(2025, 11, 1))
    project = make_project(park=park_a, enterprise=enterprise)
    status, body = call(client, "get", f"/enterprises/{enterprise.pk}", bearer(investment_officer))
    assert status == 200 and body["high_tech_held"] is True
    assert [p["id"] for p in body["projects"]] == [project.pk]


def test_another_parks_enterprise_is_not_found(client, investment_officer, park_b):
    other = make_enterprise(park=park_b)
    status, body = call(client, "get", f"/enterprises/{other.pk}", bearer(investment_officer))
    assert status == 404


def test_an_editor_may_not_read_the_registry(client, editor):
    status, body = call(client, "get", "/enterprises", bearer(editor))
    assert status == 403 and body["error"]["code"] == "forbidden"
