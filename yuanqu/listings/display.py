"""How a carrier's numbers are shown: prices in every common unit, areas, spec rows.

Rents convert on a 30-day month (the trade's convention, stated on the page); 面议 is never
shown or computed as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from yuanqu.core import units
from yuanqu.listings.models import Carrier

NEGOTIABLE = gettext_lazy("价格面议")


def number(value: Decimal | int | float | None, places: int = 2) -> str:
    return "—" if value is None else units.format_number(value, places)


def price_label(carrier: Carrier) -> str:
    """The price as quoted (e.g. "0.6元/㎡·天"), or 价格面议."""
    if carrier.price_negotiable or carrier.price_value is None or not carrier.price_unit:
        return str(NEGOTIABLE)
    unit = Carrier.PriceUnit(carrier.price_unit).label
    return f"{number(carrier.price_value)}{' ' if units.in_english() else ''}{unit}"


def area_label(carrier: Carrier) -> str:
    area = carrier.area_m2 or carrier.building_area_m2 or carrier.land_area_m2
    if area is None:
        return "—"
    if carrier.kind == Carrier.Kind.LAND:
        return f"{units.format_mu(units.m2_to_mu(area))}({number(area, 0)}㎡)"
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
        return [Row(_("价格"), str(NEGOTIABLE))]
    rows: list[Row] = [Row(_("报价"), price_label(carrier))]
    month = carrier.price_yuan_m2_month
    if month is not None:
        rows.append(Row(_("元/㎡·天"), number(units.yuan_m2_month_to_day(month), 3)))
        rows.append(Row(_("元/㎡·月"), number(month)))
        total = monthly_rent_total(carrier)
        if total is not None:
            rows.append(Row(_("月租金(元/月)"), number(total, 0)))
        if carrier.property_fee_yuan_m2_month is not None:
            rows.append(Row(_("物业费(元/㎡·月)"), number(carrier.property_fee_yuan_m2_month)))
            cost = monthly_cost_total(carrier)
            if cost is not None:
                rows.append(Row(_("月总成本含物业费(元/月)"), number(cost, 0)))
    if carrier.price_wan_total is not None:
        rows.append(Row(_("总价"), units.format_money_cn(carrier.price_wan_total)))
        if carrier.area_m2:
            per_m2 = units.wan_to_yuan(carrier.price_wan_total) / carrier.area_m2
            rows.append(Row(_("单价(元/㎡)"), number(per_m2, 0)))
    if carrier.price_wan_per_mu is not None:
        rows.append(Row(_("万元/亩"), number(carrier.price_wan_per_mu)))
    return rows


def _has(value: bool) -> str:
    return (
        pgettext("whether the property has it", "有")
        if value
        else pgettext("whether the property has it", "无")
    )


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def spec_rows(carrier: Carrier) -> list[Row]:
    """The spec table, with units; unknown values are left out rather than shown as zero."""
    rows: list[Row] = [
        Row(_("类型"), str(carrier.get_kind_display())),
        Row(_("交易方式"), str(carrier.get_deal_display())),
        Row(_("状态"), str(carrier.get_status_display())),
    ]
    if carrier.building_area_m2 is not None:
        rows.append(Row(_("建筑面积"), f"{number(carrier.building_area_m2)}㎡"))
    if carrier.land_area_m2 is not None:
        mu = units.format_mu(units.m2_to_mu(carrier.land_area_m2))
        rows.append(Row(_("占地面积"), f"{number(carrier.land_area_m2)}㎡({mu})"))
    if carrier.floors is not None:
        floors = pgettext("number of floors, after a number", "层")
        rows.append(Row(_("层数"), f"{carrier.floors}{floors}"))
    if carrier.floor_number is not None:
        on_floor = pgettext("the floor a unit is on", "%(floor)s层")
        rows.append(Row(_("所在楼层"), on_floor % {"floor": carrier.floor_number}))
    optional: list[tuple[str, object, str]] = [
        (_("层高"), carrier.height_m, " m"),
        (_("承重"), carrier.floor_load_t_m2, " t/㎡"),
        (_("柱距"), carrier.column_spacing_m or None, " m"),
        (_("跨度"), carrier.span_m, " m"),
        (_("现配电容量"), carrier.power_current_kva, " kVA"),
        (_("可配电容量"), carrier.power_available_kva, " kVA"),
    ]
    for label, value, unit in optional:
        if value is not None:
            shown = number(value) if isinstance(value, Decimal) else str(value)
            rows.append(Row(label, f"{shown}{unit}"))
    rows.append(Row(_("行车"), f"{number(carrier.crane_t)} t" if carrier.crane_t else _("无")))
    rows.append(Row(_("货梯"), _has(carrier.has_freight_elevator)))
    rows.append(Row(_("洁净车间"), _has(carrier.has_clean_room)))
    rows.append(Row(_("独门独院"), _yes_no(carrier.independent_yard)))
    rows.append(Row(_("可环评"), _yes_no(carrier.eia_ok)))
    if carrier.title_deed:
        rows.append(Row(_("产证"), str(carrier.get_title_deed_display())))
    if carrier.fire_hazard_class:
        rows.append(Row(_("火灾危险性类别"), str(carrier.get_fire_hazard_class_display())))
    if carrier.fire_resistance_grade:
        rows.append(Row(_("耐火等级"), str(carrier.get_fire_resistance_grade_display())))
    if carrier.payment_terms:
        rows.append(Row(_("押付方式"), carrier.payment_terms))
    if carrier.min_lease_years:
        years = carrier.min_lease_years
        rows.append(
            Row(_("起租年限"), ngettext("%(years)s 年", "%(years)s 年", years) % {"years": years})
        )
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
    return f"{reverse('leads:new')}?{urlencode(params)}"


_l = gettext_lazy
COMPARE_ROWS: list[tuple[str | Promise, str]] = [
    (_l("类型"), "kind"), (_l("交易方式"), "deal"), (_l("园区"), "park"), (_l("区县"), "region"),
    (_l("面积"), "area"), (_l("报价"), "price"), (_l("租金(元/㎡·天)"), "day"),
    (_l("租金(元/㎡·月)"), "month"), (_l("月租金(元/月)"), "rent_total"),
    (_l("物业费(元/㎡·月)"), "fee"), (_l("月总成本含物业费(元/月)"), "cost_total"),
    (_l("总价"), "wan_total"), (_l("地价(万元/亩)"), "wan_mu"), (_l("层高(m)"), "height"),
    (_l("承重(t/㎡)"), "load"), (_l("可配电容量(kVA)"), "power"), (_l("行车(t)"), "crane"),
    (_l("独门独院"), "yard"), (_l("可环评"), "eia"), (_l("产证"), "deed"),
    (_l("火灾危险性类别"), "fire"), (_l("最近确认"), "confirmed"),
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
        "crane": number(carrier.crane_t) if carrier.crane_t else _("无"),
        "yard": _yes_no(carrier.independent_yard),
        "eia": _yes_no(carrier.eia_ok),
        "deed": str(carrier.get_title_deed_display()) if carrier.title_deed else "—",
        "fire": str(carrier.get_fire_hazard_class_display()) if carrier.fire_hazard_class else "—",
        "confirmed": (
            ngettext("%(days)s 天前", "%(days)s 天前", days) % {"days": days}
            if days is not None
            else "—"
        ),
    }
