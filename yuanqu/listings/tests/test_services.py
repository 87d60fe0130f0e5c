from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yuanqu.listings.models import Carrier
from yuanqu.listings.selectors import carrier_public_queryset
from yuanqu.listings.services import (
    carrier_confirm,
    carrier_create,
    carrier_publish,
    carrier_update,
    carrier_withdraw,
)
from yuanqu.listings.tests.factories import carrier_values, make_carrier
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db


def refused_fields(**overrides) -> dict:
    with pytest.raises(ValidationError) as raised:
        carrier_create(park=make_park(), values=carrier_values(**overrides))
    return raised.value.message_dict


def test_a_rent_quoted_per_day_is_stored_per_month_on_a_30_day_month():
    carrier = make_carrier(price_value=Decimal("0.6"), price_unit="yuan_m2_day")

    assert carrier.price_yuan_m2_month == Decimal("18.00")


def test_a_monthly_total_rent_is_normalised_by_the_area():
    carrier = make_carrier(
        price_value=Decimal("75000"), price_unit="yuan_month", building_area_m2=Decimal("5000")
    )

    assert carrier.price_yuan_m2_month == Decimal("15.00")


def test_land_priced_per_mu_also_gets_its_total_price():
    carrier = make_carrier(
        kind="land",
        deal="sale",
        building_area_m2=None,
        land_area_m2=Decimal("20000"),
        price_value=Decimal("30"),
        price_unit="wan_per_mu",
    )

    assert carrier.price_wan_per_mu == Decimal("30.00")
    assert carrier.price_wan_total == Decimal("900.00")
    assert carrier.area_m2 == Decimal("20000")


def test_a_negotiable_price_is_stored_without_any_normalised_price():
    carrier = make_carrier(price_negotiable=True, price_value=None, price_unit="")

    assert carrier.price_negotiable
    assert carrier.price_yuan_m2_month is None
    assert carrier.price_wan_total is None


def test_an_area_of_zero_is_refused_naming_the_field():
    errors = refused_fields(building_area_m2=Decimal("0"))

    assert "建筑面积" in errors["building_area_m2"][0]


def test_a_price_without_unit_is_refused_naming_the_unit():
    errors = refused_fields(price_unit="")

    assert "价格单位" in errors["price_unit"][0]


def test_a_floor_height_above_50_metres_is_refused():
    errors = refused_fields(height_m=Decimal("51"))

    assert "层高" in errors["height_m"][0]


def test_coordinates_outside_china_are_refused():
    errors = refused_fields(latitude=Decimal("48.85"), longitude=Decimal("2.35"))

    assert "经度" in errors["longitude"][0]


def test_a_rent_carrier_cannot_be_priced_in_wan():
    errors = refused_fields(price_value=Decimal("500"), price_unit="wan_total")

    assert "出租" in errors["price_unit"][0]


def test_update_recomputes_the_normalised_price():
    carrier = make_carrier()

    carrier_update(
        carrier=carrier, values={"price_value": Decimal("0.5"), "price_unit": "yuan_m2_day"}
    )

    assert Carrier.objects.get(pk=carrier.pk).price_yuan_m2_month == Decimal("15.00")


def test_a_draft_is_not_public_until_published():
    carrier = make_carrier(publish=False)
    assert not carrier_public_queryset().filter(pk=carrier.pk).exists()

    carrier_publish(carrier=carrier)

    assert carrier_public_queryset().filter(pk=carrier.pk).exists()


def test_publishing_queues_the_notification_task_on_commit(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    carrier = make_carrier(publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        carrier_publish(carrier=carrier)

    assert DBTaskResult.objects.filter(args_kwargs__args=[carrier.pk]).exists()


def test_confirming_brings_a_hidden_carrier_back():
    carrier = make_carrier(confirmed_days_ago=200)
    assert not carrier_public_queryset().filter(pk=carrier.pk).exists()

    carrier_confirm(carrier=carrier)

    assert carrier_public_queryset().filter(pk=carrier.pk).exists()
    confirmed_at = Carrier.objects.get(pk=carrier.pk).confirmed_at
    assert confirmed_at is not None and timezone.now() - confirmed_at < timedelta(minutes=1)


def test_withdrawing_removes_the_carrier_from_the_public_catalogue():
    carrier = make_carrier()

    carrier_withdraw(carrier=carrier)

    assert not carrier_public_queryset().filter(pk=carrier.pk).exists()


def test_withdraw_refuses_a_status_that_is_not_an_ending():
    carrier = make_carrier()

    with pytest.raises(ValidationError):
        carrier_withdraw(carrier=carrier, status=Carrier.Status.AVAILABLE)
