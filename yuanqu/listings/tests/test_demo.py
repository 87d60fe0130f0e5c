import io

import pytest

from yuanqu.listings.demo import load_demo
from yuanqu.listings.models import Carrier
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db


def test_the_demo_makes_at_least_300_sample_carriers_once():
    make_park()
    make_park()

    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())

    assert Carrier.objects.filter(is_sample=True).count() == Carrier.objects.count() >= 300


def test_demo_prices_stay_in_realistic_ranges():
    make_park()

    load_demo(stdout=io.StringIO())

    factories = Carrier.objects.filter(kind="factory", deal="rent", price_negotiable=False)
    land = Carrier.objects.filter(kind="land", price_negotiable=False)
    assert all(8 <= (carrier.price_yuan_m2_month or 0) <= 25 for carrier in factories)
    assert all(10 <= (carrier.price_wan_per_mu or 0) <= 60 for carrier in land)
    assert Carrier.objects.filter(price_negotiable=True).exists()
