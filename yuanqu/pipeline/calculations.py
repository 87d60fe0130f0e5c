"""Pure arithmetic behind the stage analytics (no database): rates, medians, the 拿地即开工
share and the period presets. A rate over nothing is None (shown as —), never 0 %."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PERCENT = Decimal("0.1")


def rate(numerator: int | Decimal, denominator: int | Decimal | None) -> Decimal | None:
    """numerator / denominator in per cent, one decimal; None when the denominator is 0."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(PERCENT, rounding=ROUND_HALF_UP)


def median_days(pairs: Iterable[tuple[date | None, date | None]]) -> float | None:
    """The median number of days from the first date to the second over the pairs holding
    both (a pair whose second date precedes the first is a data error and is skipped)."""
    days = [(end - start).days for start, end in pairs if start and end and end >= start]
    return float(statistics.median(days)) if days else None


def started_within(land_on: date | None, started_on: date | None, days: int) -> bool:
    """拿地即开工: started no later than `days` days after the land was taken."""
    return bool(land_on and started_on and 0 <= (started_on - land_on).days <= days)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


PRESETS = ("this_month", "this_quarter", "this_year", "last_year")


def preset_period(preset: str, *, today: date) -> tuple[date, date]:
    """本月, 本季度, 本年 (to today) and 上年 (the whole previous year)."""
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "this_quarter":
        return quarter_start(today), today
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset == "this_year":
        return date(today.year, 1, 1), today
    raise ValueError(f"unknown preset {preset!r}")


def in_period(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end
