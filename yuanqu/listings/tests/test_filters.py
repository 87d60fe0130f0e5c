from decimal import Decimal

import pytest
from django.http import QueryDict

from yuanqu.listings.filters import CarrierFilterForm

DISTRICTS = [("320312", "铜山区"), ("320311", "泉山区")]
PARKS = [(1, "甲园"), (2, "乙园")]


def parse(query: str):
    return CarrierFilterForm(QueryDict(query), districts=DISTRICTS, parks=PARKS).filters()


def test_valid_filters_are_kept():
    filters = parse("kind=factory&deal=rent&district=320312&area_min=3000&area_max=6000&eia=1")

    assert filters.kind == ["factory"]
    assert filters.district == ["320312"]
    assert (filters.area_min, filters.area_max) == (Decimal("3000"), Decimal("6000"))
    assert filters.eia and filters.notices == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("area_min=-5", "area_min"),
        ("price_max=abc", "price_max"),
        ("district=999999", "district"),
        ("park=77", "park"),
        ("height_min=80", "height_min"),
    ],
)
def test_a_bad_value_is_ignored_with_a_notice(query, field):
    filters = parse(query)

    assert getattr(filters, field) in (None, [])
    assert len(filters.notices) == 1


def test_a_minimum_above_the_maximum_drops_both_with_a_notice():
    filters = parse("area_min=9000&area_max=3000")

    assert filters.area_min is None and filters.area_max is None
    assert "下限大于上限" in filters.notices[0]


def test_the_query_string_leaves_out_defaults_and_keeps_the_state():
    filters = parse("kind=factory&kind=land&sort=fresh&view=list&area_min=3000.00&crane=1")

    assert filters.query_string() == "kind=factory&kind=land&area_min=3000&crane=1"


def test_a_price_per_day_converts_to_the_monthly_column():
    filters = parse("price_min=0.5&price_max=0.8&price_unit=yuan_m2_day")

    assert filters.price_bounds() == ("price_yuan_m2_month", Decimal("15.0"), Decimal("24.0"))


def test_an_area_in_mu_converts_to_square_metres():
    filters = parse("area_min=15&area_unit=mu")

    low, high = filters.area_bounds_m2()
    assert low == Decimal("10000") and high is None


def test_a_malformed_map_area_is_ignored_with_a_notice():
    filters = parse("bbox=34.3,117.1,34.2")

    assert filters.bbox == "" and len(filters.notices) == 1
