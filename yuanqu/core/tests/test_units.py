from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuanqu.core.units import (
    DAYS_PER_MONTH,
    MU_IN_M2,
    format_area_m2,
    format_money_cn,
    format_mu,
    format_number,
    format_rent,
    format_wan,
    m2_to_mu,
    monthly_total_yuan,
    mu_to_m2,
    parse_chinese_measure,
    parse_chinese_number,
    quantize,
    rent_from_yuan_m2_month,
    rent_to_yuan_m2_month,
    wan_per_mu_to_wan_total,
    wan_total_to_wan_per_mu,
    yuan_m2_day_to_month,
    yuan_m2_month_to_day,
)

# ---------------------------------------------------------------------------------------
# A writer of Chinese numerals, used only to generate test input.

CHINESE_DIGITS = "零一二三四五六七八九"


def _section_in_chinese(number: int, *, leading: bool, liang: bool) -> str:
    """1..9999 the standard way: 一千零五, 一百一十, 十五 (leading 一十 shortened)."""
    parts: list[str] = []
    zero_pending = False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // place % 10
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if digit == 1 and place == 10 and not parts and leading:
            parts.append("十")
        elif digit == 2 and place >= 100 and liang:
            parts.append("两" + unit)
        else:
            parts.append(CHINESE_DIGITS[digit] + unit)
    return "".join(parts)


def to_chinese_numeral(number: int, *, liang: bool = False) -> str:
    if number == 0:
        return "零"
    yi, wan, low = number // 10**8, number // 10**4 % 10**4, number % 10**4
    text = ""
    if yi:
        text += _section_in_chinese(yi, leading=True, liang=liang) + "亿"
    if wan:
        if text and wan < 1000:
            text += "零"
        text += _section_in_chinese(wan, leading=not text, liang=liang) + "万"
    if low:
        if text and (low < 1000 or wan == 0) and not text.endswith("零"):
            text += "零"
        text += _section_in_chinese(low, leading=not text, liang=liang)
    return text


def test_the_test_numeral_writer_follows_the_standard_reading():
    assert [to_chinese_numeral(n) for n in (15, 105, 110, 1050, 10005, 100000005, 120000000)] == [
        "十五", "一百零五", "一百一十", "一千零五十", "一万零五", "一亿零五", "一亿二千万",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------
# Rent


def test_a_day_price_becomes_a_month_price_on_a_thirty_day_month():
    assert DAYS_PER_MONTH == 30
    assert yuan_m2_day_to_month(Decimal("0.6")) == Decimal("18.0")


def test_a_month_price_becomes_a_day_price():
    assert yuan_m2_month_to_day(Decimal("18")) == Decimal("0.6")


def test_the_monthly_total_is_price_times_area():
    assert monthly_total_yuan(Decimal("15"), Decimal("5000")) == Decimal("75000")


@pytest.mark.parametrize(
    ("value", "unit", "area", "expected"),
    [
        ("18", "yuan_m2_month", None, Decimal("18")),
        ("0.6", "yuan_m2_day", None, Decimal("18")),
        ("75000", "yuan_month", "5000", Decimal("15")),
    ],
)
def test_any_rent_unit_normalises_to_yuan_per_m2_month(value, unit, area, expected):
    assert rent_to_yuan_m2_month(value, unit, area) == expected


def test_a_monthly_total_without_an_area_cannot_be_normalised():
    with pytest.raises(ValueError, match="area"):
        rent_to_yuan_m2_month(Decimal("75000"), "yuan_month")


def test_an_unknown_rent_unit_is_refused():
    with pytest.raises(ValueError, match="Unknown rent unit"):
        rent_to_yuan_m2_month(Decimal("1"), "yuan_m2_year")  # type: ignore[arg-type]


def test_floats_enter_as_their_shortest_decimal():
    assert yuan_m2_day_to_month(0.1) == Decimal("3.0")


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=4)
areas = st.decimals(min_value=Decimal("1"), max_value=Decimal("1000000"), places=2)


@given(prices)
def test_day_to_month_and_back_is_exact(price):
    assert yuan_m2_month_to_day(yuan_m2_day_to_month(price)) == price


@given(prices)
def test_month_to_day_and_back_keeps_the_price_to_ten_places(price):
    assert quantize(yuan_m2_day_to_month(yuan_m2_month_to_day(price)), 10) == price


@given(prices, st.sampled_from(["yuan_m2_day", "yuan_m2_month", "yuan_month"]), areas)
def test_rent_units_round_trip_through_the_normalised_price(price, unit, area):
    back = rent_to_yuan_m2_month(rent_from_yuan_m2_month(price, unit, area), unit, area)
    assert quantize(back, 10) == price


# ---------------------------------------------------------------------------------------
# Land and sale prices


def test_one_mu_is_ten_thousand_fifteenths_of_a_square_metre():
    assert quantize(MU_IN_M2) == Decimal("666.67")
    assert quantize(mu_to_m2(1)) == Decimal("666.67")


def test_fifteen_mu_is_exactly_ten_thousand_square_metres():
    assert mu_to_m2(15) == Decimal(10000)
    assert m2_to_mu(10000) == Decimal(15)


def test_a_total_price_becomes_a_price_per_mu():
    # given a 10,000 ㎡ (15 亩) plot for 3,000 万元
    # then it costs 200 万元/亩
    assert wan_total_to_wan_per_mu(Decimal("3000"), Decimal("10000")) == Decimal("200")


def test_a_price_per_mu_becomes_a_total_price():
    assert wan_per_mu_to_wan_total(Decimal("200"), Decimal("10000")) == Decimal("3000")


def test_a_price_per_mu_needs_a_positive_area():
    with pytest.raises(ValueError, match="area"):
        wan_total_to_wan_per_mu(Decimal("3000"), Decimal("0"))


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2))
def test_square_metres_to_mu_and_back_is_exact(area):
    assert mu_to_m2(m2_to_mu(area)) == area


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2))
def test_mu_to_square_metres_and_back_keeps_the_area_to_ten_places(mu):
    assert quantize(m2_to_mu(mu_to_m2(mu)), 10) == mu


@given(st.decimals(min_value=Decimal("1"), max_value=Decimal("1000000"), places=2), areas)
def test_total_to_per_mu_and_back_keeps_the_total_to_six_places(total, area):
    assert quantize(wan_per_mu_to_wan_total(wan_total_to_wan_per_mu(total, area), area), 6) == total


# ---------------------------------------------------------------------------------------
# Formatting


@pytest.mark.parametrize(
    ("wan", "expected"),
    [
        (Decimal("15000"), "1.5亿元"),
        (Decimal("10000"), "1亿元"),
        (Decimal("3200"), "3,200万元"),
        (Decimal("0.5"), "0.5万元"),
        (Decimal("123456"), "12.35亿元"),
    ],
)
def test_money_in_wan_is_shown_in_wan_or_yi(wan, expected):
    assert format_money_cn(wan) == expected


def test_an_amount_in_yuan_is_shown_in_wan():
    assert format_wan(32_000_000, unit="yuan") == "3,200万元"


def test_areas_are_grouped_with_the_square_metre_sign():
    assert format_area_m2(5000) == "5,000㎡"
    assert format_area_m2(mu_to_m2(1)) == "666.67㎡"


def test_mu_drop_trailing_zeros():
    assert format_mu(Decimal("2.50")) == "2.5亩"


def test_rents_carry_their_unit_label():
    assert format_rent(Decimal("0.6"), "yuan_m2_day") == "0.6元/㎡·天"
    assert format_rent(Decimal("18.00")) == "18元/㎡·月"


def test_rounding_is_half_up_not_bankers():
    assert format_number(Decimal("2.5"), 0) == "3"
    assert format_number(Decimal("-0.001")) == "0"


@given(st.integers(min_value=0, max_value=10**12))
def test_a_grouped_integer_reads_back_as_itself(number):
    assert parse_chinese_number(format_number(number)) == number


# ---------------------------------------------------------------------------------------
# Chinese numerals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五千", "5000"),
        ("一万二", "12000"),
        ("1.5万", "15000"),
        ("两千五", "2500"),
        ("三十", "30"),
        ("十五", "15"),
        ("一百二十", "120"),
        ("一百二", "120"),
        ("一百零五", "105"),
        ("零点五", "0.5"),
        ("５０００", "5000"),
        ("5千", "5000"),
        ("5千5", "5500"),
        ("3,200", "3200"),
        ("1.2亿", "120000000"),
        ("一亿二千万", "120000000"),
        ("五点五万", "55000"),
        ("壹仟贰佰", "1200"),
        ("二〇二三", "2023"),
    ],
)
def test_chinese_quantities_are_read(text, expected):
    assert parse_chinese_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "万", "百", "几千", "五千多", "十百", "五五百", "abc", "2.5亩"]
)
def test_text_that_is_not_a_bare_number_reads_as_none(text):
    assert parse_chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("八米五", "米", "8.5"),
        ("8米5", "米", "8.5"),
        ("两米半", "米", "2.5"),
        ("八米", "米", "8"),
        ("2.5亩", "亩", "2.5"),
        ("十吨", "吨", "10"),
        ("12", "米", "12"),
    ],
)
def test_measures_with_their_unit_are_read(text, unit, expected):
    assert parse_chinese_measure(text, unit=unit) == Decimal(expected)


def test_a_decimal_measure_cannot_take_a_spoken_decimal_too():
    assert parse_chinese_measure("8.5米5", unit="米") is None


@given(st.integers(min_value=0, max_value=10**12 - 1), st.booleans())
def test_an_integer_written_in_chinese_reads_back_as_itself(number, liang):
    assert parse_chinese_number(to_chinese_numeral(number, liang=liang)) == number


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_spoken_shorthand_counts_the_next_unit_down(head, tail):
    assert parse_chinese_number(f"{CHINESE_DIGITS[head]}千{CHINESE_DIGITS[tail]}") == (
        head * 1000 + tail * 100
    )
    assert parse_chinese_number(f"{CHINESE_DIGITS[head]}万{CHINESE_DIGITS[tail]}") == (
        head * 10000 + tail * 1000
    )


@given(
    st.integers(min_value=0, max_value=9999), st.text(alphabet="0123456789", min_size=1, max_size=4)
)
def test_a_decimal_written_with_dian_reads_back(whole, fraction):
    text = f"{to_chinese_numeral(whole)}点{''.join(CHINESE_DIGITS[int(d)] for d in fraction)}"
    assert parse_chinese_number(text) == Decimal(f"{whole}.{fraction}")


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=9))
def test_a_spoken_metre_decimal_reads_back(metres, tenths):
    text = f"{to_chinese_numeral(metres)}米{CHINESE_DIGITS[tenths]}"
    assert parse_chinese_measure(text, unit="米") == Decimal(f"{metres}.{tenths}")
