from datetime import date

import pytest
from django.urls import reverse

from yuanqu.pipeline.models import Stage
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db
PAGE = "pipeline:analytics"
PERIOD = {"preset": "custom", "date_from": "2026-01-01", "date_to": "2026-06-30"}


def test_an_officer_has_no_analytics(login_as, investment_officer):
    assert login_as(investment_officer).get(reverse(PAGE)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse(PAGE))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_park_manager_sees_only_the_parks_figures(login_as, park_manager, park_a, park_b):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11))
    make_project(park=park_b, stage=Stage.SIGNED, met_on=date(2026, 1, 11))

    response = login_as(park_manager).get(reverse(PAGE), PERIOD)

    result = response.context["result"]
    assert [row.park for row in result.rows] == [park_a] and result.total.signed == 1
    assert "乙园" not in response.content.decode()


def test_leadership_sees_every_park_of_its_region(login_as, leadership, park_a, park_b):
    make_project(park=park_a, stage=Stage.SIGNED, met_on=date(2026, 1, 11))
    make_project(park=park_b, stage=Stage.SIGNED, met_on=date(2026, 1, 11))

    result = login_as(leadership).get(reverse(PAGE), PERIOD).context["result"]

    assert result.total.signed == 2


def test_a_period_ending_before_it_starts_is_refused_with_a_message(login_as, park_manager):
    response = login_as(park_manager).get(
        reverse(PAGE), {"preset": "custom", "date_from": "2026-06-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_another_parks_id_in_the_filter_is_refused(login_as, park_manager, park_b):
    response = login_as(park_manager).get(reverse(PAGE), {**PERIOD, "park": park_b.pk})

    assert response.status_code == 400


def test_the_list_behind_a_figure_names_its_projects(login_as, park_manager, park_a):
    make_project(park=park_a, name="已拿地的项目", stage=Stage.LAND, met_on=date(2026, 1, 11))
    make_project(park=park_a, name="只签约的项目", stage=Stage.SIGNED, met_on=date(2026, 1, 11))

    page = (
        login_as(park_manager)
        .get(reverse("pipeline:analytics_projects"), {**PERIOD, "metric": "fulfilled"})
        .content.decode()
    )

    assert "已拿地的项目" in page and "只签约的项目" not in page


def test_an_unknown_metric_is_a_clear_error(login_as, park_manager):
    response = login_as(park_manager).get(
        reverse("pipeline:analytics_projects"), {**PERIOD, "metric": "DROP TABLE"}
    )

    assert response.status_code == 400
    assert "统计口径" in response.content.decode()
