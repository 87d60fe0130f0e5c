from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import override_settings

from yuanqu.listings.filters import CarrierFilterForm
from yuanqu.listings.selectors import (
    addresses_close,
    carrier_likely_duplicates,
    carrier_map_points,
    carrier_search,
    carrier_similar,
    filter_choices,
)
from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def search(query: str = "", **kwargs):
    districts, parks = filter_choices()
    filters = CarrierFilterForm(QueryDict(query), districts=districts, parks=parks).filters()
    return carrier_search(filters=filters, **kwargs)


def titles(page) -> list[str]:
    return [carrier.title for carrier in page.carriers]


def test_search_filters_by_kind(park_a):
    make_carrier(park=park_a, title="厂房一")
    make_carrier(park=park_a, title="仓库一", kind="warehouse")

    assert titles(search("kind=warehouse")) == ["仓库一"]


def test_a_facet_counts_with_every_filter_but_its_own(park_a, park_b):
    make_carrier(park=park_a, title="甲厂房")
    make_carrier(park=park_a, title="甲仓库", kind="warehouse")
    make_carrier(park=park_b, title="乙厂房")

    page = search(f"kind=factory&park={park_a.pk}")

    kinds = {option.value: option.count for option in page.facets["kind"]}
    parks = {option.value: option.count for option in page.facets["park"]}
    assert kinds == {"factory": 1, "warehouse": 1, "land": 0, "office": 0}
    assert parks == {str(park_a.pk): 1, str(park_b.pk): 1}
    assert page.total == 1


def test_feature_counts_apply_the_other_features(park_a):
    make_carrier(park=park_a, independent_yard=True, eia_ok=True)
    make_carrier(park=park_a, independent_yard=True, eia_ok=False)
    make_carrier(park=park_a, independent_yard=False, eia_ok=True)

    page = search("yard=1")

    assert page.flag_counts["yard"] == 2  # its own filter is left out
    assert page.flag_counts["eia"] == 1  # yard applies
    assert page.total == 2


def test_a_price_filter_in_yuan_per_day_matches_the_monthly_price(park_a):
    make_carrier(park=park_a, title="便宜", price_value=Decimal("12"))
    make_carrier(park=park_a, title="贵", price_value=Decimal("30"))

    assert titles(search("price_max=0.5&price_unit=yuan_m2_day")) == ["便宜"]


def test_a_price_filter_leaves_out_negotiable_carriers(park_a):
    make_carrier(park=park_a, title="面议", price_negotiable=True, price_value=None, price_unit="")
    make_carrier(park=park_a, title="有价", price_value=Decimal("10"))

    assert titles(search("price_min=0")) == ["有价"]


def test_an_area_filter_in_mu_finds_land(park_a):
    make_carrier(
        park=park_a,
        title="二十亩",
        kind="land",
        deal="sale",
        building_area_m2=None,
        land_area_m2=Decimal("13333.33"),
        price_value=Decimal("30"),
        price_unit="wan_per_mu",
    )
    make_carrier(
        park=park_a,
        title="五亩",
        kind="land",
        deal="sale",
        building_area_m2=None,
        land_area_m2=Decimal("3333.33"),
        price_value=Decimal("30"),
        price_unit="wan_per_mu",
    )

    assert titles(search("area_min=15&area_unit=mu")) == ["二十亩"]


def test_stale_carriers_rank_after_fresh_ones_even_when_cheaper(park_a):
    make_carrier(park=park_a, title="旧但便宜", price_value=Decimal("8"), confirmed_days_ago=100)
    make_carrier(park=park_a, title="新", price_value=Decimal("20"), confirmed_days_ago=1)

    assert titles(search("sort=price")) == ["新", "旧但便宜"]


def test_carriers_unconfirmed_past_the_hide_limit_are_not_listed(park_a):
    make_carrier(park=park_a, title="隐藏", confirmed_days_ago=181)
    make_carrier(park=park_a, title="可见", confirmed_days_ago=179)

    assert titles(search()) == ["可见"]


def test_free_text_uses_the_search_index(park_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_carrier(park=park_a, title="带行车的重型厂房", crane_t=Decimal("20"))
        make_carrier(park=park_a, title="研发办公楼", kind="office")

    assert titles(search("q=重型")) == ["带行车的重型厂房"]


def test_sort_by_area_descending(park_a):
    make_carrier(park=park_a, title="小", building_area_m2=Decimal("1000"))
    make_carrier(park=park_a, title="大", building_area_m2=Decimal("9000"))

    assert titles(search("sort=-area")) == ["大", "小"]


def test_map_points_are_compact_id_lat_lon_label(park_a):
    carrier = make_carrier(park=park_a, latitude=Decimal("34.2"), longitude=Decimal("117.2"))

    data = carrier_map_points(filters=search().filters)

    assert data["points"] == [[carrier.pk, 34.2, 117.2, "厂房5000"]]
    assert data["truncated"] is False


@override_settings(MAP_TILES_GCJ02=True)
def test_map_points_are_shifted_for_gcj02_tiles(park_a):
    make_carrier(park=park_a, latitude=Decimal("34.2"), longitude=Decimal("117.2"))

    _id, latitude, longitude, _label = carrier_map_points(filters=search().filters)["points"][0]

    assert latitude != 34.2 and abs(latitude - 34.2) < 0.01
    assert longitude != 117.2 and abs(longitude - 117.2) < 0.01


def test_similar_carriers_prefer_the_same_kind_and_a_close_area(park_a):
    carrier = make_carrier(park=park_a, building_area_m2=Decimal("5000"))
    close = make_carrier(park=park_a, building_area_m2=Decimal("5500"))
    make_carrier(park=park_a, building_area_m2=Decimal("50000"))
    make_carrier(park=park_a, kind="warehouse")

    assert carrier_similar(carrier=carrier) == [close]


def test_similar_carriers_rank_the_same_park_then_the_nearest_area_then_the_freshest(
    park_a, park_b
):
    carrier = make_carrier(park=park_a, building_area_m2=Decimal("5000"))
    other_park_nearest = make_carrier(park=park_b, building_area_m2=Decimal("5010"))
    other_park_fresh = make_carrier(
        park=park_b, building_area_m2=Decimal("4800"), confirmed_days_ago=1
    )
    other_park_older = make_carrier(
        park=park_b, building_area_m2=Decimal("5200"), confirmed_days_ago=5
    )
    same_park_far = make_carrier(park=park_a, building_area_m2=Decimal("7000"))

    assert carrier_similar(carrier=carrier) == [
        same_park_far,
        other_park_nearest,
        other_park_fresh,
        other_park_older,
    ]


def test_similar_carriers_leave_out_hidden_and_other_deals(park_a, settings):
    carrier = make_carrier(park=park_a, building_area_m2=Decimal("5000"))
    make_carrier(park=park_a, building_area_m2=Decimal("5000"), deal="sale", price_unit="wan_total")
    make_carrier(
        park=park_a,
        building_area_m2=Decimal("5000"),
        confirmed_days_ago=settings.CARRIER_HIDE_DAYS + 1,
    )
    make_carrier(park=park_a, building_area_m2=Decimal("5000"), publish=False)

    assert carrier_similar(carrier=carrier) == []


def test_a_carrier_with_a_close_address_and_area_is_a_likely_duplicate(park_a, park_b):
    existing = make_carrier(park=park_a, address="测试路1号", building_area_m2=Decimal("5000"))
    make_carrier(park=park_b, address="测试路1号", building_area_m2=Decimal("5000"))

    found = carrier_likely_duplicates(
        park_id=park_a.pk, address="测试路 1 号 ", area_m2=Decimal("5200")
    )

    assert found == [existing]


def test_an_area_more_than_5_percent_away_is_not_a_duplicate(park_a):
    make_carrier(park=park_a, address="测试路1号", building_area_m2=Decimal("5000"))

    assert (
        carrier_likely_duplicates(park_id=park_a.pk, address="测试路1号", area_m2=Decimal("5300"))
        == []
    )


def test_addresses_far_apart_are_not_close():
    assert not addresses_close("杨山路1号", "黄河北路88号")


def test_without_filters_every_facet_counts_the_whole_catalogue(park_a):
    make_carrier(park=park_a, independent_yard=True)
    make_carrier(park=park_a, kind="warehouse", deal="rent", eia_ok=True)
    make_carrier(park=park_a, confirmed_days_ago=200)  # hidden: never counted

    page = search()

    assert page.total == 2
    assert {option.value: option.count for option in page.facets["kind"]}["warehouse"] == 1
    assert {option.value: option.count for option in page.facets["deal"]}["rent"] == 2
    assert page.flag_counts == {"crane": 0, "yard": 1, "eia": 1}


def test_the_map_area_limits_the_results(park_a):
    make_carrier(park=park_a, title="城里", latitude=Decimal("34.26"), longitude=Decimal("117.18"))
    make_carrier(park=park_a, title="城外", latitude=Decimal("34.60"), longitude=Decimal("118.00"))

    assert titles(search("bbox=34.2,117.1,34.3,117.3")) == ["城里"]
