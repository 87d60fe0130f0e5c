"""Reads for the public park pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from yuanqu.core.models import Industry
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park


def park_list_public(*, region_code: str = "", level: str = "") -> QuerySet[Park]:
    """Active parks with their public carrier counts (one query, plus one for industries)."""
    from yuanqu.listings.selectors import carrier_public_queryset

    public_ids = carrier_public_queryset().values("pk")
    queryset = (
        Park.objects.filter(is_active=True)
        .select_related("region", "parent")
        .annotate(carrier_count=Count("carriers", filter=Q(carriers__in=public_ids)))
        .prefetch_related(
            Prefetch("leading_industries", queryset=Industry.objects.order_by("code"))
        )
        .order_by("region_id", "-level", "name")
    )
    if region_code:
        queryset = queryset.filter(region_id=region_code)
    if level:
        queryset = queryset.filter(level=level)
    return queryset


def park_get_public(*, slug: str) -> Park | None:
    return (
        Park.objects.filter(is_active=True, slug=slug)
        .select_related("region", "parent")
        .prefetch_related(
            Prefetch("leading_industries", queryset=Industry.objects.order_by("code")),
            Prefetch("sub_parks", queryset=Park.objects.filter(is_active=True).order_by("name")),
        )
        .first()
    )


def park_available_carriers(*, park: Park, limit: int = 6) -> tuple[list[Carrier], int]:
    """The park's public carriers (freshest first) and how many there are in all."""
    from yuanqu.listings.selectors import carrier_public_queryset

    queryset = carrier_public_queryset().filter(park=park)
    carriers = list(
        queryset.select_related("park", "region")
        .prefetch_related("photos")
        .order_by("-confirmed_at", "-id")[:limit]
    )
    return carriers, queryset.count()


def park_latest_articles(*, park: Park, limit: int = 5) -> list[Any]:
    """Published news linked to the park; empty until the news app provides the relation."""
    related = getattr(park, "articles", None)
    if related is None:
        return []
    queryset = related.all()
    if hasattr(queryset, "published"):
        queryset = queryset.published()
    return list(queryset.order_by("-published_at")[:limit])


def park_choices_for_filter() -> list[tuple[str, str]]:
    return list(
        Park.objects.filter(is_active=True)
        .values_list("region_id", "region__name")
        .distinct()
        .order_by("region_id")
    )
