"""Parks through the API: the park pages' list and detail."""

import pytest

from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_industry, make_park

pytestmark = pytest.mark.django_db


def test_parks_with_their_leading_industries(api):
    park = make_park(name="徐州经济技术开发区", short_name="徐州经开区")
    park.leading_industries.add(make_industry("3514", "建筑工程用机械制造"))
    _status, body = api.get("/parks")
    (item,) = body["items"]
    assert item["short_name"] == "徐州经开区" and item["carrier_count"] == 0
    assert item["leading_industries"] == [{"code": "3514", "name": "建筑工程用机械制造"}]


def test_parks_page_by_cursor(api):
    for number in range(3):
        make_park(name=f"园区{number}")
    _status, first = api.get("/parks", limit=2)
    _status, second = api.get("/parks", limit=2, cursor=first["next_cursor"])
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and not second["next_cursor"]


def test_an_inactive_park_is_not_listed_or_found(api):
    park = make_park(is_active=False)
    assert api.get("/parks")[1]["items"] == []
    assert api.get(f"/parks/{park.slug}")[0] == 404


def test_a_level_outside_the_list_is_refused(api):
    status, body = api.get("/parks", level="galactic")
    assert status == 400 and "level" in body["error"]["fields"]


def test_the_detail_gives_thresholds_and_sources(api):
    park = make_park(
        level=Park.Level.NATIONAL, tax_per_mu_wan="30", sources="https://a.cn\nhttps://b.cn"
    )
    status, body = api.get(f"/parks/{park.slug}")
    assert status == 200 and body["tax_per_mu_min_wan"] == "30.0"
    assert body["sources"] == ["https://a.cn", "https://b.cn"] and body["level_label"] == "国家级"


def test_a_park_says_when_its_point_is_its_countys_centre(api):
    make_park(coord_source="region:320324")

    _status, body = api.get("/parks")

    assert body["items"][0]["point_is_region_centre"] is True
