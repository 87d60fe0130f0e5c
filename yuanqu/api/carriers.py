"""Carriers (厂房、土地、写字楼、仓库): the public catalogue's search, facets, map points,
detail and similar carriers. The filters are the /carriers/ page's own form: the same names,
the same rules; where the page quietly ignores a bad value, the API refuses it with the field."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from yuanqu.api import pagination
from yuanqu.api.errors import ApiError
from yuanqu.api.schemas import ERRORS, Id, absolute, iso, last_modified
from yuanqu.listings import display, selectors
from yuanqu.listings.cards import ProcessStore
from yuanqu.listings.catalogue_index import catalogue_generation, catalogue_index
from yuanqu.listings.filters import CarrierFilterForm, CarrierFilters
from yuanqu.listings.models import Carrier, CarrierPhoto
from yuanqu.listings.views import RESULTS_CACHE_SECONDS

router = Router(tags=["载体"])


class ParkRef(Schema):
    slug: str
    name: str


class CarrierOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    deal: str
    deal_label: str
    park: ParkRef | None
    region_code: str | None
    address: str
    area_m2: Decimal | None = Field(description="检索面积:土地取占地面积,其余取建筑面积")
    building_area_m2: Decimal | None
    land_area_m2: Decimal | None
    price_label: str = Field(description="报价原文,如 0.6元/㎡·天、价格面议")
    price_negotiable: bool
    price_yuan_m2_month: Decimal | None = Field(description="折算租金")
    price_wan_total: Decimal | None = Field(description="折算总价")
    price_wan_per_mu: Decimal | None = Field(description="折算地价")
    height_m: Decimal | None
    floor_load_t_m2: Decimal | None
    power_available_kva: int | None
    crane_t: Decimal | None
    latitude: Decimal | None
    longitude: Decimal | None
    photo_url: str | None
    confirmed_at: str | None
    is_sample: bool
    url: str


class LabelledValue(Schema):
    label: str
    value: str


class PhotoOut(Schema):
    url: str
    thumbnail_url: str | None
    width: int
    height: int
    caption: str


class CarrierDetailOut(CarrierOut):
    description: str
    floors: int | None
    floor_number: int | None
    span_m: Decimal | None
    column_spacing_m: str
    power_current_kva: int | None
    has_freight_elevator: bool
    has_clean_room: bool
    independent_yard: bool
    eia_ok: bool
    title_deed: str
    fire_hazard_class: str
    fire_resistance_grade: int | None
    price_value: Decimal | None = Field(description="报价数值(单位见 price_unit)")
    price_unit: str
    property_fee_yuan_m2_month: Decimal | None
    payment_terms: str
    min_lease_years: int | None
    price_rows: list[LabelledValue] = Field(description="价格的各种换算,与详情页相同")
    spec_rows: list[LabelledValue]
    photos: list[PhotoOut]
    similar: list[CarrierOut]
    days_since_confirmed: int | None


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class CarrierPage(Schema):
    items: list[CarrierOut]
    total: int
    facets: dict[str, list[FacetOut]]
    flag_counts: dict[str, int]
    next_cursor: str | None


class CarrierQuery(Schema):
    """The /carriers/ page's filters (documented here; checked by the page's own form)."""

    q: str | None = Field(None, description="关键词")
    kind: list[str] = Field([], description="类型,可多选:" + "、".join(Carrier.Kind.values))
    deal: list[str] = Field([], description="方式,可多选:" + "、".join(Carrier.Deal.values))
    district: list[str] = Field([], description="区县代码,可多选")
    park: list[str] = Field([], description="园区 id,可多选")
    area_min: str | None = None
    area_max: str | None = None
    area_unit: str | None = Field(None, description="m2 或 mu")
    price_min: str | None = None
    price_max: str | None = None
    price_unit: str | None = Field(
        None, description="yuan_m2_month、yuan_m2_day、wan_total、wan_per_mu"
    )
    height_min: str | None = Field(None, description="檐高下限(m)")
    load_min: str | None = Field(None, description="承重下限(t/㎡)")
    power_min: str | None = Field(None, description="可配电容量下限(kVA)")
    crane: bool | None = None
    yard: bool | None = None
    eia: bool | None = None
    deed: list[str] = []
    fire: list[str] = []
    sort: str | None = None
    bbox: str | None = Field(None, description="地图范围:西,南,东,北")
    cursor: str | None = Field(None, max_length=500)


def _filters(request: HttpRequest, *, scope: str) -> tuple[CarrierFilters, int]:
    """The page's form on the query string: its refusals become a 400 with the fields."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in ("cursor", "page"):
            query.setlist(name, values)
    # A cursor holds the number of the page last served.
    page = pagination.offset_position(scope, request.GET.get("cursor")) + 1
    query["page"] = str(page)
    districts, parks = selectors.filter_choices()
    form = CarrierFilterForm(query, districts=districts, parks=parks)
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        raise ApiError(400, "invalid", "筛选条件有误,请按 fields 中的说明修改。", fields)
    filters = form.filters()
    if filters.notices:
        raise ApiError(400, "invalid", "筛选条件有误:" + ";".join(filters.notices))
    return filters, page


def _photo(carrier: Carrier) -> str | None:
    photos = list(carrier.photos.all())
    if not photos:
        return None
    first = photos[0]
    return absolute((first.thumbnail or first.image).url)


def _labels() -> dict[str, dict[str, str]]:
    """The kind and deal labels in the active language, once per response (a model's
    get_FOO_display walks its lazy choices on every call)."""
    return {
        "kind": {value: str(label) for value, label in Carrier.Kind.choices},
        "deal": {value: str(label) for value, label in Carrier.Deal.choices},
    }


def _carrier(carrier: Carrier, labels: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    labels = labels or _labels()
    park = carrier.park
    return {
        "id": carrier.pk,
        "title": carrier.title,
        "kind": carrier.kind,
        "kind_label": labels["kind"][carrier.kind],
        "deal": carrier.deal,
        "deal_label": labels["deal"][carrier.deal],
        "park": {"slug": park.slug, "name": park.name} if park else None,
        "region_code": carrier.region_id,
        "address": carrier.address,
        "area_m2": carrier.area_m2,
        "building_area_m2": carrier.building_area_m2,
        "land_area_m2": carrier.land_area_m2,
        "price_label": display.price_label(carrier),
        "price_negotiable": carrier.price_negotiable,
        "price_yuan_m2_month": carrier.price_yuan_m2_month,
        "price_wan_total": carrier.price_wan_total,
        "price_wan_per_mu": carrier.price_wan_per_mu,
        "height_m": carrier.height_m,
        "floor_load_t_m2": carrier.floor_load_t_m2,
        "power_available_kva": carrier.power_available_kva,
        "crane_t": carrier.crane_t,
        "latitude": carrier.latitude,
        "longitude": carrier.longitude,
        "photo_url": _photo(carrier),
        "confirmed_at": iso(carrier.confirmed_at),
        "is_sample": carrier.is_sample,
        "url": absolute(carrier.get_absolute_url()),
    }


@router.get("/carriers", response={200: CarrierPage, **ERRORS}, summary="载体检索(含分面计数)")
def carriers(request: HttpRequest, query: Query[CarrierQuery]) -> HttpResponse:
    """The /carriers/ page's results, in its order (fresh first, stale last), its page size."""
    # The rendered answer is kept per filter state until the catalogue changes, like the
    # page's own cache: the same state asked again costs one cache read.
    state = sorted((k, v) for k, vs in request.GET.lists() for v in vs)  # the cursor too
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    key = f"api:carriers:{catalogue_generation()}:{get_language()}:{digest}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(_search_answer(request), cls=NinjaJSONEncoder, ensure_ascii=False)
        cache.set(key, body, RESULTS_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


# Each carrier's item, kept in the process per catalogue index and language (as the page's
# cards are): a page of a new filter state reads only the rows it has not kept.
_items: ProcessStore[dict[str, Any]] = ProcessStore()


def _page_items(ids: list[int]) -> list[dict[str, Any]]:
    index, language = catalogue_index(), get_language()
    items = _items.get_many(index, language, ids)
    missing = [pk for pk in ids if pk not in items]
    if missing:
        labels = _labels()
        rows = (
            Carrier.objects.filter(pk__in=missing)
            .select_related("park", "region")
            .prefetch_related(
                Prefetch("photos", queryset=CarrierPhoto.objects.order_by("position", "id"))
            )
        )
        fresh = {carrier.pk: _carrier(carrier, labels) for carrier in rows}
        _items.set_many(index, language, fresh)
        items.update(fresh)
    return [items[pk] for pk in ids if pk in items]


def _search_answer(request: HttpRequest) -> dict[str, Any]:
    filters, page = _filters(request, scope=_scope(request))
    found = selectors.carrier_search(filters=filters, load_rows=False)
    ids = found.page_ids if page <= found.pages else []
    next_cursor = pagination.encode(_scope(request), page) if ids and found.has_next else None
    return {
        "items": _page_items(ids),
        "total": found.total,
        "facets": {
            name: [
                {
                    "value": str(o.value),
                    "label": str(o.label),
                    "count": o.count,
                    "selected": o.selected,
                }
                for o in options
            ]
            for name, options in found.facets.items()
        },  # fmt: skip
        "flag_counts": found.flag_counts,
        "next_cursor": next_cursor,
    }


def _scope(request: HttpRequest) -> str:
    """A cursor holds the next page number and belongs to one set of filters."""
    kept = sorted((k, v) for k, vs in request.GET.lists() if k != "cursor" for v in vs)
    return "carriers:" + "&".join(f"{k}={v}" for k, v in kept)


@router.get("/carriers/map", response={200: dict, **ERRORS}, summary="地图点位")
def carrier_map(request: HttpRequest, query: Query[CarrierQuery]) -> HttpResponse:
    """The same filters as the search, as compact map points (the page's own map data)."""
    filters, _page = _filters(request, scope=_scope(request))
    return HttpResponse(
        selectors.carrier_map_json(filters=filters), content_type="application/json"
    )


@router.get(
    "/carriers/{carrier_id}", response={200: CarrierDetailOut, **ERRORS}, summary="载体详情"
)
def carrier(request: HttpRequest, carrier_id: Id, response: HttpResponse) -> dict[str, Any]:
    found = selectors.carrier_get_public(carrier_id=carrier_id)
    if found is None:
        raise Http404
    last_modified(response, found.updated_at)
    photos = list(found.photos.all())
    return {
        **_carrier(found),
        "description": found.description,
        "floors": found.floors,
        "floor_number": found.floor_number,
        "span_m": found.span_m,
        "column_spacing_m": found.column_spacing_m,
        "power_current_kva": found.power_current_kva,
        "has_freight_elevator": found.has_freight_elevator,
        "has_clean_room": found.has_clean_room,
        "independent_yard": found.independent_yard,
        "eia_ok": found.eia_ok,
        "title_deed": found.title_deed,
        "fire_hazard_class": found.fire_hazard_class,
        "fire_resistance_grade": found.fire_resistance_grade,
        "price_value": found.price_value,
        "price_unit": found.price_unit,
        "property_fee_yuan_m2_month": found.property_fee_yuan_m2_month,
        "payment_terms": found.payment_terms,
        "min_lease_years": found.min_lease_years,
        "price_rows": [{"label": r.label, "value": r.value} for r in display.price_rows(found)],
        "spec_rows": [{"label": r.label, "value": r.value} for r in display.spec_rows(found)],
        "photos": [
            {
                "url": absolute(p.image.url),
                "thumbnail_url": absolute(p.thumbnail.url) if p.thumbnail else None,
                "width": p.width,
                "height": p.height,
                "caption": p.caption,
            }
            for p in photos
        ],  # fmt: skip
        "similar": [_carrier(c) for c in selectors.carrier_similar(carrier=found)],
        "days_since_confirmed": found.days_since_confirmed(),
    }
