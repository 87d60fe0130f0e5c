from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def test_the_admin_carrier_list_opens_for_a_site_admin(login_as, site_admin, park_a):
    make_carrier(park=park_a)

    response = login_as(site_admin).get(reverse("admin:listings_carrier_changelist"))

    assert response.status_code == 200


def test_saving_in_the_admin_keeps_the_normalised_price(login_as, site_admin, park_a):
    from yuanqu.listings.admin import CarrierAdmin
    from yuanqu.listings.models import Carrier

    carrier = make_carrier(park=park_a)
    carrier.price_value, carrier.price_unit = Decimal("0.3"), "yuan_m2_day"
    from django.contrib import admin as django_admin

    model_admin = CarrierAdmin(Carrier, django_admin.site)

    model_admin.save_model(None, carrier, None, True)

    assert Carrier.objects.get(pk=carrier.pk).price_yuan_m2_month == Decimal("9.00")
