"""Indicators through the API: the dashboard's figures for the user's parks, and the bulk
upsert under the importer's rules, all or nothing."""

from decimal import Decimal

import pytest

from yuanqu.api.tests.staff_client import bearer, call
from yuanqu.indicators.models import ImportBatch, IndicatorValue, Revision
from yuanqu.indicators.tests.factories import make_target, make_value

pytestmark = pytest.mark.django_db


def output_row(park, month, value, **extra):
    return {"park": park.pk, "indicator": "industrial_output", "year": 2026, "month": month,
            "value": value, **extra}  # fmt: skip


def test_the_indicator_list_names_units_and_kinds(client, investment_officer):
    status, body = call(client, "get", "/indicators", bearer(investment_officer))
    output = next(item for item in body if item["code"] == "industrial_output")
    assert status == 200 and output["unit"] == "亿元" and output["kind"] == "cumulative"


def test_a_park_officer_sees_only_their_parks_figures_and_no_city_row(
    client, investment_officer, park_a, park_b
):
    make_value(park=park_a, code="industrial_output", year=2026, month=3, value="12.5")
    make_value(park=park_b, code="industrial_output", year=2026, month=3, value="30")
    status, body = call(client, "get", "/indicators/report?year=2026&month=3",
                        bearer(investment_officer))  # fmt: skip
    assert status == 200 and [p["park_id"] for p in body["parks"]] == [park_a.pk]
    assert body["city"] is None
    output = next(f for f in body["parks"][0]["figures"] if f["indicator"] == "industrial_output")
    assert output["ytd"] == 12.5


def test_leadership_sees_completion_against_the_target(client, leadership, park_a, park_b):
    make_value(park=park_a, code="industrial_output", year=2026, month=6, value="60")
    make_target(park=park_a, code="industrial_output", year=2026, value="100")
    status, body = call(client, "get", "/indicators/report", bearer(leadership))
    assert status == 200 and (body["year"], body["month"]) == (2026, 6)
    park = next(p for p in body["parks"] if p["park_id"] == park_a.pk)
    output = next(f for f in park["figures"] if f["indicator"] == "industrial_output")
    assert output["completion_pct"] == 60.0 and output["time_progress_pct"] == 50.0
    assert body["city"] is not None


def test_another_parks_report_is_not_found(client, investment_officer, park_b):
    status, body = call(client, "get", f"/indicators/report?park={park_b.pk}",
                        bearer(investment_officer))  # fmt: skip
    assert status == 404 and body["error"]["code"] == "not_found"


def test_a_park_manager_upserts_monthly_values_with_a_revision_each(client, park_manager, park_a):
    status, body = call(client, "post", "/indicators/values", bearer(park_manager),
                        {"rows": [output_row(park_a, 1, "3.2"), output_row(park_a, 2, "7.9")]})  # fmt: skip
    assert status == 200, body
    assert body["created"] == 2 and body["months"] == ["2026-01", "2026-02"]
    assert ImportBatch.objects.get().source == ImportBatch.Source.API
    assert IndicatorValue.objects.get(park=park_a, month=2).value == Decimal("7.9")
    assert Revision.objects.filter(user=park_manager).count() == 2


def test_the_same_rows_twice_change_nothing(client, park_manager, park_a):
    rows = {"rows": [output_row(park_a, 1, "3.2")]}
    call(client, "post", "/indicators/values", bearer(park_manager), rows)
    status, body = call(client, "post", "/indicators/values", bearer(park_manager), rows)
    assert status == 200 and body["unchanged"] == 1 and body["batch_id"] is None
    assert ImportBatch.objects.count() == 1


def test_one_falling_cumulative_row_writes_nothing(client, park_manager, park_a):
    rows = [output_row(park_a, 1, "3.2"), output_row(park_a, 2, "2.0")]
    status, body = call(client, "post", "/indicators/values", bearer(park_manager), {"rows": rows})
    assert status == 400 and "rows[1]" in body["error"]["fields"]
    assert "累计值低于上月" in body["error"]["fields"]["rows[1]"][0]
    assert not IndicatorValue.objects.exists()


def test_a_value_below_the_stored_previous_month_is_refused(client, park_manager, park_a):
    make_value(park=park_a, code="industrial_output", year=2026, month=1, value="5")
    status, body = call(client, "post", "/indicators/values", bearer(park_manager),
                        {"rows": [output_row(park_a, 2, "4")]})  # fmt: skip
    assert status == 400 and not IndicatorValue.objects.filter(month=2).exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"indicator": "no_such"}, "没有代码为"),
        ({"value": "-1"}, "不能为负数"),
        ({"indicator": "industrial_value_added", "value": "1"}, "只发布增速"),
        ({"value": None}, "至少给出一个"),
    ],
)
def test_a_bad_row_is_named_with_the_importers_reason(client, park_manager, park_a, row, message):
    rows = [output_row(park_a, 1, "1"), {**output_row(park_a, 2, "2"), **row}]
    status, body = call(client, "post", "/indicators/values", bearer(park_manager), {"rows": rows})
    assert status == 400 and message in body["error"]["fields"]["rows[1]"][0]
    assert not IndicatorValue.objects.exists()


def test_the_same_figure_twice_in_one_request_is_refused(client, park_manager, park_a):
    rows = [output_row(park_a, 1, "1"), output_row(park_a, 1, "2")]
    status, body = call(client, "post", "/indicators/values", bearer(park_manager), {"rows": rows})
    assert status == 400 and "rows[0]" in body["error"]["fields"]["rows[1]"][0]


def test_another_parks_rows_are_refused(client, park_manager, park_b):
    status, body = call(client, "post", "/indicators/values", bearer(park_manager),
                        {"rows": [output_row(park_b, 1, "1")]})  # fmt: skip
    assert status == 400 and "无权导入其他园区" in body["error"]["fields"]["rows[0]"][0]
    assert not IndicatorValue.objects.exists()


def test_an_investment_officer_may_not_import(client, investment_officer, park_a):
    status, body = call(client, "post", "/indicators/values", bearer(investment_officer),
                        {"rows": [output_row(park_a, 1, "1")]})  # fmt: skip
    assert status == 403


def test_unknown_fields_and_bad_months_are_refused(client, park_manager, park_a):
    status, body = call(client, "post", "/indicators/values", bearer(park_manager),
                        {"rows": [output_row(park_a, 13, "1", unit="万元")]})  # fmt: skip
    assert status == 400 and body["error"]["code"] == "invalid"
    assert not IndicatorValue.objects.exists()
