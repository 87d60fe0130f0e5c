"""Development zones: the public park pages' selectors, as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from yuanqu.api import pagination
from yuanqu.api.schemas import ERRORS, absolute, last_modified
from yuanqu.parks import selectors
from yuanqu.parks.models import Park

router = Router(tags=["园区"])


class IndustryRef(Schema):
    code: str
    name: str


class ParkOut(Schema):
    slug: str
    name: str
    short_name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    statistical_code: str
    leading_industries: list[IndustryRef]
    area_km2: Decimal | None
    latitude: Decimal | None
    longitude: Decimal | None
    point_is_region_centre: bool = Field(
        description="为 true 时坐标是所在区县的中心点,并非园区的实际位置"
    )
    carrier_count: int | None = Field(None, description="公开在架的载体数(列表中给出)")
    url: str


class ParkDetailOut(ParkOut):
    parent_slug: str | None
    sub_parks: list[str] = Field(description="下属园区的 slug")
    industry_note: str
    established: str
    description: str
    policies_html: str
    investment_intensity_min_wan_per_mu: Decimal | None = Field(description="投资强度门槛")
    tax_per_mu_min_wan: Decimal | None = Field(description="亩均税收门槛")
    contact_phone: str
    contact_address: str
    sources: list[str]


class ParkFilters(Schema):
    region: str | None = Field(None, max_length=12, description="GB/T 2260 区划代码")
    level: Park.Level | None = None
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


def _park(park: Park) -> dict[str, Any]:
    return {
        "slug": park.slug,
        "name": park.name,
        "short_name": park.short_name,
        "level": park.level,
        "level_label": park.get_level_display(),
        "kind": park.kind,
        "kind_label": park.get_kind_display(),
        "region_code": park.region_id,
        "region_name": park.region.name,
        "statistical_code": park.statistical_code,
        "leading_industries": [
            {"code": i.code, "name": i.name} for i in park.leading_industries.all()
        ],
        "area_km2": park.area_km2,
        "latitude": park.latitude,
        "longitude": park.longitude,
        "point_is_region_centre": park.point_is_region_centre,
        "carrier_count": getattr(park, "carrier_count", None),
        "url": absolute(park.get_absolute_url()),
    }


@router.get("/parks", response={200: pagination.Page[ParkOut], **ERRORS}, summary="园区列表")
def parks(request: HttpRequest, filters: Query[ParkFilters]) -> dict[str, Any]:
    """In the park pages' order (by region, national before provincial, by name)."""
    rows = list(
        selectors.park_list_public(region_code=filters.region or "", level=filters.level or "")
    )
    page, next_cursor = pagination.sliced(
        rows, scope="parks", cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [_park(park) for park in page], "next_cursor": next_cursor}


@router.get("/parks/{slug}", response={200: ParkDetailOut, **ERRORS}, summary="园区详情")
def park(
    request: HttpRequest,
    response: HttpResponse,
    slug: str = Path(..., max_length=100, examples=["xuzhou-etdz"]),
) -> dict[str, Any]:
    found = selectors.park_get_public(slug=slug)
    if found is None:
        raise Http404
    last_modified(response, found.updated_at)
    return {
        **_park(found),
        "parent_slug": found.parent.slug if found.parent else None,
        "sub_parks": [sub.slug for sub in found.sub_parks.all()],
        "industry_note": found.industry_note,
        "established": found.established,
        "description": found.description,
        "policies_html": found.policies_html,
        "investment_intensity_min_wan_per_mu": found.investment_intensity_wan_per_mu,
        "tax_per_mu_min_wan": found.tax_per_mu_wan,
        "contact_phone": found.contact_phone,
        "contact_address": found.contact_address,
        "sources": [line.strip() for line in found.sources.splitlines() if line.strip()],
    }
