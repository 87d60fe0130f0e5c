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


def test_an_officer_registers_an_enterprise_through_the_registry_form(
    client, investment_officer, park_a
):
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.tests.factories import make_credit_code
    from yuanqu.parks.tests.factories import make_industry

    code = make_credit_code(7)
    make_industry("3514")
    status, body = call(client, "post", "/enterprises", bearer(investment_officer), {
        "name": "徐州甲液压有限公司", "credit_code": code, "park": park_a.pk,
        "industry_code": "3514", "high_tech_certified_on": "2025-11-20",
    })  # fmt: skip
    assert status == 200, body
    enterprise = Enterprise.objects.get(credit_code=code)
    assert body["id"] == enterprise.pk and enterprise.industry_id == "3514"


def test_a_bad_credit_code_is_refused_with_the_forms_message(client, investment_officer, park_a):
    from yuanqu.enterprises.models import Enterprise

    status, body = call(client, "post", "/enterprises", bearer(investment_officer),
                        {"name": "乙公司", "credit_code": "12345", "park": park_a.pk})  # fmt: skip
    assert status == 400 and "credit_code" in body["error"]["fields"]
    assert not Enterprise.objects.exists()


def test_an_enterprise_cannot_be_registered_in_another_park(client, investment_officer, park_b):
    from yuanqu.enterprises.tests.factories import make_credit_code

    status, body = call(client, "post", "/enterprises", bearer(investment_officer),
                        {"name": "丙公司", "credit_code": make_credit_code(8), "park": park_b.pk})  # fmt: skip
    assert status == 400 and "park" in body["error"]["fields"]


def test_a_change_touches_only_the_given_fields(client, investment_officer, park_a):
    enterprise = make_enterprise(
        park=park_a, address="旧地址", high_tech_certified_on=date(2025, 1, 2)
    )
    status, body = call(client, "patch", f"/enterprises/{enterprise.pk}", bearer(investment_officer),
                        {"address": "新地址"})  # fmt: skip
    assert status == 200, body
    enterprise.refresh_from_db()
    assert enterprise.address == "新地址" and enterprise.high_tech_certified_on == date(2025, 1, 2)


def test_leadership_may_read_but_not_change_the_registry(client, leadership, park_a):
    enterprise = make_enterprise(park=park_a)
    headers = bearer(leadership)
    assert call(client, "get", f"/enterprises/{enterprise.pk}", headers)[0] == 200
    status, body = call(client, "patch", f"/enterprises/{enterprise.pk}", headers, {"address": "x"})
    assert status == 403
