"""Demo carriers: generated but realistic, spread over the real parks, marked is_sample.

A fixed seed makes the same carriers on every machine; re-running adds nothing (the loader
stops when sample carriers exist). Prices follow the Xuzhou market's ranges: 厂房 rent
8–25 元/㎡·月 (some quoted per day), land 10–60 万元/亩, about one in ten 面议.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yuanqu.core import units
from yuanqu.listings.models import Carrier
from yuanqu.listings.services import carrier_create
from yuanqu.parks.models import Park

SEED = 20261125
TARGET = 320
ROADS = ("杨山路", "高新路", "鲲鹏路", "昆仑大道", "金山东路", "黄河北路", "徐海路", "银山路", "运河路",
         "创业路", "工业一路", "工业二路", "科技大道", "香山路", "珠江路", "天山路")  # fmt: skip


def _d(value: float, places: int = 2) -> Decimal:
    return Decimal(str(round(value, places)))


def _factory(rng: random.Random) -> dict[str, Any]:
    area = rng.choice(
        [
            800,
            1200,
            1500,
            2000,
            2600,
            3000,
            3600,
            4500,
            5000,
            6000,
            8000,
            10000,
            12000,
            16000,
            20000,
        ]
    )
    values: dict[str, Any] = {
        "kind": Carrier.Kind.FACTORY,
        "building_area_m2": Decimal(area),
        "floors": rng.choice([1, 1, 1, 2, 3, 4]),
        "height_m": _d(rng.choice([6, 7.5, 8, 9, 10, 12, 14]), 1),
        "floor_load_t_m2": _d(rng.choice([0.8, 1, 1.5, 2, 3, 5]), 1),
        "power_available_kva": rng.choice([200, 315, 400, 630, 800, 1000, 1250, 1600, 2000]),
        "crane_t": Decimal(rng.choice([0, 0, 0, 5, 10, 16, 20, 32])) or None,
        "span_m": _d(rng.choice([18, 21, 24, 27, 30]), 0),
        "independent_yard": rng.random() < 0.3,
        "eia_ok": rng.random() < 0.6,
        "title_deed": rng.choice(["independent", "divisible", "land_only", "none", ""]),
        "fire_hazard_class": rng.choice(["C", "D", "E", "C", "D", "B"]),
        "fire_resistance_grade": rng.choice([1, 2, 2]),
        "property_fee_yuan_m2_month": _d(rng.choice([0.5, 0.8, 1, 1.5, 2]), 1),
    }
    deal = rng.choices(["rent", "sale", "rent_to_buy"], weights=[75, 15, 10])[0]
    values["deal"] = deal
    if deal == "sale":
        values["price_value"] = _d(area * rng.uniform(2300, 4800) / 10000, 0)
        values["price_unit"] = Carrier.PriceUnit.WAN_TOTAL
    elif rng.random() < 0.3:
        values["price_value"] = _d(rng.uniform(8, 25) / 30, 2)
        values["price_unit"] = Carrier.PriceUnit.YUAN_M2_DAY
    else:
        values["price_value"] = _d(rng.uniform(8, 25), 1)
        values["price_unit"] = Carrier.PriceUnit.YUAN_M2_MONTH
    values["title"] = (
        f"{area}㎡{'单层' if values['floors'] == 1 else '多层'}标准厂房"
        + {"rent": "出租", "sale": "出售", "rent_to_buy": "先租后买"}[deal]
    )
    return values


def _land(rng: random.Random) -> dict[str, Any]:
    mu = rng.choice([10, 15, 20, 30, 40, 50, 60, 80, 100, 150, 200])
    area_m2 = units.quantize(units.mu_to_m2(mu), 2)
    return {
        "kind": Carrier.Kind.LAND,
        "deal": Carrier.Deal.SALE,
        "land_area_m2": area_m2,
        "power_available_kva": rng.choice([None, 1000, 2000, 5000]),
        "eia_ok": rng.random() < 0.7,
        "title_deed": rng.choice(["land_only", ""]),
        "price_value": _d(rng.uniform(10, 60), 1),
        "price_unit": Carrier.PriceUnit.WAN_PER_MU,
        "title": f"{mu}亩工业用地出让",
    }


def _office(rng: random.Random) -> dict[str, Any]:
    area = rng.choice([80, 120, 200, 300, 500, 800, 1200, 2000, 3000])
    return {
        "kind": Carrier.Kind.OFFICE,
        "deal": Carrier.Deal.RENT,
        "building_area_m2": Decimal(area),
        "floors": rng.choice([12, 18, 24]),
        "floor_number": rng.randint(2, 12),
        "height_m": _d(rng.choice([3.2, 3.6, 4.2]), 1),
        "floor_load_t_m2": _d(0.3, 1),
        "title_deed": rng.choice(["independent", "divisible", ""]),
        "property_fee_yuan_m2_month": _d(rng.choice([2, 3, 4, 5]), 1),
        "price_value": _d(rng.uniform(20, 55), 1),
        "price_unit": Carrier.PriceUnit.YUAN_M2_MONTH,
        "title": f"{area}㎡研发办公出租",
    }


def _warehouse(rng: random.Random) -> dict[str, Any]:
    area = rng.choice([1000, 2000, 3000, 5000, 8000, 10000, 15000])
    return {
        "kind": Carrier.Kind.WAREHOUSE,
        "deal": Carrier.Deal.RENT,
        "building_area_m2": Decimal(area),
        "floors": 1,
        "height_m": _d(rng.choice([8, 9, 10, 12]), 1),
        "floor_load_t_m2": _d(rng.choice([2, 3, 5]), 1),
        "power_available_kva": rng.choice([100, 200, 315]),
        "independent_yard": rng.random() < 0.4,
        "eia_ok": rng.random() < 0.5,
        "fire_hazard_class": rng.choice(["C", "D", "E"]),
        "fire_resistance_grade": 2,
        "property_fee_yuan_m2_month": _d(rng.choice([0.5, 1]), 1),
        "price_value": _d(rng.uniform(10, 24), 1),
        "price_unit": Carrier.PriceUnit.YUAN_M2_MONTH,
        "title": f"{area}㎡高标仓库出租",
    }


def generate_values(rng: random.Random, park: Park, number: int) -> dict[str, Any]:
    maker = rng.choices([_factory, _land, _office, _warehouse], weights=[55, 15, 15, 15])[0]
    values = maker(rng)
    if rng.random() < 0.1:
        values["price_negotiable"] = True
        values["price_value"] = None
        values["price_unit"] = ""
    values["title"] = f"{park.display_name} {values['title']}"
    road = rng.choice(ROADS)
    values["address"] = f"{park.display_name}{road}{rng.randint(1, 99)}号"
    base_lat = float(park.latitude if park.latitude is not None else park.region.latitude or 34.26)
    base_lon = float(
        park.longitude if park.longitude is not None else park.region.longitude or 117.18
    )
    values["latitude"] = _d(base_lat + rng.uniform(-0.02, 0.02), 6)
    values["longitude"] = _d(base_lon + rng.uniform(-0.025, 0.025), 6)
    values["description"] = "示例数据:演示用的生成房源,不是真实信息。"
    return values


def load_demo(*, stdout) -> None:
    if Carrier.objects.filter(is_sample=True).exists():
        stdout.write("listings: sample carriers already present, nothing added")
        return
    parks = list(Park.objects.filter(is_active=True).select_related("region").order_by("pk"))
    if not parks:
        stdout.write("listings: no parks yet (load the reference parks first), nothing added")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        for number in range(TARGET):
            park = parks[number % len(parks)] if number < len(parks) else rng.choice(parks)
            carrier = carrier_create(
                park=park, values=generate_values(rng, park, number), is_sample=True
            )
            # Mostly fresh, some stale, a few hidden, so the freshness rules show in the demo.
            age = rng.choices(
                [rng.randint(0, 60), rng.randint(91, 170), rng.randint(181, 220)],
                weights=[80, 15, 5],
            )[0]
            confirmed = now - timedelta(days=age, hours=rng.randint(0, 23))
            # Published directly (not carrier_publish): demo data must not alert subscribers.
            Carrier.objects.filter(pk=carrier.pk).update(
                published_at=confirmed - timedelta(days=rng.randint(0, 90)),
                confirmed_at=confirmed,
            )
    stdout.write(f"listings: {TARGET} sample carriers over {len(parks)} parks")
