from datetime import date
from decimal import Decimal

import pytest

from yuanqu.pipeline import calculations


def test_a_rate_is_a_percentage_with_one_decimal():
    assert calculations.rate(2, 3) == Decimal("66.7")


def test_a_rate_over_nothing_is_none_not_zero():
    assert calculations.rate(0, 0) is None


def test_the_median_skips_pairs_missing_a_date_or_running_backwards():
    pairs = [
        (date(2026, 1, 1), date(2026, 1, 11)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 1, 1), None),
        (date(2026, 2, 1), date(2026, 1, 1)),
    ]

    assert calculations.median_days(pairs) == 20.0


@pytest.mark.parametrize(("days", "expected"), [(30, True), (31, False)])
def test_quick_start_counts_up_to_the_limit(days, expected):
    land_on = date(2026, 3, 1)

    started = calculations.started_within(land_on, date.fromordinal(land_on.toordinal() + days), 30)

    assert started is expected


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("this_month", (date(2026, 8, 1), date(2026, 8, 20))),
        ("this_quarter", (date(2026, 7, 1), date(2026, 8, 20))),
        ("this_year", (date(2026, 1, 1), date(2026, 8, 20))),
        ("last_year", (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_period_presets(preset, expected):
    assert calculations.preset_period(preset, today=date(2026, 8, 20)) == expected
