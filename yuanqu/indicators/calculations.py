"""The arithmetic leadership reads indicators by (pure functions, no database).

Conventions: percentages are per cent (50 means 50 %), gaps are percentage points, every
figure is a Decimal rounded to one or two places at the end, and a figure over nothing
(no value, no target, a zero base) is None, shown as —, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
# 1 亿元 = 10,000 万元: 亩均税收 and 投资强度 are quoted in 万元/亩.
WAN_PER_YI = Decimal(10000)

K = TypeVar("K")


def _round(value: Decimal, places: Decimal = ONE_PLACE) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def yoy_growth_pct(current: Decimal | None, year_ago: Decimal | None) -> Decimal | None:
    """Year-on-year growth: current / year_ago − 1, in per cent (one place). None without a
    positive base: growth from nothing or from a loss is not a percentage anyone quotes."""
    if current is None or year_ago is None or year_ago <= 0:
        return None
    return _round((current / year_ago - 1) * HUNDRED)


def time_progress_pct(month: int) -> Decimal:
    """时序进度: the share of the year gone by at the end of the month (June = 50 %)."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1–12")
    return _round(Decimal(month) * HUNDRED / 12)


def completion_pct(ytd: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Completion of an absolute annual target: year to date / target, per cent."""
    if ytd is None or not target or target <= 0:
        return None
    return _round(ytd / target * HUNDRED)


def growth_completion_pct(
    achieved_growth: Decimal | None, target_growth: Decimal | None
) -> Decimal | None:
    """Completion of a growth target: achieved growth / target growth, per cent (a 4 % rise
    against an 8 % target is 50 %). None for a zero target (refused on entry anyway)."""
    if achieved_growth is None or not target_growth:
        return None
    return _round(achieved_growth / target_growth * HUNDRED)


def implied_growth_pct(target: Decimal | None, last_year_total: Decimal | None) -> Decimal | None:
    """The growth an absolute target asks for, against last year's full-year figure."""
    return yoy_growth_pct(target, last_year_total)


def gap_pp(completion: Decimal | None, time_progress: Decimal) -> Decimal | None:
    """超时序进度: completion minus time progress, percentage points (negative = behind)."""
    if completion is None:
        return None
    return _round(completion - time_progress)


def double_half(
    *, completion: Decimal | None, growth: Decimal | None, target_growth: Decimal | None
) -> bool | None:
    """双过半 for one indicator at June: at least half the annual target done and growth at
    least half the target growth. None when either half cannot be judged."""
    if completion is None or growth is None or target_growth is None:
        return None
    return completion >= 50 and growth * 2 >= target_growth


def park_double_half(flags: Iterable[bool | None]) -> bool | None:
    """The park's 双过半: every indicator with a target passes. A failure decides it even if
    some other indicator cannot be judged; with no judgeable indicator it is None."""
    judged = [flag for flag in flags if flag is not None]
    if not judged:
        return None
    return all(judged)


def share_pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """贡献度: the park's share of the city total, per cent (two places: shares are small)."""
    if part is None or whole is None or whole <= 0:
        return None
    return _round(part / whole * HUNDRED, TWO_PLACES)


def change_pp(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change of a percentage in percentage points."""
    if now is None or before is None:
        return None
    return _round(now - before, TWO_PLACES)


def rank(values: Mapping[K, Decimal | None], *, higher_is_better: bool = True) -> dict[K, int]:
    """Competition ranking (1, 2, 2, 4): ties share a rank; keys without a value get none."""
    known = [(key, value) for key, value in values.items() if value is not None]
    known.sort(key=lambda item: item[1], reverse=higher_is_better)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    current_rank = 0
    for position, (key, value) in enumerate(known, start=1):
        if value != previous:
            current_rank = position
            previous = value
        ranks[key] = current_rank
    return ranks


def rank_change(now: int | None, before: int | None) -> int | None:
    """Places gained since last month (positive = moved up)."""
    if now is None or before is None:
        return None
    return before - now


def per_mu_wan(amount_yi: Decimal | None, land_mu: Decimal | None) -> Decimal | None:
    """亩均税收 / 投资强度: an amount in 亿元 over land in 亩, in 万元/亩 (one place)."""
    if amount_yi is None or not land_mu or land_mu <= 0:
        return None
    return _round(amount_yi * WAN_PER_YI / land_mu)


def target_path(target: Decimal, months: int = 12) -> list[Decimal]:
    """The even pacing line of an absolute target: month m is target × m / 12."""
    return [_round(target * m / months, TWO_PLACES) for m in range(1, months + 1)]


def cumulative_goes_down(previous: Decimal | None, current: Decimal | None, *, month: int) -> bool:
    """A 1–N月累计 figure may not fall within a year (January starts again)."""
    return month != 1 and previous is not None and current is not None and current < previous


# --- pipeline outlook ------------------------------------------------------------------


@dataclass(frozen=True)
class OutlookProject:
    """A signed project whose next stage is due in the rest of the year, with the amount it
    would add to an indicator this year if it keeps its date (in the indicator's unit)."""

    project_id: int
    name: str
    due_on: date
    amount: Decimal


def shortfall(
    ytd: Decimal | None, target: Decimal | None, time_progress: Decimal
) -> Decimal | None:
    """How far the year-to-date figure is below the even pacing of an absolute target (in the
    indicator's unit); None or a non-positive value means no shortfall."""
    if ytd is None or not target:
        return None
    gap = target * time_progress / HUNDRED - ytd
    return _round(gap, TWO_PLACES) if gap > 0 else None


def producing_months_amount(annual: Decimal, *, due_on: date, year: int) -> Decimal:
    """An annual expected amount (output, tax) counted for the months left in the year after
    production starts: starting in October adds 3/12 of it (the month of start counts)."""
    if due_on.year != year:
        return Decimal(0)
    months = 12 - due_on.month + 1
    return _round(annual * months / 12, TWO_PLACES)


def closing_share_pct(gap: Decimal | None, projects: Sequence[OutlookProject]) -> Decimal | None:
    """The share of the gap the projects would close if they keep their dates (capped at
    100 %: more than closing it is still closing it)."""
    if not gap or gap <= 0:
        return None
    total = sum((project.amount for project in projects), Decimal(0))
    return min(HUNDRED, _round(total / gap * HUNDRED))
