"""Chart data is the tables' figures, reshaped: the same numbers, in the same order."""

import pytest

from yuanqu.indicators import charts, selectors
from yuanqu.indicators.tests.factories import make_target, make_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(park_a, park_b):
    for park, value, growth in ((park_a, "60", "8"), (park_b, "30", "-2.5")):
        make_value(park=park, code="tax_revenue", year=2026, month=6, value="5", yoy_pct="1")
        make_value(park=park, code="industrial_output", year=2026, month=6, value=value,
                   yoy_pct=growth)  # fmt: skip
        make_target(park=park, code="industrial_output", year=2026, value="100")
    make_value(park=None, code="industrial_output", year=2026, month=6, value="600", yoy_pct="6")
    return selectors.month_report(year=2026, month=6)


def by_park(chart, series):
    return dict(zip(chart.categories, chart.series[series]["values"], strict=True))


def test_the_city_charts_show_the_headline_indicator(report):
    completion, growth, share = charts.city_charts(report)
    assert completion.title.startswith("规上工业总产值")
    assert by_park(completion, 0) == {"甲园": 60.0, "乙园": 30.0}
    assert by_park(completion, 1) == {"甲园": 50.0, "乙园": 50.0}  # time progress at June


def test_growth_is_drawn_against_the_citys_as_a_flat_line(report):
    growth = charts.city_charts(report)[1]
    assert by_park(growth, 0) == {"甲园": 8.0, "乙园": -2.5}
    assert growth.series[1] == {
        "name": "全市增速",
        "values": [6.0, 6.0],
        "dashed": True,
        "line": True,
    }


def test_share_of_the_city_per_park(report):
    share = charts.city_charts(report)[2]
    assert by_park(share, 0) == {"甲园": 10.0, "乙园": 5.0}


def test_no_charts_for_a_month_without_figures(db):
    assert charts.city_charts(selectors.month_report(year=2030, month=1)) == []


def test_a_parks_rank_chart_puts_first_place_on_top(report, park_a):
    histories = selectors.park_year(park=park_a, year=2026, month=6, indicators=report.indicators)
    rank = next(c for c in charts.park_trend_charts(histories) if c.element_id == "chart-park-rank")
    assert rank.inverted and rank.series[0]["values"][5] == 1.0
