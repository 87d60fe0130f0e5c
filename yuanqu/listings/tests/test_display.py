from decimal import Decimal

import pytest

from yuanqu.listings.display import monthly_cost_total
from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def test_the_monthly_cost_adds_the_property_fee_over_the_whole_area(park_a):
    carrier = make_carrier(
        park=park_a,
        price_value=Decimal("10"),
        property_fee_yuan_m2_month=Decimal("2"),
        building_area_m2=Decimal("1000"),
    )

    assert monthly_cost_total(carrier) == Decimal("12000")


def test_an_unknown_property_fee_gives_no_monthly_cost_rather_than_counting_it_as_zero(park_a):
    carrier = make_carrier(
        park=park_a,
        price_value=Decimal("10"),
        property_fee_yuan_m2_month=None,
        building_area_m2=Decimal("1000"),
    )

    assert monthly_cost_total(carrier) is None
