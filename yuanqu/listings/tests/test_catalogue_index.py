"""The in-memory catalogue index answers exactly as the SQL it replaced (tests/sql_oracle.py)."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pytest
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from yuanqu.listings import catalogue_index, selectors
from yuanqu.listings.catalogue_index import (
    KINDS,
    catalogue_changed,
    catalogue_generation,
    public_catalogue,
)
from yuanqu.listings.filters import PER_PAGE, CarrierFilterForm, CarrierFilters
from yuanqu.listings.models import Carrier
from yuanqu.listings.selectors import (
    MAP_POINT_LIMIT,
    _text_ids,
    carrier_map_json,
    carrier_map_points,
    carrier_search,
    filter_choices,
    map_labels,
)
from yuanqu.listings.tests.factories import make_carrier
from yuanqu.listings.tests.sql_oracle import (
    sql_facets,
    sql_map_payload,
    sql_map_rows,
    sql_page_ids,
)
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db

SORTS = ["fresh", "newest", "price", "-price", "area", "-area"]


def random_carriers(rng: random.Random, parks, count: int) -> None:
    """Carriers covering every case the filters and orderings meet: 面议, missing columns,
    ties, stale, hidden, unpublished, withdrawn, no coordinates."""
    for number in range(count):
        kind = rng.choice(Carrier.Kind.values)
        deal = rng.choice(Carrier.Deal.values)
        negotiable = rng.random() < 0.2
        price: dict[str, Any]
        if negotiable:
            price = {"price_negotiable": True, "price_value": None, "price_unit": ""}
        elif deal == Carrier.Deal.SALE:
            unit = "wan_per_mu" if kind == "land" else "wan_total"
            price = {"price_value": Decimal(rng.choice([30, 45, 60, 900])), "price_unit": unit}
        else:
            unit = rng.choice(["yuan_m2_month", "yuan_m2_day", "yuan_month"])
            choices: dict[str, list[Any]] = {
                "yuan_m2_month": [12, 15, 18],
                "yuan_m2_day": ["0.5", "0.6"],
                "yuan_month": [50000, 80000],
            }
            value = choices[unit]
            price = {"price_value": Decimal(str(rng.choice(value))), "price_unit": unit}
        located = rng.random() < 0.9
        area = Decimal(rng.choice(["666.67", "1000", "3333.33", "5000", "13333.33"]))
        values: dict[str, Any] = {
            "title": f"载体{number}",
            "kind": kind,
            "deal": deal,
            "building_area_m2": None if kind == "land" else area,
            "land_area_m2": area if kind == "land" else rng.choice([None, area]),
            "height_m": rng.choice([None, Decimal("6"), Decimal("8.5"), Decimal("12")]),
            "floor_load_t_m2": rng.choice([None, Decimal("1"), Decimal("3")]),
            "power_available_kva": rng.choice([None, 200, 800, 2000]),
            "crane_t": rng.choice([None, None, Decimal("0"), Decimal("5")]),
            "independent_yard": rng.random() < 0.4,
            "eia_ok": rng.random() < 0.5,
            "title_deed": rng.choice(["", *Carrier.TitleDeed.values]),
            "fire_hazard_class": rng.choice(["", "", *Carrier.FireHazard.values]),
            "latitude": Decimal(f"34.{rng.randint(1000, 9999)}") if located else None,
            "longitude": Decimal(f"117.{rng.randint(1000, 9999)}") if located else None,
            **price,
        }
        carrier = make_carrier(
            park=rng.choice(parks),
            publish=rng.random() < 0.9,
            confirmed_days_ago=rng.choice([0, 1, 1, 30, 89, 91, 120, 179, 181, 300]),
            **values,
        )
        if rng.random() < 0.1:
            Carrier.objects.filter(pk=carrier.pk).update(
                status=rng.choice(["reserved", "taken", "withdrawn"])
            )


def random_query(rng: random.Random, districts, parks) -> str:
    """A query string as the search form sends it, with 0–6 filters, a sort and a page."""
    params: list[tuple[str, str]] = []
    options = {
        "kind": Carrier.Kind.values,
        "deal": Carrier.Deal.values,
        "deed": Carrier.TitleDeed.values,
        "fire": Carrier.FireHazard.values,
        "district": [code for code, _name in districts],
        "park": [str(pk) for pk, _name in parks],
    }
    for _ in range(rng.randint(0, 6)):
        name = rng.choice([*options, "area", "price", "height", "load", "power", "flag", "bbox"])
        if name in options:
            params += [(name, value) for value in rng.sample(options[name], rng.randint(1, 2))]
        elif name == "area":
            unit = rng.choice(["m2", "mu"])
            bound = rng.choice(["1", "5", "20", "666.67", "1000", "5000"])
            params += [(rng.choice(["area_min", "area_max"]), bound), ("area_unit", unit)]
        elif name == "price":
            unit = rng.choice(["yuan_m2_month", "yuan_m2_day", "wan_total", "wan_per_mu"])
            bound = rng.choice(["0", "0.5", "12", "15", "45", "900"])
            params += [(rng.choice(["price_min", "price_max"]), bound), ("price_unit", unit)]
        elif name in {"height", "load", "power"}:
            params.append((f"{name}_min", rng.choice(["0", "1", "3", "8.5", "800"])))
        elif name == "flag":
            params.append((rng.choice(["crane", "yard", "eia"]), "1"))
        else:
            params.append(("bbox", rng.choice(["34.3,117.3,34.7,117.7", "34,117,35,118"])))
    params.append(("sort", rng.choice(SORTS)))
    if rng.random() < 0.3:
        params.append(("price_unit", rng.choice(["wan_total", "wan_per_mu", "yuan_m2_day"])))
    if rng.random() < 0.2:
        params.append(("page", str(rng.randint(2, 4))))
    return urlencode(params)


def parse(query: str) -> CarrierFilters:
    districts, parks = filter_choices()
    return CarrierFilterForm(QueryDict(query), districts=districts, parks=parks).filters()


@pytest.fixture
def catalogue(park_a, park_b):
    rng = random.Random(20261125)
    parks = [park_a, park_b, make_park(name="丙园区", region=park_a.region)]
    random_carriers(rng, parks, 80)
    return rng


def test_counts_totals_and_pages_equal_the_sql_for_random_filter_states(catalogue):
    rng = catalogue
    districts, parks = filter_choices()
    now = timezone.now()
    checked_pages = 0
    for _ in range(150):
        filters = parse(random_query(rng, districts, parks))
        selection = public_catalogue(now).select(filters, text_ids=None)
        counts, flags, total = sql_facets(filters, now=now)

        assert (selection.facet_counts(), selection.flag_counts(), selection.total) == (
            counts,
            flags,
            total,
        ), filters.query_string()
        for start in (0, PER_PAGE * (filters.page - 1), max(0, total - 5)):
            expected = sql_page_ids(filters, now=now, start=start, stop=start + PER_PAGE)
            assert selection.ordered_ids(start, start + PER_PAGE) == expected
            checked_pages += bool(expected)
    assert checked_pages > 150  # most states had results: the comparison was not vacuous


def test_map_rows_equal_the_sql_for_random_filter_states(catalogue):
    rng = catalogue
    districts, parks = filter_choices()
    now = timezone.now()
    for limit in (5, 10_000):
        for _ in range(40):
            filters = parse(random_query(rng, districts, parks))
            selection = public_catalogue(now).select(filters, text_ids=None)
            rows = selection.map_rows(limit)

            found = list(
                zip(
                    rows.id.tolist(),
                    rows.latitude.tolist(),
                    rows.longitude.tolist(),
                    [KINDS[code] for code in rows.kind.tolist()],
                    [None if area != area else area for area in rows.area_m2.tolist()],
                    strict=True,
                )
            )
            assert found == sql_map_rows(filters, now=now, limit=limit)


@pytest.mark.parametrize("query", ["deal=rent", "kind=land", "", "sort=price&price_max=15"])
def test_the_map_payload_is_byte_for_byte_the_sql_one(catalogue, query):
    filters = parse(query)
    expected = sql_map_payload(filters, now=timezone.now(), limit=MAP_POINT_LIMIT)

    payload = carrier_map_json(filters=filters)

    assert payload == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(expected["points"]) > 5


def test_map_labels_round_half_to_even_and_count_land_in_mu():
    kinds = np.array([KINDS.index(kind) for kind in ["factory", "factory", "land", "office"]])
    areas = np.array([2500.5, 2501.5, 13333.33, np.nan])

    assert map_labels(kinds, areas) == ["厂房2500", "厂房2502", "土地20亩", "写字楼"]


@pytest.mark.parametrize("gcj02", [False, True])
def test_the_map_payload_truncates_at_the_limit(catalogue, monkeypatch, settings, gcj02):
    settings.MAP_TILES_GCJ02 = gcj02
    monkeypatch.setattr(selectors, "MAP_POINT_LIMIT", 7)
    filters = parse("")

    data = selectors.carrier_map_points(filters=filters)

    assert data["truncated"] is True and data["limit"] == 7
    assert data == sql_map_payload(filters, now=timezone.now(), limit=7)


def test_free_text_intersects_with_the_search_index(park_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        heavy = make_carrier(park=park_a, title="带行车的重型厂房", crane_t=Decimal("20"))
        make_carrier(park=park_a, title="重型仓库", kind="warehouse")
        make_carrier(park=park_a, title="研发办公楼", kind="office")
    filters = parse("q=重型&kind=factory")
    now = timezone.now()

    selection = public_catalogue(now).select(filters, text_ids=_text_ids(filters.q))

    assert selection.ordered_ids(0, 20) == [heavy.pk]
    assert selection.facet_counts()["kind"] == sql_facets(filters, now=now)[0]["kind"]
    assert selection.facet_counts()["kind"] == {"factory": 1, "warehouse": 1}


@override_settings(MAP_TILES_GCJ02=True)
def test_a_map_bbox_in_gcj02_selects_as_the_sql_does(catalogue):
    now = timezone.now()
    for bbox in ("34.3,117.3,34.7,117.7", "34.2,117.1,34.5,117.5"):
        filters = parse(f"bbox={bbox}")
        selection = public_catalogue(now).select(filters, text_ids=None)

        assert selection.total == sql_facets(filters, now=now)[2]
        assert selection.ordered_ids(0, 100) == sql_page_ids(filters, now=now, start=0, stop=100)


def test_freshness_cutoffs_move_with_time_without_a_rebuild(park_a):
    carrier = make_carrier(park=park_a, confirmed_days_ago=80)
    index = catalogue_index.catalogue_index()
    filters = parse("")

    def first(now):
        selection = index.at(now).select(filters, text_ids=None)
        return selection.total, selection.ordered_ids(0, 20)

    now = timezone.now()
    assert first(now) == (1, [carrier.pk])
    assert public_catalogue(now + timedelta(days=50)).stale.tolist() == [True]
    assert first(now + timedelta(days=101)) == (0, [])


def test_a_committed_change_rebuilds_the_index(park_a, django_capture_on_commit_callbacks):
    make_carrier(park=park_a, title="旧")
    before = catalogue_index.catalogue_index()

    with django_capture_on_commit_callbacks(execute=True):
        make_carrier(park=park_a, title="新")

    after = catalogue_index.catalogue_index()
    assert after is not before and after.generation > before.generation
    assert len(after) == 2 and len(before) == 1


def test_an_unchanged_generation_reuses_the_index(park_a, django_assert_num_queries):
    make_carrier(park=park_a)
    first = catalogue_index.catalogue_index()

    with django_assert_num_queries(1):  # the generation, nothing else
        assert catalogue_index.catalogue_index() is first


def test_park_and_district_edits_bump_the_generation(park_a, django_capture_on_commit_callbacks):
    generation = catalogue_generation()

    with django_capture_on_commit_callbacks(execute=True):
        park_a.name = "改名园区"
        park_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        park_a.region.name = "改名区"
        park_a.region.save()

    assert catalogue_generation() == generation + 2


def test_deleting_carriers_in_the_admin_bumps_the_generation(
    park_a, site_admin, login_as, django_capture_on_commit_callbacks
):
    carrier, other = make_carrier(park=park_a), make_carrier(park=park_a)
    client = login_as(site_admin)
    generation = catalogue_generation()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:listings_carrier_delete", args=[carrier.pk]), {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:listings_carrier_changelist"),
            {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
        )

    assert not Carrier.objects.exists()
    assert catalogue_generation() == generation + 2


def test_the_generation_is_read_once_per_request(client, park_a, django_assert_num_queries):
    make_carrier(park=park_a)
    client.get("/carriers/")  # builds the index and fills the caches

    # The cookieless page cache answers; its key needs the generation, read once.
    with django_assert_num_queries(1):
        client.get("/carriers/")


def test_a_flushed_version_row_comes_back_with_a_new_generation(db):
    from yuanqu.listings.models import CatalogueVersion

    before = catalogue_generation()
    CatalogueVersion.objects.all().delete()  # as a flush between live-server tests does

    again = catalogue_generation()
    catalogue_changed()

    assert again != before and catalogue_generation() == again + 1


def test_search_and_map_read_only_the_page_from_the_database(park_a, django_assert_num_queries):
    for number in range(30):
        make_carrier(park=park_a, title=f"厂房{number}")
    filters = parse("kind=factory&sort=-area")
    carrier_search(filters=filters)  # builds the index, caches the filter choices

    # The generation (twice: outside a request it is not remembered), the page's rows, photos.
    with django_assert_num_queries(4):
        page = carrier_search(filters=filters)
    with django_assert_num_queries(1):
        carrier_map_points(filters=filters)

    assert page.total == 30 and len(page.carriers) == PER_PAGE
