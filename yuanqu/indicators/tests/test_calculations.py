"""Hand-worked examples for every derived figure (indicators.calculations)."""

from datetime import date
from decimal import Decimal as D

import pytest

from yuanqu.indicators import calculations as calc


def test_growth_is_current_over_year_ago_minus_one():
    assert calc.yoy_growth_pct(D("110"), D("100")) == D("10.0")


def test_growth_is_negative_when_the_figure_fell():
    assert calc.yoy_growth_pct(D("45"), D("50")) == D("-10.0")


def test_growth_without_a_positive_base_is_none():
    assert calc.yoy_growth_pct(D("10"), D("0")) is None
    assert calc.yoy_growth_pct(D("10"), None) is None


def test_time_progress_of_june_is_half_the_year():
    assert calc.time_progress_pct(6) == D("50.0")
    assert calc.time_progress_pct(1) == D("8.3")


def test_time_progress_refuses_a_month_outside_the_year():
    with pytest.raises(ValueError):
        calc.time_progress_pct(13)


def test_completion_of_an_absolute_target():
    # 1–6月 46.8 亿元 against a year target of 120 亿元 → 39 %.
    assert calc.completion_pct(D("46.8"), D("120")) == D("39.0")


def test_completion_of_a_growth_target_is_achieved_over_target_growth():
    assert calc.growth_completion_pct(D("4"), D("8")) == D("50.0")


def test_gap_is_completion_minus_time_progress():
    assert calc.gap_pp(D("39.0"), D("50.0")) == D("-11.0")
    assert calc.gap_pp(None, D("50.0")) is None


def test_implied_growth_of_an_absolute_target():
    # Last year 100, target 112 → the target asks for 12 % growth.
    assert calc.implied_growth_pct(D("112"), D("100")) == D("12.0")


def test_double_half_needs_half_the_target_and_half_the_growth():
    assert calc.double_half(completion=D("52"), growth=D("6"), target_growth=D("12")) is True


def test_double_half_fails_on_completion_below_half():
    assert calc.double_half(completion=D("49.9"), growth=D("9"), target_growth=D("12")) is False


def test_double_half_fails_on_growth_below_half_the_target_growth():
    assert calc.double_half(completion=D("55"), growth=D("5.9"), target_growth=D("12")) is False


def test_double_half_cannot_be_judged_without_growth():
    assert calc.double_half(completion=D("55"), growth=None, target_growth=D("12")) is None


def test_park_double_half_needs_every_judged_indicator():
    assert calc.park_double_half([True, True, None]) is True
    assert calc.park_double_half([True, False, None]) is False
    assert calc.park_double_half([None, None]) is None


def test_share_of_the_city_total():
    assert calc.share_pct(D("46.8"), D("520")) == D("9.00")


def test_share_change_in_percentage_points():
    assert calc.change_pp(D("9.00"), D("8.25")) == D("0.75")


def test_ranks_share_a_place_on_ties():
    ranks = calc.rank({"a": D("12"), "b": D("9"), "c": D("12"), "d": D("3"), "e": None})
    assert ranks == {"a": 1, "c": 1, "b": 3, "d": 4}


def test_ranks_reverse_when_lower_is_better():
    assert calc.rank({"a": D("1"), "b": D("2")}, higher_is_better=False) == {"a": 1, "b": 2}


def test_rank_change_counts_places_gained():
    assert calc.rank_change(2, 5) == 3
    assert calc.rank_change(5, 2) == -3
    assert calc.rank_change(None, 2) is None


def test_tax_per_mu_converts_yi_to_wan():
    # 3.6 亿元 of tax on 1,200 亩 → 30 万元/亩.
    assert calc.per_mu_wan(D("3.6"), D("1200")) == D("30.0")
    assert calc.per_mu_wan(D("3.6"), None) is None


def test_target_path_paces_evenly():
    path = calc.target_path(D("120"))
    assert path[0] == D("10.00") and path[5] == D("60.00") and path[11] == D("120.00")


def test_cumulative_may_not_fall_except_in_january():
    assert calc.cumulative_goes_down(D("50"), D("40"), month=6) is True
    assert calc.cumulative_goes_down(D("50"), D("4"), month=1) is False
    assert calc.cumulative_goes_down(D("50"), D("50"), month=6) is False


def test_shortfall_against_even_pacing():
    # June: 50 % of 120 = 60 expected, 46.8 done → 13.2 short.
    assert calc.shortfall(D("46.8"), D("120"), D("50.0")) == D("13.20")
    assert calc.shortfall(D("70"), D("120"), D("50.0")) is None


def test_output_counts_for_the_months_after_production_starts():
    assert calc.producing_months_amount(D("12"), due_on=date(2026, 10, 15), year=2026) == D("3.00")
    assert calc.producing_months_amount(D("12"), due_on=date(2027, 1, 1), year=2026) == 0


def test_closing_share_is_capped_at_the_whole_gap():
    projects = [
        calc.OutlookProject(1, "甲", date(2026, 9, 1), D("6.6")),
        calc.OutlookProject(2, "乙", date(2026, 11, 1), D("3.3")),
    ]
    assert calc.closing_share_pct(D("13.2"), projects) == D("75.0")
    assert calc.closing_share_pct(D("5"), projects) == D("100")
    assert calc.closing_share_pct(None, projects) is None
