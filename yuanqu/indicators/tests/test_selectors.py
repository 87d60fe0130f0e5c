"""The month report: figures derived from stored values, targets and the registry."""

import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from yuanqu.indicators import selectors
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.tests.factories import indicator, make_target, make_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(park_a, park_b):
    """甲园区 46.8 of a 120 target (last year 42.0 and 100 for the year), 乙园区 30 of 50."""
    for park, now, year_ago, last_year_total, target in (
        (park_a, "46.8", "42", "100", "120"), (park_b, "30", "24", "50", "50"),
    ):  # fmt: skip
        make_value(park=park, code="industrial_output", year=2026, month=6, value=now)
        make_value(park=park, code="industrial_output", year=2025, month=6, value=year_ago)
        make_value(park=park, code="industrial_output", year=2025, month=12, value=last_year_total)
        make_target(park=park, code="industrial_output", year=2026, value=target)
    make_value(park=None, code="industrial_output", year=2026, month=6, value="520", yoy_pct="7.2")
    make_value(park=None, code="industrial_output", year=2025, month=6, value="480")
    return park_a, park_b


def figure(report, park, code="industrial_output"):
    summary = next(s for s in report.parks if s.park == park)
    return summary.figures[indicator(code).pk]


def test_completion_gap_and_growth_of_a_park_behind_time_progress(june):
    park_a, _ = june
    a = figure(selectors.month_report(year=2026, month=6), park_a)
    assert (a.ytd, a.completion_pct, a.time_progress_pct, a.gap_pp) == (
        D("46.8"), D("39.0"), D("50.0"), D("-11.0"))  # fmt: skip
    assert (a.yoy_pct, a.yoy_source) == (D("11.4"), "computed")


def test_double_half_fails_when_completion_is_below_half(june):
    park_a, park_b = june
    report = selectors.month_report(year=2026, month=6)
    assert figure(report, park_a).double_half is False
    # 乙园区: 30 of 50 = 60 %, growth 25 % against the 0 % its target implies → passes.
    assert figure(report, park_b).double_half is True


def test_share_of_the_city_and_growth_against_the_city(june):
    park_a, _ = june
    a = figure(selectors.month_report(year=2026, month=6), park_a)
    assert a.share_pct == D("9.00")
    assert a.share_change_pp == D("0.25")  # 42 / 480 = 8.75 % a year ago
    assert a.growth_vs_city_pp == D("4.20") and a.above_city_growth is True


def test_ranks_by_growth_among_parks(june):
    park_a, park_b = june
    report = selectors.month_report(year=2026, month=6)
    assert (figure(report, park_b).rank, figure(report, park_a).rank) == (1, 2)
    assert figure(report, park_a).rank_of == 2


def test_double_half_is_none_before_june(june):
    park_a, _ = june
    make_value(park=park_a, code="industrial_output", year=2026, month=5, value="40")
    assert figure(selectors.month_report(year=2026, month=5), park_a).double_half is None


def test_a_published_growth_wins_over_the_computed_one(june):
    park_a, _ = june
    value = park_a.indicator_values.get(year=2026, month=6)
    value.yoy_pct = D("9.1")
    value.save()
    a = figure(selectors.month_report(year=2026, month=6), park_a)
    assert (a.yoy_pct, a.yoy_source) == (D("9.1"), "published")


def test_registry_count_stands_in_when_the_statistics_office_gives_none(park_a):
    from yuanqu.enterprises.tests.factories import make_enterprise

    make_enterprise(park=park_a, high_tech_certified_on=date(2025, 1, 1))
    a = figure(selectors.month_report(year=2026, month=6), park_a, "high_tech_enterprises")
    assert (a.ytd, a.value_source, a.registry_diff) == (D(1), "registry", None)


def test_the_statistics_office_figure_takes_precedence_and_the_difference_shows(park_a):
    from yuanqu.enterprises.tests.factories import make_enterprise

    make_enterprise(park=park_a, high_tech_certified_on=date(2025, 1, 1))
    make_value(park=park_a, code="high_tech_enterprises", year=2026, month=6, value="3")
    a = figure(selectors.month_report(year=2026, month=6), park_a, "high_tech_enterprises")
    assert (a.ytd, a.value_source, a.registry_diff) == (D(3), "statistics", D(2))


def test_tax_per_mu_uses_the_parks_land(park_a):
    park_a.industrial_land_mu = D("1200")
    park_a.save()
    make_value(park=park_a, code="tax_revenue", year=2026, month=6, value="3.6")
    report = selectors.month_report(year=2026, month=6)
    assert report.parks[0].tax_per_mu_wan == D("30.0")


def test_report_reads_a_fixed_number_of_queries(june, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.month_report(year=2026, month=6)


def test_report_command_writes_one_object_per_park_and_indicator(june):
    out = StringIO()
    call_command("indicators_report", year=2026, month=6, format="json", stdout=out)
    rows = json.loads(out.getvalue())
    row = next(r for r in rows if r["park"] == "甲园区" and r["indicator"] == "规上工业总产值")
    assert row["completion_pct"] == 39.0 and row["double_half"] is False
    assert row["yoy_source"] == "computed" and row["rank"] == 2 and row["rank_of"] == 2
    assert set(row) >= {"park", "indicator", "ytd", "unit", "yoy_pct", "yoy_source", "target",
                        "completion_pct", "time_progress_pct", "gap_pp", "double_half",
                        "share_pct", "share_change_pp", "above_city_growth", "rank", "rank_of"}  # fmt: skip


def test_an_exported_month_imports_back_unchanged(june, tmp_path):
    from yuanqu.indicators import services
    from yuanqu.indicators.models import ImportBatch

    path = tmp_path / "report.xlsx"
    call_command("indicators_report", year=2026, month=6, format="xlsx", output=str(path))
    report = services.import_workbook(
        upload=path.read_bytes(), actor=None, source=ImportBatch.Source.COMMAND
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)


def test_import_command_refuses_a_bad_workbook(park_a, tmp_path):
    from django.core.management.base import CommandError

    from yuanqu.indicators.tests.factories import template_workbook

    path = tmp_path / "bad.xlsx"
    path.write_bytes(template_workbook({"2026年6月": [["丙园区", 1, None, None]]}).getvalue())
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), stdout=StringIO())


def history(park, month=6, code="industrial_output"):
    wanted = [indicator(code)]
    return selectors.park_year(park=park, year=2026, month=month, indicators=wanted)[0]


def test_a_parks_rank_history_follows_its_growth_month_by_month(june):
    park_a, park_b = june
    # 甲 grows 11.4 % in June against 乙's 25 %; in May 甲 leads.
    make_value(park=park_a, code="industrial_output", year=2026, month=5, value="40", yoy_pct="9")
    make_value(park=park_b, code="industrial_output", year=2026, month=5, value="25", yoy_pct="4")
    ranks = history(park_a)
    assert ranks.ranks[4:] == [1, 2] and ranks.rank_of[4:] == [2, 2]


def test_a_published_growth_of_zero_is_kept_not_recomputed(june):
    park_a, _park_b = june
    IndicatorValue.objects.filter(park=park_a, year=2026, month=6).update(yoy_pct=D("0"))
    assert history(park_a).growth[5] == D("0")
