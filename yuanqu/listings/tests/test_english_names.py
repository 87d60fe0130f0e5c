"""English names of parks and regions on the English carrier pages (core/data/english_names.csv;
the name table's own checks are in yuanqu/parks/tests/test_english_names.py)."""

import pytest

from yuanqu.listings.tests.factories import make_carrier
from yuanqu.parks.tests.factories import make_park, make_region

pytestmark = pytest.mark.django_db


def test_an_english_carrier_card_names_its_park_and_county_in_english(client):
    park = make_park(name="徐州高新技术产业开发区", slug="xuzhou-gaoxinqu", region=make_region())
    make_carrier(park=park)

    html = client.get("/en/carriers/").content.decode()

    assert "Xuzhou High-tech Industrial Development Zone · Tongshan District" in html


def test_the_english_search_filters_name_parks_and_districts_in_english(client):
    park = make_park(name="徐州高新技术产业开发区", slug="xuzhou-gaoxinqu", region=make_region())
    make_carrier(park=park)

    english = client.get("/en/carriers/").content.decode()
    chinese = client.get("/carriers/").content.decode()

    assert 'value="320312" > Tongshan District <' in english
    assert f'value="{park.pk}" > Xuzhou High-tech Industrial Development Zone <' in english
    assert "Tongshan District" not in chinese
