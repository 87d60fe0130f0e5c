"""Cultivation-target progress: pure functions over plain values (no ORM), so the counting rules
are tested once and selectors only feed them.

An enterprise counts towards a year's target when the date its flag was gained falls in that
year:

- 新增高企 (high_tech_new): high_tech_certified_on in the year;
- 新增四上 (above_scale_new): above_scale_since in the year;
- 新增专精特新 (specialised_new): specialised_since in the year (any level);
- 小升高 (small_to_high): high_tech_certified_on in the year AND tech_sme_since strictly
  before that certification date (judgement call: entering the 科技型中小企业 list on the day
  of certification is not "growing from small to high");
- 新增瞪羚 (gazelle_new): gazelle_since in the year.

The 倍增 plan (enterprises doubling their output) is not counted: it needs yearly output
figures the registry does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol


class Flagged(Protocol):
    """Anything with an id and the flag dates (a model instance or a small record)."""

    @property
    def id(self) -> int: ...
    @property
    def high_tech_certified_on(self) -> date | None: ...
    @property
    def tech_sme_since(self) -> date | None: ...
    @property
    def above_scale_since(self) -> date | None: ...
    @property
    def specialised_since(self) -> date | None: ...
    @property
    def gazelle_since(self) -> date | None: ...


HIGH_TECH_NEW = "high_tech_new"
ABOVE_SCALE_NEW = "above_scale_new"
SPECIALISED_NEW = "specialised_new"
SMALL_TO_HIGH = "small_to_high"
GAZELLE_NEW = "gazelle_new"
KINDS = (HIGH_TECH_NEW, ABOVE_SCALE_NEW, SPECIALISED_NEW, SMALL_TO_HIGH, GAZELLE_NEW)


@dataclass(frozen=True)
class Progress:
    kind: str
    year: int
    target: int
    enterprise_ids: tuple[int, ...]

    @property
    def achieved(self) -> int:
        return len(self.enterprise_ids)

    @property
    def percent(self) -> Decimal | None:
        """Achieved ÷ target in per cent, one decimal (None for a target of 0)."""
        if self.target <= 0:
            return None
        value = Decimal(self.achieved * 100) / Decimal(self.target)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        return self.achieved >= self.target

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.achieved)


def _in_year(value: date | None, year: int) -> bool:
    return value is not None and value.year == year


def counts_towards(kind: str, year: int, enterprise: Flagged) -> bool:
    """Does this enterprise count towards a target of this kind in this year?"""
    if kind == HIGH_TECH_NEW:
        return _in_year(enterprise.high_tech_certified_on, year)
    if kind == ABOVE_SCALE_NEW:
        return _in_year(enterprise.above_scale_since, year)
    if kind == SPECIALISED_NEW:
        return _in_year(enterprise.specialised_since, year)
    if kind == SMALL_TO_HIGH:
        certified = enterprise.high_tech_certified_on
        since = enterprise.tech_sme_since
        return (
            certified is not None
            and certified.year == year
            and since is not None
            and since < certified
        )
    if kind == GAZELLE_NEW:
        return _in_year(enterprise.gazelle_since, year)
    raise ValueError(f"unknown target kind {kind!r}")


def achieved_ids(kind: str, year: int, enterprises: Iterable[Flagged]) -> tuple[int, ...]:
    """Ids of the enterprises behind the number, in the order given."""
    return tuple(e.id for e in enterprises if counts_towards(kind, year, e))


def progress(
    *, year: int, targets: Iterable[tuple[str, int]], enterprises: Sequence[Flagged]
) -> list[Progress]:
    """One Progress per (kind, target) pair, in the order given."""
    return [
        Progress(
            kind=kind,
            year=year,
            target=target,
            enterprise_ids=achieved_ids(kind, year, enterprises),
        )
        for kind, target in targets
    ]
