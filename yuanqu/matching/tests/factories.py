"""Self-contained factories for matching tests: carriers and leads with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yuanqu.leads.models import Lead
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_park

_sequence = itertools.count(1)

RENT_UNITS = {"yuan_m2_day", "yuan_m2_month", "yuan_month"}


def make_carrier(*, park: Park | None = None, **fields: Any) -> Carrier:
    """A published, available, recently confirmed 1,200㎡ factory for rent at 20 元/㎡·月."""
    number = next(_sequence)
    park = park or make_park()
    now = timezone.now()
    values: dict[str, Any] = {
        "title": f"测试厂房{number}",
        "kind": Carrier.Kind.FACTORY,
        "deal": Carrier.Deal.RENT,
        "status": Carrier.Status.AVAILABLE,
        "park": park,
        "region": park.region,
        "building_area_m2": Decimal("1200"),
        "price_value": Decimal("20"),
        "price_unit": Carrier.PriceUnit.YUAN_M2_MONTH,
        "published_at": now - timedelta(days=10),
        "confirmed_at": now - timedelta(days=3),
    }
    values.update(fields)
    if values["kind"] == Carrier.Kind.LAND and "land_area_m2" not in fields:
        values["land_area_m2"] = values.pop("building_area_m2")
        values.setdefault("building_area_m2", None)
        if "price_unit" not in fields:
            values["price_unit"] = Carrier.PriceUnit.WAN_PER_MU
    # Keep the normalised columns the listings service maintains.
    field_names = {field.name for field in Carrier._meta.get_fields()}
    area = (
        values.get("land_area_m2")
        if values["kind"] == Carrier.Kind.LAND
        else values.get("building_area_m2")
    )
    if "area_m2" in field_names:
        values.setdefault("area_m2", area)
    price, unit = values.get("price_value"), values.get("price_unit")
    if price is not None and unit in RENT_UNITS and "price_yuan_m2_month" not in fields:
        if unit == "yuan_m2_month":
            values["price_yuan_m2_month"] = price
        elif unit == "yuan_m2_day":
            values["price_yuan_m2_month"] = Decimal(price) * 30
        elif area:
            values["price_yuan_m2_month"] = (Decimal(price) / Decimal(area)).quantize(
                Decimal("0.01")
            )
    return Carrier.objects.create(**values)


def make_lead(*, regions: Any = (), parks: Any = (), **fields: Any) -> Lead:
    """A stored need (no matching run): factory for rent, 1,000–1,500㎡."""
    number = next(_sequence)
    now = timezone.now()
    values: dict[str, Any] = {
        "reference": f"XQ{now:%Y%m%d}-T{number:04d}",
        "idempotency_key": f"test-key-{number}",
        "kind": Lead.Kind.FACTORY,
        "deal": Lead.Deal.RENT,
        "area_min_m2": Decimal("1000"),
        "area_max_m2": Decimal("1500"),
        "mobile": "+8613812340000",
        "consent_version": "test",
        "consent_at": now,
        "last_submitted_at": now,
    }
    values.update(fields)
    lead = Lead.objects.create(**values)
    if regions:
        lead.regions.set(list(regions))
    if parks:
        lead.parks.set(list(parks))
    return lead
