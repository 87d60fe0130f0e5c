"""Carriers through the API: the /carriers/ page's filters, facets, order and detail."""

import pytest

from yuanqu.listings.models import Carrier
from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def test_search_applies_the_pages_filters_and_counts_facets(api):
    factory = make_carrier(title="单层厂房出租")
    make_carrier(title="仓库出租", kind=Carrier.Kind.WAREHOUSE)
    status, body = api.get("/carriers", kind="factory")
    assert status == 200 and [c["id"] for c in body["items"]] == [factory.pk]
    assert body["total"] == 1 and "kind" in body["facets"]
    assert body["items"][0]["price_yuan_m2_month"] == "15.00"


def test_a_bad_filter_value_is_refused_with_the_field(api):
    status, body = api.get("/carriers", area_min="很大")
    assert status == 400 and "area_min" in body["error"]["fields"]


def test_a_range_upside_down_is_refused_not_ignored(api):
    status, body = api.get("/carriers", area_min="5000", area_max="100")
    assert status == 400 and "下限大于上限" in body["error"]["message"]


def test_search_pages_by_cursor(api):
    made = {make_carrier(title=f"厂房{number}").pk for number in range(23)}
    _status, first = api.get("/carriers")
    _status, second = api.get("/carriers", cursor=first["next_cursor"])
    seen = [c["id"] for c in first["items"] + second["items"]]
    assert sorted(seen) == sorted(made) and second["next_cursor"] is None


def test_a_cursor_belongs_to_its_filters(api):
    for number in range(23):
        make_carrier(title=f"厂房{number}")
    _status, first = api.get("/carriers")
    status, _body = api.get("/carriers", kind="land", cursor=first["next_cursor"])
    assert status == 400


def test_the_detail_gives_every_price_unit_and_similar_carriers(api):
    carrier = make_carrier()
    status, body = api.get(f"/carriers/{carrier.pk}")
    assert status == 200 and body["price_rows"] and body["spec_rows"]
    assert body["price_label"] == "15元/㎡·月" and isinstance(body["similar"], list)


def test_an_unpublished_carrier_is_not_found(api):
    carrier = make_carrier(publish=False)
    assert api.get(f"/carriers/{carrier.pk}")[0] == 404


def test_map_points_of_the_same_filters(api):
    carrier = make_carrier()
    _status, body = api.get("/carriers/map", kind="factory")
    assert [point[0] for point in body["points"]] == [carrier.pk]
