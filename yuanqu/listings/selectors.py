"""Reads for the carrier catalogue: faceted search, map points, detail, similar, compare.

Query budget of the search page (constant, whatever the number of carriers): the filter
choices (cached), one count, one page, one photo prefetch and one query per facet dimension
(facet counts cached per filter state until a carrier changes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Abs, Cast
from django.utils import timezone

from yuanqu.core.models import Region
from yuanqu.listings.filters import PER_PAGE, CarrierFilters
from yuanqu.listings.geo import wgs84_to_gcj02
from yuanqu.listings.models import (
    PUBLIC_STATUSES,
    Carrier,
    CarrierPhoto,
    hide_cutoff,
    stale_cutoff,
)
from yuanqu.parks.models import Park

MAP_POINT_LIMIT = 5000
FACET_CACHE_SECONDS = 120
CHOICES_CACHE_SECONDS = 600
GENERATION_KEY = "listings:generation"


def catalogue_generation() -> int:
    """A number bumped on every carrier write, so cached facets never outlive the data."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return int(value)


def catalogue_changed() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def carrier_public_queryset(*, now=None) -> QuerySet[Carrier]:
    """Published, open carriers confirmed within CARRIER_HIDE_DAYS."""
    return Carrier.objects.filter(
        published_at__isnull=False,
        status__in=PUBLIC_STATUSES,
        confirmed_at__gte=hide_cutoff(now),
    )


# --- filter choices --------------------------------------------------------------------


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """Districts and parks offered by the search form (districts that have active parks)."""
    key = f"listings:choices:{catalogue_generation()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    parks = list(
        Park.objects.filter(is_active=True)
        .order_by("name")
        .values_list("pk", "name", "short_name", "region_id", "region__name")
    )
    districts = sorted({(region_id, region_name) for *_, region_id, region_name in parks})
    choices = (
        [(code, name) for code, name in districts],
        [(pk, short or name) for pk, name, short, *_ in parks],
    )
    cache.set(key, choices, CHOICES_CACHE_SECONDS)
    return choices


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
    bounds = filters.bbox_bounds()
    if bounds is not None:
        south, west, north, east = bounds
        if settings.MAP_TILES_GCJ02:
            # The map drew GCJ-02 tiles, so its bounds are shifted; undo the shift at the centre
            # (the offset varies by well under a metre across one screen of map).
            middle = ((south + north) / 2, (west + east) / 2)
            shifted = wgs84_to_gcj02(*middle)
            d_lat, d_lon = shifted[0] - middle[0], shifted[1] - middle[1]
            south, north, west, east = south - d_lat, north - d_lat, west - d_lon, east - d_lon
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


def _ordering(filters: CarrierFilters) -> list[Any]:
    column, _low, _high = filters.price_bounds()
    by_sort = {
        "fresh": [F("confirmed_at").desc(nulls_last=True)],
        "newest": [F("published_at").desc(nulls_last=True)],
        "price": [F(column).asc(nulls_last=True)],
        "-price": [F(column).desc(nulls_last=True)],
        "area": [F("area_m2").asc(nulls_last=True)],
        "-area": [F("area_m2").desc(nulls_last=True)],
    }
    return ["stale_rank", *by_sort.get(filters.sort, by_sort["fresh"]), "-id"]


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

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def carrier_search(*, filters: CarrierFilters, with_facets: bool = True, now=None) -> SearchPage:
    """One page of public carriers for these filters, stale ones ranked last, with facets."""
    now = now or timezone.now()
    text_ids = _text_ids(filters.q)
    conditions = _conditions(filters, text_ids)
    base = carrier_public_queryset(now=now)
    matching = base.filter(_combine(conditions))
    facets: dict[str, list[FacetOption]] = {}
    flag_counts: dict[str, int] = {}
    if with_facets:
        facets, flag_counts, total = _facets(filters, base, conditions)
    else:
        total = matching.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    start = (page - 1) * PER_PAGE
    # Ids first, then the rows: the ordering needs only indexed columns (the covering index
    # answers it without touching the table), and only the page's rows are read in full.
    page_ids = list(
        matching.annotate(
            stale_rank=Case(
                When(confirmed_at__lt=stale_cutoff(now), then=Value(1)), default=Value(0)
            )
        )
        .order_by(*_ordering(filters))
        .values_list("id", flat=True)[start : start + PER_PAGE]
    )
    by_id = {
        carrier.pk: carrier
        for carrier in Carrier.objects.filter(pk__in=page_ids)
        .select_related("park", "region")
        .prefetch_related(
            Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
        )
    }
    carriers = [by_id[pk] for pk in page_ids if pk in by_id]
    return SearchPage(
        filters=filters,
        carriers=carriers,
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        flag_counts=flag_counts,
    )


FACET_DIMENSIONS = {
    # facet name → (model column, filter attribute)
    "kind": "kind",
    "deal": "deal",
    "district": "region_id",
    "park": "park_id",
    "deed": "title_deed",
    "fire": "fire_hazard_class",
}
FLAG_CONDITIONS = {
    "crane": Q(crane_t__gt=0),
    "yard": Q(independent_yard=True),
    "eia": Q(eia_ok=True),
}


def _facet_cache_key(filters: CarrierFilters) -> str:
    state = filters.query_string(sort="fresh", view="list")
    digest = hashlib.sha256(state.encode()).hexdigest()[:24]
    return f"listings:facets:{catalogue_generation()}:{digest}"


SMALL_DIMENSIONS: dict[str, tuple[str, list[str]]] = {
    # facet name → (column, every value): counted by conditional aggregates in one scan
    "kind": ("kind", list(Carrier.Kind.values)),
    "deal": ("deal", list(Carrier.Deal.values)),
    "deed": ("title_deed", list(Carrier.TitleDeed.values)),
    "fire": ("fire_hazard_class", list(Carrier.FireHazard.values)),
}


def _facet_counts(
    base: QuerySet[Carrier], conditions: dict[str, Q]
) -> tuple[dict[str, dict[str, int]], dict[str, int], int]:
    """Option counts per dimension, feature counts and the total, in as few scans as possible.

    A dimension without an active filter is counted over the full result set, so all such small
    dimensions share one scan of conditional counts (with the total); a dimension the visitor
    filters on needs its own scan that leaves its filter out. Districts and parks group by.
    """
    everything = base.filter(_combine(conditions))
    aggregates: dict[str, Count] = {"total": Count("id")}
    for name, (column, values) in SMALL_DIMENSIONS.items():
        if name not in conditions:
            for index, value in enumerate(values):
                aggregates[f"{name}_{index}"] = Count("id", filter=Q(**{column: value}))
    flags_active = any(name in conditions for name in FLAG_CONDITIONS)
    if not flags_active:
        for name, condition in FLAG_CONDITIONS.items():
            aggregates[f"flag_{name}"] = Count("id", filter=condition)
    row = everything.aggregate(**aggregates)
    counts: dict[str, dict[str, int]] = {}
    for name, column in FACET_DIMENSIONS.items():
        if name in SMALL_DIMENSIONS and name not in conditions:
            values = SMALL_DIMENSIONS[name][1]
            counts[name] = {
                value: row[f"{name}_{index}"]
                for index, value in enumerate(values)
                if row[f"{name}_{index}"]
            }
            continue
        rows = (
            base.filter(_combine(conditions, leave_out=[name]))
            .values(column)
            .annotate(n=Count("id"))
            .order_by()
        )
        counts[name] = {
            str(item[column]): item["n"] for item in rows if item[column] not in (None, "")
        }
    if flags_active:
        # The three yes/no features in one query: each count applies the other two flags.
        flag_base = base.filter(_combine(conditions, leave_out=FLAG_CONDITIONS.keys()))
        active = {
            name: condition for name, condition in FLAG_CONDITIONS.items() if name in conditions
        }
        flags = flag_base.aggregate(
            **{
                name: Count("id", filter=condition & _combine(active, leave_out=[name]))
                for name, condition in FLAG_CONDITIONS.items()
            }
        )
    else:
        flags = {name: row[f"flag_{name}"] for name in FLAG_CONDITIONS}
    return counts, {name: int(value or 0) for name, value in flags.items()}, int(row["total"])


def _facets(
    filters: CarrierFilters, base: QuerySet[Carrier], conditions: dict[str, Q]
) -> tuple[dict[str, list[FacetOption]], dict[str, int], int]:
    """Counts per option; each dimension applies every filter except its own."""
    key = _facet_cache_key(filters)
    cached = cache.get(key)
    if cached is None:
        cached = _facet_counts(base, conditions)
        cache.set(key, cached, FACET_CACHE_SECONDS)
    counts, flags, total = cached
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
    return facets, flags, total


# --- map -------------------------------------------------------------------------------


def short_label(
    kind: str, area_m2: Decimal | float | None, *, labels: dict[str, str] | None = None
) -> str:
    """The marker's text: "厂房5000" (㎡ implied, the map script adds it) or "土地20亩".

    The unit is left out for floor areas because 5,000 points × 3 bytes of "㎡" would push the
    payload past its 200 KB budget; land keeps 亩 as it is counted in another unit.
    """
    label = (labels or {}).get(kind) or str(Carrier.Kind(kind).label)
    if area_m2:
        if kind == Carrier.Kind.LAND:
            return f"{label}{round(area_m2 * 15 / 10000)}亩"
        return f"{label}{round(area_m2)}"
    return label


def carrier_map_points(*, filters: CarrierFilters, now=None) -> dict[str, Any]:
    """The current result set as compact points: [id, lat, lon, label], at most 5,000."""
    matching = carrier_filtered_queryset(filters=filters, now=now).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    # Floats straight from the database: Decimal conversion of 15,000 values cost more than
    # the query itself (the covering index holds every column read here).
    rows = list(
        matching.order_by("-confirmed_at", "-id")
        .annotate(
            lat=Cast("latitude", FloatField()),
            lon=Cast("longitude", FloatField()),
            area=Cast("area_m2", FloatField()),
        )
        .values_list("id", "lat", "lon", "kind", "area")[: MAP_POINT_LIMIT + 1]
    )
    truncated = len(rows) > MAP_POINT_LIMIT
    shift = settings.MAP_TILES_GCJ02
    labels = {str(value): str(label) for value, label in Carrier.Kind.choices}
    points = []
    for pk, latitude, longitude, kind, area in rows[:MAP_POINT_LIMIT]:
        lat, lon = float(latitude or 0), float(longitude or 0)  # nulls are filtered out above
        if shift:
            lat, lon = wgs84_to_gcj02(lat, lon)
        # 4 decimals ≈ 11 m: enough for a marker, and keeps 5,000 points within 200 KB.
        points.append([pk, round(lat, 4), round(lon, 4), short_label(kind, area, labels=labels)])
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
        cache.set(key, payload, FACET_CACHE_SECONDS)
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
    """Same kind and deal, area within ±50 %, the same park first, then the nearest in area."""
    queryset = (
        carrier_public_queryset()
        .filter(kind=carrier.kind, deal=carrier.deal)
        .exclude(pk=carrier.pk)
    )
    distance: Any = Value(0)
    if carrier.area_m2:
        queryset = queryset.filter(
            area_m2__gte=carrier.area_m2 / 2, area_m2__lte=carrier.area_m2 * Decimal("1.5")
        )
        distance = Abs(F("area_m2") - carrier.area_m2)
    return list(
        queryset.annotate(
            same_park=Case(When(park_id=carrier.park_id, then=Value(0)), default=Value(1)),
            distance=distance,
        )
        .select_related("park", "region")
        .prefetch_related(
            Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
        )
        .order_by("same_park", "distance", "-confirmed_at")[:limit]
    )


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
