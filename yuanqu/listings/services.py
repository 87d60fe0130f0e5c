"""Writes to carriers: create, update, publish, confirm, withdraw (one transaction each).

Every carrier write goes through `carrier_create`/`carrier_update`, which validate the values
(messages name the field, in Chinese) and keep the normalised columns (`area_m2`,
`price_yuan_m2_month`, `price_wan_total`, `price_wan_per_mu`) that search and matching use.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yuanqu.core import units
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park

logger = logging.getLogger(__name__)

# China's bounding box (WGS-84), generous enough for Hainan's islands and the far west.
CHINA_LATITUDE = (Decimal("3.8"), Decimal("53.6"))
CHINA_LONGITUDE = (Decimal("73.4"), Decimal("135.1"))
MAX_HEIGHT_M = Decimal(50)
RENT_UNITS = {
    Carrier.PriceUnit.YUAN_M2_DAY,
    Carrier.PriceUnit.YUAN_M2_MONTH,
    Carrier.PriceUnit.YUAN_MONTH,
}
SALE_UNITS = {Carrier.PriceUnit.WAN_TOTAL, Carrier.PriceUnit.WAN_PER_MU}

# Fields a staff form or an import row may set; everything else is kept by the services.
EDITABLE_FIELDS = (
    "title", "kind", "deal", "status", "address", "latitude", "longitude", "building_area_m2",
    "land_area_m2", "floors", "floor_number", "height_m", "floor_load_t_m2", "column_spacing_m",
    "span_m", "power_current_kva", "power_available_kva", "crane_t", "has_freight_elevator",
    "has_clean_room", "independent_yard", "eia_ok", "title_deed", "fire_hazard_class",
    "fire_resistance_grade", "price_negotiable", "price_value", "price_unit",
    "property_fee_yuan_m2_month", "payment_terms", "min_lease_years", "description",
)  # fmt: skip


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return units.to_decimal(value)


def carrier_validate(*, values: Mapping[str, Any]) -> None:
    """Refuse values no carrier can have; each message names the field (raises ValidationError)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = values.get("kind")
    deal = values.get("deal")
    if kind not in Carrier.Kind.values:
        refuse("kind", "载体类型:请选择厂房、土地、写字楼或仓库。")
    if deal not in Carrier.Deal.values:
        refuse("deal", "交易方式:请选择出租、出售或先租后买。")
    if not (values.get("title") or "").strip():
        refuse("title", "标题:不能为空。")

    building = _decimal(values.get("building_area_m2"))
    land = _decimal(values.get("land_area_m2"))
    if building is not None and building <= 0:
        refuse("building_area_m2", "建筑面积:必须大于 0 ㎡。")
    if land is not None and land <= 0:
        refuse("land_area_m2", "占地面积:必须大于 0 ㎡。")
    if kind == Carrier.Kind.LAND and land is None:
        refuse("land_area_m2", "占地面积:土地必须填写占地面积。")
    if kind and kind != Carrier.Kind.LAND and building is None:
        refuse("building_area_m2", "建筑面积:必须填写。")

    height = _decimal(values.get("height_m"))
    if height is not None and not (0 < height <= MAX_HEIGHT_M):
        refuse("height_m", f"层高:应在 0 到 {MAX_HEIGHT_M} m 之间。")
    load = _decimal(values.get("floor_load_t_m2"))
    if load is not None and not (0 < load <= 100):
        refuse("floor_load_t_m2", "承重:应在 0 到 100 t/㎡ 之间。")
    crane = _decimal(values.get("crane_t"))
    if crane is not None and not (0 <= crane <= 1000):
        refuse("crane_t", "行车:应在 0 到 1000 t 之间。")
    fee = _decimal(values.get("property_fee_yuan_m2_month"))
    if fee is not None and fee < 0:
        refuse("property_fee_yuan_m2_month", "物业费:不能为负数。")

    latitude = _decimal(values.get("latitude"))
    longitude = _decimal(values.get("longitude"))
    if (latitude is None) != (longitude is None):
        refuse("latitude", "坐标:纬度和经度要同时填写。")
    if latitude is not None and not (CHINA_LATITUDE[0] <= latitude <= CHINA_LATITUDE[1]):
        refuse("latitude", "纬度:坐标不在中国境内(WGS-84)。")
    if longitude is not None and not (CHINA_LONGITUDE[0] <= longitude <= CHINA_LONGITUDE[1]):
        refuse("longitude", "经度:坐标不在中国境内(WGS-84)。")

    negotiable = bool(values.get("price_negotiable"))
    price = _decimal(values.get("price_value"))
    unit = values.get("price_unit") or ""
    if not negotiable:
        if price is None:
            refuse("price_value", "价格:请填写价格,或勾选价格面议。")
        elif price <= 0:
            refuse("price_value", "价格:必须大于 0;价格不公开时请勾选价格面议。")
        if not unit:
            refuse(
                "price_unit",
                "价格单位:有价格时必须选择单位(元/㎡·天、元/㎡·月、元/月、万元、万元/亩)。",
            )
        elif unit not in Carrier.PriceUnit.values:
            refuse("price_unit", "价格单位:无法识别。")
        elif deal == Carrier.Deal.RENT and unit not in RENT_UNITS:
            refuse("price_unit", "价格单位:出租请用元/㎡·天、元/㎡·月或元/月。")
        elif deal == Carrier.Deal.SALE and unit not in SALE_UNITS:
            refuse("price_unit", "价格单位:出售请用万元或万元/亩。")
        elif unit == Carrier.PriceUnit.WAN_PER_MU and land is None:
            refuse("price_unit", "价格单位:按万元/亩报价需要填写占地面积。")
    if errors:
        raise ValidationError(errors)


def normalised_prices(*, values: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The comparable prices of a carrier: 元/㎡·月 for rents, 万元 and 万元/亩 for sales."""
    result: dict[str, Decimal | None] = {
        "price_yuan_m2_month": None,
        "price_wan_total": None,
        "price_wan_per_mu": None,
    }
    if values.get("price_negotiable"):
        return result
    price = _decimal(values.get("price_value"))
    unit = values.get("price_unit")
    area = carrier_search_area(values=values)
    land = _decimal(values.get("land_area_m2"))
    if price is None:
        return result
    if unit in RENT_UNITS:
        if unit == Carrier.PriceUnit.YUAN_MONTH and not area:
            return result
        result["price_yuan_m2_month"] = units.quantize(
            units.rent_to_yuan_m2_month(price, unit, area)
        )
    elif unit == Carrier.PriceUnit.WAN_TOTAL:
        result["price_wan_total"] = units.quantize(price)
        if land:
            result["price_wan_per_mu"] = units.quantize(units.wan_total_to_wan_per_mu(price, land))
    elif unit == Carrier.PriceUnit.WAN_PER_MU:
        result["price_wan_per_mu"] = units.quantize(price)
        if land:
            result["price_wan_total"] = units.quantize(units.wan_per_mu_to_wan_total(price, land))
    return result


def carrier_search_area(*, values: Mapping[str, Any]) -> Decimal | None:
    """The area a search compares: the plot for land, the floor area for buildings."""
    building = _decimal(values.get("building_area_m2"))
    land = _decimal(values.get("land_area_m2"))
    if values.get("kind") == Carrier.Kind.LAND:
        return land or building
    return building or land


def _apply(carrier: Carrier, values: Mapping[str, Any]) -> None:
    for field in EDITABLE_FIELDS:
        if field in values:
            value = values[field]
            if value is None and field in {
                "title_deed", "fire_hazard_class", "price_unit", "address", "column_spacing_m",
                "payment_terms", "description",
            }:  # fmt: skip
                value = ""
            setattr(carrier, field, value)
    if carrier.price_negotiable:
        carrier.price_value = None
        carrier.price_unit = ""
    current = {field: getattr(carrier, field) for field in EDITABLE_FIELDS}
    carrier.area_m2 = carrier_search_area(values=current)
    for field, value in normalised_prices(values=current).items():
        setattr(carrier, field, value)


def carrier_normalise(*, carrier: Carrier) -> Carrier:
    """Recompute the derived columns from the carrier's own fields (the admin saves this way)."""
    _apply(carrier, {})
    if carrier.region_id is None and carrier.park_id is not None:
        carrier.region_id = carrier.park.region_id
    return carrier


def _current_values(carrier: Carrier, changes: Mapping[str, Any]) -> dict[str, Any]:
    values = {field: getattr(carrier, field) for field in EDITABLE_FIELDS}
    values.update({key: value for key, value in changes.items() if key in EDITABLE_FIELDS})
    return values


@transaction.atomic
def carrier_create(
    *,
    park: Park,
    values: Mapping[str, Any],
    owner=None,
    publish: bool = False,
    is_sample: bool = False,
) -> Carrier:
    """Validate and store a new carrier of `park` (a draft unless `publish`)."""
    carrier_validate(values=values)
    carrier = Carrier(park=park, region_id=park.region_id, owner=owner, is_sample=is_sample)
    _apply(carrier, values)
    if not carrier.latitude and park.latitude is not None:
        carrier.latitude, carrier.longitude = park.latitude, park.longitude
    carrier.save()
    _queue_index(carrier.pk)
    if publish:
        carrier_publish(carrier=carrier)
    return carrier


@transaction.atomic
def carrier_update(*, carrier: Carrier, values: Mapping[str, Any]) -> Carrier:
    carrier_validate(values=_current_values(carrier, values))
    _apply(carrier, values)
    carrier.save()
    _queue_index(carrier.pk)
    return carrier


@transaction.atomic
def carrier_publish(*, carrier: Carrier) -> Carrier:
    """Make a carrier public (and confirmed now); matching saved searches and leads hear of it."""
    now = timezone.now()
    first_time = carrier.published_at is None
    carrier.published_at = carrier.published_at or now
    carrier.confirmed_at = now
    if carrier.status == Carrier.Status.WITHDRAWN:
        carrier.status = Carrier.Status.AVAILABLE
    carrier.save(update_fields=["published_at", "confirmed_at", "status", "updated_at"])
    _queue_index(carrier.pk)
    if first_time:
        from yuanqu.listings.tasks import carrier_published

        carrier_id = carrier.pk
        transaction.on_commit(lambda: carrier_published.enqueue(carrier_id))
    return carrier


@transaction.atomic
def carrier_confirm(*, carrier: Carrier) -> Carrier:
    """One-click "still available": resets freshness; a hidden carrier comes back."""
    carrier.confirmed_at = timezone.now()
    carrier.save(update_fields=["confirmed_at", "updated_at"])
    _queue_index(carrier.pk)
    return carrier


@transaction.atomic
def carrier_withdraw(*, carrier: Carrier, status: str = Carrier.Status.WITHDRAWN) -> Carrier:
    """Take a carrier off the public catalogue (下架, or 已租售 when it was let or sold)."""
    if status not in {Carrier.Status.WITHDRAWN, Carrier.Status.TAKEN}:
        raise ValidationError({"status": "状态:只能改为下架或已租售。"})
    carrier.status = status
    carrier.save(update_fields=["status", "updated_at"])
    _queue_index(carrier.pk)
    return carrier


def carrier_search_text(carrier: Carrier) -> tuple[str, str]:
    """Title and body for the full-text index."""
    body = " ".join(
        part
        for part in (
            carrier.get_kind_display(),
            carrier.get_deal_display(),
            carrier.park.name,
            carrier.park.short_name,
            carrier.region.name,
            carrier.address,
            carrier.description,
            "独门独院" if carrier.independent_yard else "",
            "可环评" if carrier.eia_ok else "",
            "行车" if carrier.crane_t else "",
        )
        if part
    )
    return carrier.title, body


def carrier_index(*, carrier_id: int) -> None:
    """Refresh the search index entry of one carrier (a chore: failures only log)."""
    from yuanqu.core import search

    carrier = Carrier.objects.select_related("park", "region").filter(pk=carrier_id).first()
    if carrier is None or carrier.status not in {
        Carrier.Status.AVAILABLE,
        Carrier.Status.RESERVED,
    }:
        search.remove_document(kind="carrier", object_id=carrier_id)
        return
    title, body = carrier_search_text(carrier)
    search.index_document(
        kind="carrier",
        object_id=carrier.pk,
        title=title,
        body=body,
        published_at=carrier.published_at,
    )


def carrier_reindex_on_commit(*, carrier_id: int) -> None:
    """Refresh caches and the search index once the current transaction commits."""
    _queue_index(carrier_id)


def _queue_index(carrier_id: int) -> None:
    def run() -> None:
        from yuanqu.listings.catalogue_index import catalogue_changed

        catalogue_changed()
        try:
            carrier_index(carrier_id=carrier_id)
        except Exception:  # the index is a chore; a failure must not undo the write
            logger.exception("carrier %s: search index refresh failed", carrier_id)

    transaction.on_commit(run)
