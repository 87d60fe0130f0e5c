"""Demo indicators: three years of monthly values for the active parks and the city total,
with seasonality, each park's own growth and this year's targets, all marked 示例数据.

Deterministic (a fixed seed) and idempotent: it goes through the importer's service, so a
second run changes nothing. Growth rates are spread so that some parks run ahead of time
progress, some behind, and at least one misses 双过半.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from yuanqu.indicators import services
from yuanqu.indicators.importing import TargetRow, ValueRow
from yuanqu.indicators.models import ImportBatch, Indicator, Target
from yuanqu.parks.models import Park

# A year's share of each month in a cumulative total (January and February are slow, June
# closes the half year): sums to 1, half of it by June.
SEASON = [0.06, 0.065, 0.09, 0.085, 0.09, 0.11, 0.08, 0.08, 0.085, 0.085, 0.085, 0.085]
# Typical full-year level of a mid-sized Xuzhou zone, in the indicator's unit.
LEVELS = {
    "industrial_output": 600, "public_budget_revenue": 25, "tax_revenue": 20,
    "fixed_asset_investment": 180, "industrial_investment": 110, "tech_renovation_investment": 40,
    "foreign_capital": 12000, "foreign_trade": 60, "retail_sales": 45,
    "industrial_enterprises": 260, "new_above_scale_enterprises": 40, "high_tech_enterprises": 150,
}  # fmt: skip
CITY_FACTOR = 2.6  # the parks together are well under half of the city
TARGET_CODES = ("industrial_output", "public_budget_revenue", "tax_revenue",
                "fixed_asset_investment", "industrial_investment")  # fmt: skip


def _months(today) -> list[tuple[int, int]]:
    last_year, last_month = (
        (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    )
    months = []
    for year in range(last_year - 2, last_year + 1):
        for month in range(1, 13):
            if (year, month) <= (last_year, last_month):
                months.append((year, month))
    return months


def _round(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def build_rows(
    parks: list[Park], indicators: list[Indicator], today
) -> tuple[list[ValueRow], list[TargetRow]]:
    rng = random.Random(20260601)
    months = _months(today)
    current_year = months[-1][0]
    first_year = months[0][0]
    values: list[ValueRow] = []
    targets: list[TargetRow] = []
    # The first park is the leader, one park trails far behind (misses 双过半).
    park_growth = {park.pk: rng.uniform(0.0, 0.16) for park in parks}
    if parks:
        park_growth[parks[-1].pk] = -0.04
        park_growth[parks[0].pk] = 0.18
    for indicator in indicators:
        base_level = LEVELS.get(indicator.code, 100)
        city_totals: dict[tuple[int, int], float] = {}
        city_growth_sum: dict[tuple[int, int], float] = {}
        for position, park in enumerate(parks):
            size = 1.6 - position * (1.2 / max(1, len(parks)))
            growth = park_growth[park.pk] + rng.uniform(-0.03, 0.03)
            publishes = position % 4 != 3  # every fourth park's growth is left to compute
            annual = {year: base_level * size * (1 + growth) ** (year - first_year)
                      for year in range(first_year, current_year + 1)}  # fmt: skip
            for year, month in months:
                if indicator.kind == Indicator.Kind.CUMULATIVE:
                    ytd = annual[year] * sum(SEASON[:month])
                    year_ago = annual.get(year - 1, 0) * sum(SEASON[:month])
                else:
                    ytd = annual[year] * (0.97 + 0.03 * month / 12)
                    year_ago = annual.get(year - 1, 0) * (0.97 + 0.03 * month / 12)
                city_totals[(year, month)] = city_totals.get((year, month), 0) + ytd
                yoy = None
                if year_ago and publishes:
                    yoy = _round((ytd / year_ago - 1) * 100 + rng.uniform(-0.4, 0.4), 1)
                city_growth_sum[(year, month)] = growth
                values.append(ValueRow(
                    park_id=park.pk, indicator_id=indicator.pk, year=year, month=month,
                    value=None if indicator.growth_only else _round(ytd, indicator.precision),
                    yoy_pct=yoy if not indicator.growth_only else _round(growth * 100 + 1, 1),
                    where=f"demo:{park.pk}:{indicator.code}",
                ))  # fmt: skip
            if indicator.code in TARGET_CODES:
                target_growth = rng.choice((0.07, 0.08, 0.09, 0.10))
                targets.append(TargetRow(
                    park_id=park.pk, indicator_id=indicator.pk, year=current_year,
                    kind=Target.Kind.ABSOLUTE,
                    value=_round(annual[current_year - 1] * (1 + target_growth), 2),
                    where="demo",
                ))  # fmt: skip
        for year, month in months:
            total = city_totals[(year, month)] * CITY_FACTOR
            year_ago_total = city_totals.get((year - 1, month))
            yoy = None
            if year_ago_total:
                yoy = _round((city_totals[(year, month)] / year_ago_total - 1) * 100, 1)
            values.append(ValueRow(
                park_id=None, indicator_id=indicator.pk, year=year, month=month,
                value=None if indicator.growth_only else _round(total, indicator.precision),
                yoy_pct=yoy if not indicator.growth_only else Decimal("7.5"),
                where=f"demo:city:{indicator.code}",
            ))  # fmt: skip
    return values, targets


def load_demo(*, stdout) -> None:
    parks = list(Park.objects.filter(is_active=True).order_by("name"))
    indicators = list(Indicator.objects.filter(is_active=True))
    if not parks or not indicators:
        stdout.write("indicators: no parks or indicators, no demo values")
        return
    values, targets = build_rows(parks, indicators, timezone.localdate())
    report = services.apply_rows(
        values=values, targets=targets, actor=None, source=ImportBatch.Source.DEMO,
        filename="示例数据", is_sample=True,
    )  # fmt: skip
    stdout.write(
        f"indicators: {report.created} demo values added, {report.updated} changed, "
        f"{report.targets_created} targets added (示例数据)"
    )
