from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from yuanqu.accounts.models import SecurityEvent
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.tests.factories import (
    make_credit_code,
    make_enterprise,
    make_target,
    xlsx_upload,
)

LIST = reverse("enterprises:list")


def _form(park, **overrides):
    data = {
        "name": "徐州精工机械有限公司",
        "credit_code": make_credit_code(1),
        "park": str(park.pk),
        "industry_code": "",
        "address": "",
    }
    data.update(overrides)
    return data


# --- access --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_editors_are_refused(login_as, editor):
    assert login_as(editor).get(LIST).status_code == 403


def test_the_list_shows_the_officer_their_parks_enterprises(
    login_as, investment_officer, park_a, park_b
):
    make_enterprise(park=park_a, name="甲园企业")
    make_enterprise(park=park_b, name="乙园企业")

    response = login_as(investment_officer).get(LIST)

    assert response.status_code == 200
    assert "甲园企业" in response.content.decode()
    assert "乙园企业" not in response.content.decode()


def test_the_list_refuses_post(login_as, investment_officer):
    assert login_as(investment_officer).post(LIST).status_code == 405


def test_the_list_costs_the_same_queries_for_3_and_30_rows(
    login_as, investment_officer, park_a, django_assert_num_queries
):
    client = login_as(investment_officer)
    for _ in range(3):
        make_enterprise(park=park_a, high_tech_certified_on=date(2024, 1, 1))
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(27):
        make_enterprise(
            park=park_a, above_scale_type="industry", above_scale_since=date(2024, 1, 1)
        )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)

    assert len(response.context["enterprises"]) == 30


def test_an_htmx_request_gets_only_the_results_fragment(login_as, investment_officer, park_a):
    make_enterprise(park=park_a, name="甲园企业")

    response = login_as(investment_officer).get(LIST, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="ent-results"')
    assert "甲园企业" in body


def test_another_parks_enterprise_is_not_found_and_logged(login_as, other_park_officer, park_a):
    enterprise = make_enterprise(park=park_a)

    response = login_as(other_park_officer).get(reverse("enterprises:detail", args=[enterprise.pk]))

    assert response.status_code == 404
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.FORBIDDEN_OBJECT, target=f"enterprises.enterprise:{enterprise.pk}"
    ).exists()


def test_leadership_reads_an_enterprise_but_may_not_edit_it(login_as, leadership, park_a):
    enterprise = make_enterprise(park=park_a, name="甲园企业")
    client = login_as(leadership)

    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("enterprises:edit", args=[enterprise.pk])).status_code == 403
    assert client.get(reverse("enterprises:new")).status_code == 403
    assert client.get(reverse("enterprises:import")).status_code == 403


# --- detail, create, edit --------------------------------------------------------------


def test_the_detail_page_lists_the_projects_linked_to_the_enterprise(
    login_as, investment_officer, park_a
):
    from yuanqu.pipeline.models import Project

    enterprise = make_enterprise(park=park_a)
    Project.objects.create(
        name="精工机械扩产项目",
        investor_name="精工机械",
        source="other",
        park=park_a,
        enterprise=enterprise,
    )

    response = login_as(investment_officer).get(reverse("enterprises:detail", args=[enterprise.pk]))

    assert "精工机械扩产项目" in response.content.decode()


def test_registering_an_enterprise_redirects_to_its_page(login_as, investment_officer, park_a):
    response = login_as(investment_officer).post(reverse("enterprises:new"), _form(park_a))

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])


def test_a_wrong_check_digit_is_shown_beside_the_field_and_nothing_saved(
    login_as, investment_officer, park_a
):
    good = make_credit_code(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = login_as(investment_officer).post(
        reverse("enterprises:new"), _form(park_a, credit_code=bad)
    )

    assert response.status_code == 400
    assert "校验位不正确" in str(response.context["form"].errors["credit_code"])
    assert not Enterprise.objects.exists()


def test_a_forged_park_id_is_refused_and_logged(login_as, investment_officer, park_a, park_b):
    response = login_as(investment_officer).post(reverse("enterprises:new"), _form(park_b))

    assert response.status_code == 400
    assert "不在您的管理范围内" in str(response.context["form"].errors["park"])
    assert not Enterprise.objects.exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.TAMPERED_FIELD, detail=f"park={park_b.pk}"
    ).exists()


def test_editing_saves_the_new_values(login_as, investment_officer, park_a):
    enterprise = make_enterprise(park=park_a, name="旧名")

    response = login_as(investment_officer).post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        _form(park_a, name="新名", credit_code=enterprise.credit_code, gazelle_since="2024-05-01"),
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.gazelle_since) == ("新名", date(2024, 5, 1))


def test_editing_another_parks_enterprise_is_not_found(login_as, other_park_officer, park_a):
    enterprise = make_enterprise(park=park_a, name="旧名")

    response = login_as(other_park_officer).post(
        reverse("enterprises:edit", args=[enterprise.pk]), _form(park_a, name="篡改")
    )

    assert response.status_code == 404
    assert Enterprise.objects.get().name == "旧名"


# --- Excel -----------------------------------------------------------------------------


def test_the_template_downloads_with_chinese_headers(login_as, investment_officer):
    response = login_as(investment_officer).get(reverse("enterprises:import_template"))

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [cell.value for cell in sheet[1]][:3] == ["所在园区", "企业名称", "统一社会信用代码"]


def test_a_good_import_redirects_to_the_list(login_as, investment_officer, park_a):
    upload = xlsx_upload(
        [["甲园区", "徐州精工机械有限公司", make_credit_code(1)]],
        headers=["所在园区", "企业名称", "统一社会信用代码"],
    )

    response = login_as(investment_officer).post(reverse("enterprises:import"), {"file": upload})

    assert response.status_code == 302
    assert Enterprise.objects.count() == 1


def test_a_bad_import_lists_row_and_column_and_saves_nothing(login_as, investment_officer, park_a):
    upload = xlsx_upload(
        [["乙园区", "徐州精工机械有限公司", make_credit_code(1)]],
        headers=["所在园区", "企业名称", "统一社会信用代码"],
    )

    response = login_as(investment_officer).post(reverse("enterprises:import"), {"file": upload})

    assert response.status_code == 400
    assert "第 2 行 · 所在园区" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_the_export_holds_the_filtered_visible_enterprises(login_as, leadership, park_a, park_b):
    make_enterprise(park=park_a, name="甲园高企", high_tech_certified_on=date(2024, 1, 1))
    make_enterprise(park=park_a, name="甲园普通")
    make_enterprise(park=park_b, name="乙园高企", high_tech_certified_on=date(2024, 1, 1))

    response = login_as(leadership).get(reverse("enterprises:export"), {"flag": "high_tech"})

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"甲园高企", "乙园高企"}
    assert response["Cache-Control"] == "private, no-store"


# --- targets ---------------------------------------------------------------------------


TARGETS = reverse("enterprises:targets")


def test_the_targets_page_shows_progress(login_as, leadership, park_a):
    make_target(park=park_a, year=2024, kind="high_tech_new", target=30)
    make_enterprise(park=park_a, name="新高企", high_tech_certified_on=date(2024, 3, 1))

    response = login_as(leadership).get(TARGETS, {"year": "2024"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "新高企" in body
    assert "3.3%" in body


@pytest.mark.parametrize("kind", ["high_tech_new"])
def test_a_park_manager_saves_targets(login_as, park_manager, park_a, kind):
    response = login_as(park_manager).post(
        TARGETS, {"park": park_a.pk, "year": 2025, f"target_{kind}": "30", f"note_{kind}": "市定"}
    )

    assert response.status_code == 302
    target = CultivationTarget.objects.get()
    assert (target.park, target.year, target.kind, target.target) == (park_a, 2025, kind, 30)


def test_an_officer_posting_targets_is_refused_and_logged(login_as, investment_officer, park_a):
    response = login_as(investment_officer).post(
        TARGETS, {"park": park_a.pk, "year": 2025, "target_high_tech_new": "30"}
    )

    assert response.status_code == 400
    assert "无权设置该园区的培育目标" in response.content.decode()
    assert not CultivationTarget.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TAMPERED_FIELD).exists()


def test_a_negative_target_is_shown_beside_its_field(login_as, park_manager, park_a):
    response = login_as(park_manager).post(
        TARGETS, {"park": park_a.pk, "year": 2025, "target_gazelle_new": "-3"}
    )

    assert response.status_code == 400
    assert "目标数不能为负" in response.content.decode()
    assert not CultivationTarget.objects.exists()


def test_leadership_may_not_post_targets(login_as, leadership, park_a):
    response = login_as(leadership).post(
        TARGETS, {"park": park_a.pk, "year": 2025, "target_high_tech_new": "30"}
    )

    assert response.status_code == 403
