from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from yuanqu.enterprises import calculations
from yuanqu.enterprises.models import CultivationTarget


def _enterprise(pk: int, **dates: date | None) -> SimpleNamespace:
    values: dict[str, date | None] = dict.fromkeys(
        (
            "high_tech_certified_on",
            "tech_sme_since",
            "above_scale_since",
            "specialised_since",
            "gazelle_since",
        )
    )
    values.update(dates)
    return SimpleNamespace(id=pk, **values)


def test_the_kinds_counted_are_exactly_the_target_kinds_of_the_model():
    assert set(calculations.KINDS) == set(CultivationTarget.Kind.values)


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("high_tech_new", "high_tech_certified_on"),
        ("above_scale_new", "above_scale_since"),
        ("specialised_new", "specialised_since"),
        ("gazelle_new", "gazelle_since"),
    ],
)
def test_an_enterprise_counts_in_the_year_its_flag_date_falls_in(kind, field):
    this_year = _enterprise(1, **{field: date(2024, 12, 31)})
    last_year = _enterprise(2, **{field: date(2023, 12, 31)})
    unflagged = _enterprise(3)

    ids = calculations.achieved_ids(kind, 2024, [this_year, last_year, unflagged])

    assert ids == (1,)


def test_small_to_high_counts_a_tech_sme_certified_as_high_tech_in_the_year():
    grown = _enterprise(
        1, tech_sme_since=date(2022, 5, 1), high_tech_certified_on=date(2024, 11, 1)
    )

    assert calculations.counts_towards("small_to_high", 2024, grown)


def test_small_to_high_skips_a_high_tech_enterprise_never_listed_as_tech_sme():
    certified_only = _enterprise(1, high_tech_certified_on=date(2024, 11, 1))

    assert not calculations.counts_towards("small_to_high", 2024, certified_only)


def test_small_to_high_skips_listing_as_tech_sme_on_the_certification_day():
    same_day = _enterprise(
        1, tech_sme_since=date(2024, 11, 1), high_tech_certified_on=date(2024, 11, 1)
    )

    assert not calculations.counts_towards("small_to_high", 2024, same_day)


def test_small_to_high_skips_a_certification_in_another_year():
    earlier = _enterprise(
        1, tech_sme_since=date(2021, 5, 1), high_tech_certified_on=date(2023, 11, 1)
    )

    assert not calculations.counts_towards("small_to_high", 2024, earlier)


def test_progress_lists_the_ids_behind_each_number_in_the_given_order():
    enterprises = [
        _enterprise(7, high_tech_certified_on=date(2024, 3, 1)),
        _enterprise(3, high_tech_certified_on=date(2024, 1, 1), gazelle_since=date(2024, 2, 1)),
    ]

    result = calculations.progress(
        year=2024,
        targets=[("high_tech_new", 30), ("gazelle_new", 2)],
        enterprises=enterprises,
    )

    assert [(p.kind, p.target, p.enterprise_ids) for p in result] == [
        ("high_tech_new", 30, (7, 3)),
        ("gazelle_new", 2, (3,)),
    ]


def test_percent_is_achieved_over_target_rounded_to_one_decimal():
    progress = calculations.Progress(
        kind="high_tech_new", year=2024, target=30, enterprise_ids=(1, 2, 3, 4)
    )

    assert progress.percent == Decimal("13.3")
    assert progress.remaining == 26
    assert not progress.met


def test_a_target_of_zero_has_no_percent_and_is_met():
    progress = calculations.Progress(kind="gazelle_new", year=2024, target=0, enterprise_ids=())

    assert progress.percent is None
    assert progress.met


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        calculations.counts_towards("doubling", 2024, _enterprise(1))
