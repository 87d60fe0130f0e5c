"""Chart specifications for the dashboards and the printed report: plain data that
static/js/indicator-charts.js draws with ECharts. Each chart only picks and shapes figures a
table on the same page already shows, so nothing is lost without scripts (or on paper)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yuanqu.indicators.models import Indicator
from yuanqu.indicators.selectors import IndicatorHistory, MonthReport

# The indicators leadership reads first, in that order: the charts of the city view and of
# the printed report use the first of these the month has figures for.
HEADLINE_CODES = (
    "industrial_output",
    "tax_revenue",
    "fixed_asset_investment",
    "public_budget_revenue",
)


@dataclass(frozen=True)
class Chart:
    element_id: str
    title: str
    kind: str  # "line" (months along the axis) or "bar" (parks along the axis)
    categories: list[str]
    series: list[dict[str, Any]]
    unit: str
    inverted: bool = False  # ranks: 1 at the top

    @property
    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": self.series,
            "unit": self.unit,
            "inverted": self.inverted,
        }


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _series(name: str, values: Iterable[Decimal | int | None], **style: Any) -> dict[str, Any]:
    return {"name": name, "values": [_number(value) for value in values], **style}


def pacing(history: IndicatorHistory, element_id: str) -> Chart:
    """A park's cumulative value month by month against the even path to its target."""
    series = [_series("1–N月累计", history.values)]
    if history.target_path:
        series.append(_series("目标进度", history.target_path, dashed=True))
    return Chart(
        element_id=element_id,
        title=f"{history.indicator.name}:累计与目标进度",
        kind="line",
        categories=[f"{month}月" for month in history.months],
        series=series,
        unit=history.indicator.unit,
    )


def pacing_charts(
    histories: Sequence[IndicatorHistory], *, limit: int | None = None
) -> list[Chart]:
    """Pacing lines of the indicators with an absolute target (growth-only ones have none)."""
    paced = [h for h in histories if h.target_path and not h.indicator.growth_only]
    return [
        pacing(history, f"chart-pace-{number}")
        for number, history in enumerate(paced[:limit], start=1)
    ]


def headline_indicators(report: MonthReport, count: int) -> list[Indicator]:
    """Up to `count` indicators the month has park figures for, the headline ones first."""
    with_data = [
        indicator
        for indicator in report.indicators
        if any(summary.figures[indicator.pk].ytd is not None for summary in report.parks)
        or any(summary.figures[indicator.pk].yoy_pct is not None for summary in report.parks)
    ]
    order = {code: place for place, code in enumerate(HEADLINE_CODES)}
    with_data.sort(key=lambda indicator: order.get(indicator.code, len(order)))
    return with_data[:count]


def _park_label(summary: Any) -> str:
    return summary.park.short_name or summary.park.name


def growth_vs_city(report: MonthReport, indicator: Indicator, element_id: str) -> Chart:
    """Each park's year-on-year growth as a bar, the city's as a flat line across them."""
    parks = report.parks
    city = report.city[indicator.pk].yoy_pct
    series = [_series("园区增速", (s.figures[indicator.pk].yoy_pct for s in parks))]
    if city is not None:
        series.append(_series("全市增速", (city for _ in parks), dashed=True, line=True))
    return Chart(
        element_id=element_id,
        title=f"{indicator.name}:增速与全市比较",
        kind="bar",
        categories=[_park_label(s) for s in parks],
        series=series,
        unit="%",
    )


def share_of_city(report: MonthReport, indicator: Indicator, element_id: str) -> Chart:
    """Each park's share of the city total (贡献度)."""
    return Chart(
        element_id=element_id,
        title=f"{indicator.name}:占全市比重",
        kind="bar",
        categories=[_park_label(s) for s in report.parks],
        series=[_series("占全市%", (s.figures[indicator.pk].share_pct for s in report.parks))],
        unit="%",
    )


def completion(report: MonthReport, indicator: Indicator, element_id: str) -> Chart:
    """Each park's completion of its annual target against the time progress."""
    progress = report.time_progress_pct
    return Chart(
        element_id=element_id,
        title=f"{indicator.name}:目标完成率与时序进度",
        kind="bar",
        categories=[_park_label(s) for s in report.parks],
        series=[
            _series("完成率%", (s.figures[indicator.pk].completion_pct for s in report.parks)),
            _series("时序进度", (progress for _ in report.parks), dashed=True, line=True),
        ],
        unit="%",
    )


def city_charts(report: MonthReport) -> list[Chart]:
    """The city view's three charts: completion, growth vs the city and share, each of the
    headline indicator the month has figures for."""
    headline = headline_indicators(report, 1)
    if not headline:
        return []
    indicator = headline[0]
    return [
        completion(report, indicator, "chart-city-completion"),
        growth_vs_city(report, indicator, "chart-city-growth"),
        share_of_city(report, indicator, "chart-city-share"),
    ]


def trend_history(histories: Sequence[IndicatorHistory]) -> IndicatorHistory | None:
    """The headline indicator with a growth figure in the year, for the park's trend charts."""
    order = {code: place for place, code in enumerate(HEADLINE_CODES)}
    ranked = sorted(
        (h for h in histories if any(value is not None for value in h.growth)),
        key=lambda history: order.get(history.indicator.code, len(order)),
    )
    return ranked[0] if ranked else None


def park_trend_charts(histories: Sequence[IndicatorHistory]) -> list[Chart]:
    """A park's headline indicator month by month: its growth against the city's, its share
    of the city total and its rank by growth."""
    history = trend_history(histories)
    if history is None:
        return []
    months = [f"{month}月" for month in history.months]
    charts = [
        Chart(
            element_id="chart-park-growth",
            title=f"{history.indicator.name}:增速与全市比较",
            kind="line",
            categories=months,
            series=[
                _series("本园区", history.growth),
                _series("全市", history.city_growth, dashed=True),
            ],
            unit="%",
        )
    ]
    if any(value is not None for value in history.shares):
        charts.append(
            Chart(
                element_id="chart-park-share",
                title=f"{history.indicator.name}:占全市比重",
                kind="line",
                categories=months,
                series=[_series("占全市%", history.shares)],
                unit="%",
            )
        )
    if any(rank is not None for rank in history.ranks):
        charts.append(
            Chart(
                element_id="chart-park-rank",
                title=f"{history.indicator.name}:增速排名",
                kind="line",
                categories=months,
                series=[_series("排名", history.ranks)],
                unit="名",
                inverted=True,
            )
        )
    return charts


def chain_completeness(trend: Any, element_id: str) -> Chart:
    """A park's chain completeness (%) month by month, one line per chain (docs/chains.md)."""
    return Chart(
        element_id=element_id,
        title="产业链完整度",
        kind="line",
        categories=[label[-2:].lstrip("0") + "月" for label in trend.months],
        series=[_series(name, values) for name, values in trend.rows],
        unit="%",
    )
