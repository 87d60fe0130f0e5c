"""How a carrier's numbers are shown: prices in every common unit, areas, spec rows.

Rents convert on a 30-day month (the trade's convention, stated on the page); 面议 is never
shown or computed as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yuanqu.core import units
from yuanqu.listings.models import Carrier

NEGOTIABLE = "价格面议"


def number(value: Decimal | int | float | None, places: int = 2) -> str:
    return "—" if value is None else units.format_number(value, places)


def price_label(carrier: Carrier) -> str:
    """The price as quoted (e.g. "0.6元/㎡·天"), or 价格面议."""
    if carrier.price_negotiable or carrier.price_value is None or not carrier.price_unit:
        return NEGOTIABLE
    return f"{number(carrier.price_value)}{Carrier.PriceUnit(carrier.price_unit).label}"


def area_label(carrier: Carrier) -> str:
    area = carrier.area_m2 or carrier.building_area_m2 or carrier.land_area_m2
    if area is None:
        return "—"
    if carrier.kind == Carrier.Kind.LAND:
        return f"{number(units.m2_to_mu(area))}亩({number(area, 0)}㎡)"
    return f"{number(area, 0)}㎡"


def monthly_rent_total(carrier: Carrier) -> Decimal | None:
    if carrier.price_yuan_m2_month is None or not carrier.area_m2:
        return None
    return units.monthly_total_yuan(carrier.price_yuan_m2_month, carrier.area_m2)


def monthly_cost_total(carrier: Carrier) -> Decimal | None:
    """Monthly rent plus 物业费 for the whole area (元/月); None when either is unknown."""
    rent = monthly_rent_total(carrier)
    fee = carrier.property_fee_yuan_m2_month
    # An unknown 物业费 is not zero: a total without it would understate the cost.
    if rent is None or fee is None or not carrier.area_m2:
        return None
    return rent + fee * carrier.area_m2


@dataclass
class Row:
    label: str
    value: str


def price_rows(carrier: Carrier) -> list[Row]:
    """Price in all common units for the detail page."""
    if carrier.price_negotiable or (
        carrier.price_yuan_m2_month is None
        and carrier.price_wan_total is None
        and carrier.price_wan_per_mu is None
    ):
        return [Row("价格", NEGOTIABLE)]
    rows: list[Row] = [Row("报价", price_label(carrier))]
    month = carrier.price_yuan_m2_month
    if month is not None:
        rows.append(Row("元/㎡·天", number(units.yuan_m2_month_to_day(month), 3)))
        rows.append(Row("元/㎡·月", number(month)))
        total = monthly_rent_total(carrier)
        if total is not None:
            rows.append(Row("月租金(元/月)", number(total, 0)))
        if carrier.property_fee_yuan_m2_month is not None:
            rows.append(Row("物业费(元/㎡·月)", number(carrier.property_fee_yuan_m2_month)))
            cost = monthly_cost_total(carrier)
            if cost is not None:
                rows.append(Row("月总成本含物业费(元/月)", number(cost, 0)))
    if carrier.price_wan_total is not None:
        rows.append(Row("总价", units.format_money_cn(carrier.price_wan_total)))
        if carrier.area_m2:
            per_m2 = units.wan_to_yuan(carrier.price_wan_total) / carrier.area_m2
            rows.append(Row("单价(元/㎡)", number(per_m2, 0)))
    if carrier.price_wan_per_mu is not None:
        rows.append(Row("万元/亩", number(carrier.price_wan_per_mu)))
    return rows


def _yes_no(value: bool) -> str:
    return "有" if value else "无"


def spec_rows(carrier: Carrier) -> list[Row]:
    """The spec table, with units; unknown values are left out rather than shown as zero."""
    rows: list[Row] = [
        Row("类型", str(carrier.get_kind_display())),
        Row("交易方式", str(carrier.get_deal_display())),
        Row("状态", str(carrier.get_status_display())),
    ]
    if carrier.building_area_m2 is not None:
        rows.append(Row("建筑面积", f"{number(carrier.building_area_m2)}㎡"))
    if carrier.land_area_m2 is not None:
        mu = number(units.m2_to_mu(carrier.land_area_m2))
        rows.append(Row("占地面积", f"{number(carrier.land_area_m2)}㎡({mu}亩)"))
    optional: list[tuple[str, object, str]] = [
        ("层数", carrier.floors, "层"),
        ("所在楼层", carrier.floor_number, "层"),
        ("层高", carrier.height_m, " m"),
        ("承重", carrier.floor_load_t_m2, " t/㎡"),
        ("柱距", carrier.column_spacing_m or None, " m"),
        ("跨度", carrier.span_m, " m"),
        ("现配电容量", carrier.power_current_kva, " kVA"),
        ("可配电容量", carrier.power_available_kva, " kVA"),
    ]
    for label, value, unit in optional:
        if value is not None:
            shown = number(value) if isinstance(value, Decimal) else str(value)
            rows.append(Row(label, f"{shown}{unit}"))
    rows.append(Row("行车", f"{number(carrier.crane_t)} t" if carrier.crane_t else "无"))
    rows.append(Row("货梯", _yes_no(carrier.has_freight_elevator)))
    rows.append(Row("洁净车间", _yes_no(carrier.has_clean_room)))
    rows.append(Row("独门独院", "是" if carrier.independent_yard else "否"))
    rows.append(Row("可环评", "是" if carrier.eia_ok else "否"))
    if carrier.title_deed:
        rows.append(Row("产证", str(carrier.get_title_deed_display())))
    if carrier.fire_hazard_class:
        rows.append(Row("火灾危险性类别", str(carrier.get_fire_hazard_class_display())))
    if carrier.fire_resistance_grade:
        rows.append(Row("耐火等级", str(carrier.get_fire_resistance_grade_display())))
    if carrier.payment_terms:
        rows.append(Row("押付方式", carrier.payment_terms))
    if carrier.min_lease_years:
        rows.append(Row("起租年限", f"{carrier.min_lease_years} 年"))
    return rows


def need_form_url(carrier: Carrier) -> str:
    """The need form pre-filled from this carrier (the leads app reads these parameters)."""
    from urllib.parse import urlencode

    deal = {"rent": "rent", "sale": "buy", "rent_to_buy": "rent_to_buy"}[carrier.deal]
    params: list[tuple[str, str]] = [
        ("carrier", str(carrier.pk)),
        ("park", str(carrier.park_id)),
        ("kind", carrier.kind),
        ("deal", deal),
    ]
    if carrier.area_m2:
        params.append(("area_min", str(int(carrier.area_m2 * Decimal("0.8")))))
        params.append(("area_max", str(int(carrier.area_m2 * Decimal("1.2")))))
    params.append(("source", carrier.get_absolute_url()))
    return f"/needs/new/?{urlencode(params)}"


COMPARE_ROWS: list[tuple[str, str]] = [
    ("类型", "kind"), ("交易方式", "deal"), ("园区", "park"), ("区县", "region"),
    ("面积", "area"), ("报价", "price"), ("租金(元/㎡·天)", "day"), ("租金(元/㎡·月)", "month"),
    ("月租金(元/月)", "rent_total"), ("物业费(元/㎡·月)", "fee"),
    ("月总成本含物业费(元/月)", "cost_total"), ("总价", "wan_total"), ("地价(万元/亩)", "wan_mu"),
    ("层高(m)", "height"), ("承重(t/㎡)", "load"), ("可配电容量(kVA)", "power"), ("行车(t)", "crane"),
    ("独门独院", "yard"), ("可环评", "eia"), ("产证", "deed"), ("火灾危险性类别", "fire"),
    ("最近确认", "confirmed"),
]  # fmt: skip


def compare_values(carrier: Carrier) -> dict[str, str]:
    month = carrier.price_yuan_m2_month
    days = carrier.days_since_confirmed()
    return {
        "kind": str(carrier.get_kind_display()),
        "deal": str(carrier.get_deal_display()),
        "park": carrier.park.display_name,
        "region": carrier.region.name,
        "area": area_label(carrier),
        "price": price_label(carrier),
        "day": number(units.yuan_m2_month_to_day(month), 3) if month is not None else "—",
        "month": number(month),
        "rent_total": number(monthly_rent_total(carrier), 0),
        "fee": number(carrier.property_fee_yuan_m2_month),
        "cost_total": number(monthly_cost_total(carrier), 0),
        "wan_total": units.format_money_cn(carrier.price_wan_total)
        if carrier.price_wan_total is not None
        else "—",
        "wan_mu": number(carrier.price_wan_per_mu),
        "height": number(carrier.height_m),
        "load": number(carrier.floor_load_t_m2),
        "power": number(carrier.power_available_kva, 0),
        "crane": number(carrier.crane_t) if carrier.crane_t else "无",
        "yard": "是" if carrier.independent_yard else "否",
        "eia": "是" if carrier.eia_ok else "否",
        "deed": str(carrier.get_title_deed_display()) if carrier.title_deed else "—",
        "fire": str(carrier.get_fire_hazard_class_display()) if carrier.fire_hazard_class else "—",
        "confirmed": f"{days} 天前" if days is not None else "—",
    }
