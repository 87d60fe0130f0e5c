"""What the dashboards and the printed A4 report show, shaped from the selectors' figures:
the rows of the city and park tables (with their heat classes) and the print contexts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from yuanqu.indicators import charts, selectors
from yuanqu.parks.models import Park

# Heat classes by gap to time progress (percentage points).
HEAT_STEPS = ((5, "heat-ahead"), (0, "heat-on"), (-5, "heat-near"), (-15, "heat-behind"))

# The printed city report is A4 portrait: its table has room for this many indicators.
PRINTED_CITY_INDICATORS = 4


def heat_class(gap: Any) -> str:
    if gap is None:
        return "heat-none"
    for floor, name in HEAT_STEPS:
        if gap >= floor:
            return name
    return "heat-far"


def city_rows(report: selectors.MonthReport) -> list[dict[str, Any]]:
    """One row per park: each indicator's figure with its heat class, in the report's order."""
    return [
        {"summary": summary,
         "cells": [(figure, heat_class(figure.gap_pp)) for figure in
                   (summary.figures[indicator.pk] for indicator in report.indicators)]}
        for summary in report.parks
    ]  # fmt: skip


def park_rows(
    report: selectors.MonthReport, histories: list[selectors.IndicatorHistory]
) -> list[dict[str, Any]]:
    """One row per indicator of the report's only park: its figure, the city's, the year's
    history and the heat class."""
    summary = report.parks[0]
    return [
        {"figure": summary.figures[indicator.pk], "city": report.city[indicator.pk],
         "history": history, "heat": heat_class(summary.figures[indicator.pk].gap_pp)}
        for indicator, history in zip(report.indicators, histories, strict=True)
    ]  # fmt: skip


def park_print_context(*, park: Park, year: int, month: int) -> dict[str, Any]:
    """The printed report of one park and month: its table, three charts (the first two
    pacing lines and its growth against the city) and its pipeline outlook."""
    report = selectors.month_report(year=year, month=month, park_ids=[park.pk])
    histories = selectors.park_year(park=park, year=year, month=month, indicators=report.indicators)
    summary = report.parks[0]
    printed = (charts.pacing_charts(histories, limit=2) + charts.park_trend_charts(histories))[:3]
    return {
        "title": f"{park.name}主要经济指标月报",
        "park": park,
        "report": report,
        "summary": summary,
        "rows": park_rows(report, histories),
        "charts": printed,
        "outlooks": selectors.pipeline_outlook(summary=summary, year=year, month=month),
        "generated_at": timezone.localtime(),
    }


def city_print_context(*, park_ids: Iterable[int], year: int, month: int) -> dict[str, Any]:
    """The printed report of the city and one month: the headline indicators per park,
    the city totals, 双过半 and the city view's three charts."""
    report = selectors.month_report(year=year, month=month, park_ids=park_ids)
    headline = charts.headline_indicators(report, PRINTED_CITY_INDICATORS)
    rows = [
        {"summary": summary,
         "cells": [(summary.figures[i.pk], heat_class(summary.figures[i.pk].gap_pp)) for i in headline]}
        for summary in report.parks
    ]  # fmt: skip
    return {
        "title": "各园区主要经济指标月报",
        "park": None,
        "report": report,
        "headline": headline,
        "rows": rows,
        "city": [report.city[indicator.pk] for indicator in report.indicators],
        "charts": charts.city_charts(report),
        "generated_at": timezone.localtime(),
    }
