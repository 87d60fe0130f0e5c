"""Reads for the carrier catalogue: faceted search, map points, detail, similar, compare.

Search and map read the in-process catalogue index (`catalogue_index`): facet counts, totals,
the order of a page and the map points come from memory for any filter state, and the
database is asked only for the catalogue generation, the page's 20 rows and their photos
(plus the filter choices and the free-text matches when those apply).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet

from yuanqu.core.models import Region
from yuanqu.core.names import english_name
from yuanqu.listings.catalogue_index import KINDS, catalogue_generation, public_catalogue
from yuanqu.listings.filters import PER_PAGE, CarrierFilters
from yuanqu.listings.geo import wgs84_to_gcj02
from yuanqu.listings.models import PUBLIC_STATUSES, Carrier, CarrierPhoto, hide_cutoff
from yuanqu.parks.models import Park, park_label

MAP_POINT_LIMIT = 5000
MAP_CACHE_SECONDS = 120
CHOICES_CACHE_SECONDS = 600


def carrier_public_queryset(*, now=None) -> QuerySet[Carrier]:
    """Published, open carriers confirmed within CARRIER_HIDE_DAYS."""
    return Carrier.objects.filter(
        published_at__isnull=False,
        status__in=PUBLIC_STATUSES,
        confirmed_at__gte=hide_cutoff(now),
    )


# --- filter choices --------------------------------------------------------------------


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """Districts and parks offered by the search form (districts that have active parks), named
    in the page's language (`core.names`: English on the English pages where it has a name)."""
    key = f"listings:choice-rows:{catalogue_generation()}"
    parks = cache.get(key)
    if parks is None:
        parks = list(
            Park.objects.filter(is_active=True)
            .order_by("name")
            .values_list("pk", "name", "short_name", "slug", "region_id", "region__name")
        )
        cache.set(key, parks, CHOICES_CACHE_SECONDS)
    districts = sorted({(region_id, region_name) for *_, region_id, region_name in parks})
    return (
        [(code, english_name("region", code) or name) for code, name in districts],
        [(pk, park_label(slug, name, short)) for pk, name, short, slug, *_ in parks],
    )


# --- search ----------------------------------------------------------------------------


def _text_ids(query: str) -> list[int] | None:
    if not query:
        return None
    from yuanqu.core.search import matching_ids

    return matching_ids(kind="carrier", query=query)


def _conditions(filters: CarrierFilters, text_ids: list[int] | None) -> dict[str, Q]:
    """One Q per facet dimension (or plain filter), so a facet can leave its own out."""
    conditions: dict[str, Q] = {}
    if text_ids is not None:
        conditions["q"] = Q(pk__in=text_ids)
    if filters.kind:
        conditions["kind"] = Q(kind__in=filters.kind)
    if filters.deal:
        conditions["deal"] = Q(deal__in=filters.deal)
    if filters.district:
        conditions["district"] = Q(region_id__in=filters.district)
    if filters.park:
        conditions["park"] = Q(park_id__in=filters.park)
    low, high = filters.area_bounds_m2()
    if low is not None:
        conditions["area_min"] = Q(area_m2__gte=low)
    if high is not None:
        conditions["area_max"] = Q(area_m2__lte=high)
    column, price_low, price_high = filters.price_bounds()
    # 面议 carriers have no normalised price, so any price filter leaves them out (never zero).
    if price_low is not None:
        conditions["price_min"] = Q(**{f"{column}__gte": price_low})
    if price_high is not None:
        conditions["price_max"] = Q(**{f"{column}__lte": price_high})
    if filters.height_min is not None:
        conditions["height_min"] = Q(height_m__gte=filters.height_min)
    if filters.load_min is not None:
        conditions["load_min"] = Q(floor_load_t_m2__gte=filters.load_min)
    if filters.power_min is not None:
        conditions["power_min"] = Q(power_available_kva__gte=filters.power_min)
    if filters.crane:
        conditions["crane"] = Q(crane_t__gt=0)
    if filters.yard:
        conditions["yard"] = Q(independent_yard=True)
    if filters.eia:
        conditions["eia"] = Q(eia_ok=True)
    if filters.deed:
        conditions["deed"] = Q(title_deed__in=filters.deed)
    if filters.fire:
        conditions["fire"] = Q(fire_hazard_class__in=filters.fire)
    bounds = filters.bbox_wgs84()
    if bounds is not None:
        south, west, north, east = bounds
        conditions["bbox"] = Q(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    return conditions


def _combine(conditions: dict[str, Q], *, leave_out: Iterable[str] = ()) -> Q:
    combined = Q()
    for name, condition in conditions.items():
        if name not in leave_out:
            combined &= condition
    return combined


def carrier_filtered_queryset(
    *, filters: CarrierFilters, now=None, base: QuerySet[Carrier] | None = None
) -> QuerySet[Carrier]:
    base = carrier_public_queryset(now=now) if base is None else base
    return base.filter(_combine(_conditions(filters, _text_ids(filters.q))))


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    filters: CarrierFilters
    carriers: Sequence[Carrier]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    flag_counts: dict[str, int] = field(default_factory=dict)
    # The page's carrier ids in order (`carriers` stays empty when rows were not asked for).
    page_ids: list[int] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def carrier_search(*, filters: CarrierFilters, now=None, load_rows: bool = True) -> SearchPage:
    """One page of public carriers for these filters, stale ones ranked last, with facets.

    With `load_rows=False` only the page's ids are given (the search page renders its cards
    from `cards.search_cards`, which reads rows only for cards it has not cached).
    """
    selection = public_catalogue(now).select(filters, text_ids=_text_ids(filters.q))
    total = selection.total
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    start = (page - 1) * PER_PAGE
    page_ids = selection.ordered_ids(start, start + PER_PAGE)
    by_id = (
        {
            carrier.pk: carrier
            for carrier in Carrier.objects.filter(pk__in=page_ids)
            .select_related("park", "region")
            .prefetch_related(
                Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
            )
        }
        if load_rows
        else {}
    )
    facets = _facet_options(filters, selection.facet_counts())
    return SearchPage(
        filters=filters,
        carriers=[by_id[pk] for pk in page_ids if pk in by_id],
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        flag_counts=selection.flag_counts(),
        page_ids=list(page_ids),
    )


def _facet_options(
    filters: CarrierFilters, counts: dict[str, dict[str, int]]
) -> dict[str, list[FacetOption]]:
    """The options of each dimension with their counts (parks and districts only with some)."""
    districts, parks = filter_choices()
    labels: dict[str, list[tuple[str, str]]] = {
        "kind": [(str(v), str(label)) for v, label in Carrier.Kind.choices],
        "deal": [(str(v), str(label)) for v, label in Carrier.Deal.choices],
        "district": [(code, name) for code, name in districts],
        "park": [(str(pk), name) for pk, name in parks],
        "deed": [(str(v), str(label)) for v, label in Carrier.TitleDeed.choices],
        "fire": [(str(v), str(label)) for v, label in Carrier.FireHazard.choices],
    }
    facets: dict[str, list[FacetOption]] = {}
    for name, options in labels.items():
        selected = {str(value) for value in getattr(filters, name)}
        facets[name] = [
            FacetOption(
                value=value,
                label=label,
                count=counts[name].get(value, 0),
                selected=value in selected,
            )
            for value, label in options
            # Parks and districts without any carrier for these filters are noise in the list.
            if name not in {"park", "district"} or counts[name].get(value) or value in selected
        ]
    return facets


# --- map -------------------------------------------------------------------------------


def map_labels(kinds: np.ndarray, areas: np.ndarray) -> list[str]:
    """The markers' texts: "厂房5000" (㎡ implied, the map script adds it) or "土地20亩".

    `kinds` are codes into catalogue_index.KINDS, `areas` ㎡ (NaN when unknown: the kind alone).
    The unit is left out for floor areas because 5,000 points × 3 bytes of "㎡" would push the
    payload past its 200 KB budget; land keeps 亩 as it is counted in another unit. Rounded
    half to even, as Python's round().
    """
    land = KINDS.index(Carrier.Kind.LAND)
    names = [str(Carrier.Kind(kind).label) for kind in KINDS]
    with_figure = [name + ("{}亩" if code == land else "{}") for code, name in enumerate(names)]
    known = ~np.isnan(areas) & (areas != 0)
    figures = np.rint(np.where(kinds == land, areas * 15 / 10000, areas))
    return [
        with_figure[kind].format(figure) if has_figure else names[kind]
        for kind, figure, has_figure in zip(
            kinds.tolist(),
            np.where(known, figures, 0).astype(np.int64).tolist(),
            known.tolist(),
            strict=True,
        )
    ]


def carrier_map_points(*, filters: CarrierFilters, now=None) -> dict[str, Any]:
    """The current result set as compact points: [id, lat, lon, label], at most 5,000,
    the most recently confirmed first."""
    selection = public_catalogue(now).select(filters, text_ids=_text_ids(filters.q))
    rows = selection.map_rows(MAP_POINT_LIMIT + 1)
    truncated = len(rows) > MAP_POINT_LIMIT
    rows = rows[:MAP_POINT_LIMIT]
    latitudes, longitudes = rows.latitude.tolist(), rows.longitude.tolist()
    if settings.MAP_TILES_GCJ02:
        shifted = [wgs84_to_gcj02(lat, lon) for lat, lon in zip(latitudes, longitudes, strict=True)]
        latitudes, longitudes = [lat for lat, _ in shifted], [lon for _, lon in shifted]
    # 4 decimals ≈ 11 m: enough for a marker, and keeps 5,000 points within 200 KB.
    points = [
        [pk, round(lat, 4), round(lon, 4), label]
        for pk, lat, lon, label in zip(
            rows.id.tolist(),
            latitudes,
            longitudes,
            map_labels(rows.kind, rows.area_m2),
            strict=True,
        )
    ]
    return {"points": points, "truncated": truncated, "limit": MAP_POINT_LIMIT}


def carrier_map_json(*, filters: CarrierFilters) -> bytes:
    """The map payload as JSON bytes, cached per filter state until a carrier changes."""
    state = hashlib.sha256(filters.query_string(sort="fresh", view="list").encode()).hexdigest()
    key = f"listings:map:{catalogue_generation()}:{state[:32]}"
    payload = cache.get(key)
    if payload is None:
        payload = json.dumps(
            carrier_map_points(filters=filters), ensure_ascii=False, separators=(",", ":")
        ).encode()
        cache.set(key, payload, MAP_CACHE_SECONDS)
    return payload


def map_settings() -> dict[str, Any]:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "gcj02": settings.MAP_TILES_GCJ02,
    }


def map_point(latitude: Decimal | float | None, longitude: Decimal | float | None):
    """One WGS-84 point as the configured tiles want it (None when unknown)."""
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    if settings.MAP_TILES_GCJ02:
        lat, lon = wgs84_to_gcj02(lat, lon)
    return [round(lat, 6), round(lon, 6)]


# --- detail, similar, compare, duplicates ----------------------------------------------


def carrier_get_public(*, carrier_id: int) -> Carrier | None:
    return (
        carrier_public_queryset()
        .select_related("park", "region", "park__region")
        .prefetch_related(
            Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
        )
        .filter(pk=carrier_id)
        .first()
    )


def carrier_similar(*, carrier: Carrier, limit: int = 4) -> list[Carrier]:
    """Same kind and deal, area within ±50 %, the same park first, then the nearest in area.

    Ranked from the catalogue index (the SQL sort of every candidate took 29 ms on 50k
    carriers, docs/bench/scenarios.md); only the rows shown are read."""
    ids = public_catalogue().similar_ids(
        carrier_id=carrier.pk,
        kind=carrier.kind,
        deal=carrier.deal,
        area_m2=carrier.area_m2,
        park_id=carrier.park_id,
        limit=limit,
    )
    found = {
        found.pk: found
        for found in carrier_public_queryset()
        .select_related("park", "region")
        .prefetch_related(
            Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
        )
        .filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def carrier_compare_list(*, ids: list[int]) -> list[Carrier]:
    """Public carriers by id, in the order given (unknown or hidden ids are skipped)."""
    found = {
        carrier.pk: carrier
        for carrier in carrier_public_queryset().select_related("park", "region").filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def carrier_likely_duplicates(
    *, park_id: int, address: str, area_m2: Decimal | None, exclude_id: int | None = None
) -> list[Carrier]:
    """Carriers of the same park with a close address and an area within 5 %."""
    if not area_m2:
        return []
    queryset = Carrier.objects.filter(
        park_id=park_id,
        area_m2__gte=area_m2 * Decimal("0.95"),
        area_m2__lte=area_m2 * Decimal("1.05"),
    ).exclude(status=Carrier.Status.WITHDRAWN)
    if exclude_id:
        queryset = queryset.exclude(pk=exclude_id)
    return [
        candidate
        for candidate in queryset.order_by("-id")[:50]
        if addresses_close(candidate.address, address)
    ]


def _address_key(text: str) -> str:
    from yuanqu.core.text import fold

    return "".join(ch for ch in fold(text or "") if ch.isalnum())


def addresses_close(first: str, second: str) -> bool:
    """Two addresses are close when one contains the other or they share ≥ 80 % of characters
    in order (a judgement call: typing differs, "号"/"#" and spaces come and go)."""
    a, b = _address_key(first), _address_key(second)
    if not a or not b:
        return not a and not b
    if a in b or b in a:
        return True
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.8


def district_name(code: str) -> str:
    region = Region.objects.filter(pk=code).only("name").first()
    return region.name if region else code
