"""The search as SQL (what the site ran before the catalogue index): the tests' oracle.

Facet counts, the total, the ordering of a page and the map rows computed by the database,
so `test_catalogue_index` can check that the in-memory index gives identical answers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from yuanqu.listings.filters import CarrierFilters
from yuanqu.listings.geo import wgs84_to_gcj02
from yuanqu.listings.models import Carrier, stale_cutoff
from yuanqu.listings.selectors import (
    _combine,
    _conditions,
    _text_ids,
    carrier_public_queryset,
)

FACET_COLUMNS = {
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


def _base_and_conditions(filters: CarrierFilters, now) -> tuple[QuerySet[Carrier], dict[str, Q]]:
    return carrier_public_queryset(now=now), _conditions(filters, _text_ids(filters.q))


def sql_facets(
    filters: CarrierFilters, *, now
) -> tuple[dict[str, dict[str, int]], dict[str, int], int]:
    """Counts per option (every filter but the dimension's own), per feature, and the total."""
    base, conditions = _base_and_conditions(filters, now)
    counts: dict[str, dict[str, int]] = {}
    for name, column in FACET_COLUMNS.items():
        rows = (
            base.filter(_combine(conditions, leave_out=[name]))
            .values(column)
            .annotate(n=Count("id"))
            .order_by()
        )
        counts[name] = {
            str(item[column]): item["n"] for item in rows if item[column] not in (None, "")
        }
    flags = {
        name: base.filter(_combine(conditions, leave_out=[name]) & condition).count()
        for name, condition in FLAG_CONDITIONS.items()
    }
    return counts, flags, base.filter(_combine(conditions)).count()


def sql_page_ids(filters: CarrierFilters, *, now, start: int, stop: int) -> list[int]:
    """Stale last, then the chosen sort with nulls last, then the newest id first."""
    base, conditions = _base_and_conditions(filters, now)
    column, _low, _high = filters.price_bounds()
    by_sort = {
        "fresh": [F("confirmed_at").desc(nulls_last=True)],
        "newest": [F("published_at").desc(nulls_last=True)],
        "price": [F(column).asc(nulls_last=True)],
        "-price": [F(column).desc(nulls_last=True)],
        "area": [F("area_m2").asc(nulls_last=True)],
        "-area": [F("area_m2").desc(nulls_last=True)],
    }
    ordering: list[Any] = ["stale_rank", *by_sort.get(filters.sort, by_sort["fresh"]), "-id"]
    return list(
        base.filter(_combine(conditions))
        .annotate(
            stale_rank=Case(
                When(confirmed_at__lt=stale_cutoff(now), then=Value(1)), default=Value(0)
            )
        )
        .order_by(*ordering)
        .values_list("id", flat=True)[start:stop]
    )


def sql_map_rows(filters: CarrierFilters, *, now, limit: int) -> list[tuple]:
    """(id, lat, lon, kind, area) of located matches, newest confirmation first."""
    base, conditions = _base_and_conditions(filters, now)
    return list(
        base.filter(_combine(conditions))
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-confirmed_at", "-id")
        .annotate(
            lat=Cast("latitude", FloatField()),
            lon=Cast("longitude", FloatField()),
            area=Cast("area_m2", FloatField()),
        )
        .values_list("id", "lat", "lon", "kind", "area")[:limit]
    )


def sql_map_payload(filters: CarrierFilters, *, now, limit: int) -> dict[str, Any]:
    """The map payload as built from SQL rows, one label at a time."""
    labels = {str(value): str(label) for value, label in Carrier.Kind.choices}

    def label(kind: str, area: float | None) -> str:
        if area:
            if kind == Carrier.Kind.LAND:
                return f"{labels[kind]}{round(area * 15 / 10000)}亩"
            return f"{labels[kind]}{round(area)}"
        return labels[kind]

    def point(lat: float, lon: float) -> tuple[float, float]:
        return wgs84_to_gcj02(lat, lon) if settings.MAP_TILES_GCJ02 else (lat, lon)

    rows = sql_map_rows(filters, now=now, limit=limit + 1)
    return {
        "points": [
            [pk, *(round(value, 4) for value in point(lat, lon)), label(kind, area)]
            for pk, lat, lon, kind, area in rows[:limit]
        ],
        "truncated": len(rows) > limit,
        "limit": limit,
    }
