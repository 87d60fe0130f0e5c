"""Plain factory functions for regions, industries and parks (no reference data needed)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from yuanqu.core.models import Industry, Region
from yuanqu.parks.models import Park

_sequence = itertools.count(1)


def make_region(
    *,
    code: str = "320312",
    name: str = "铜山区",
    parent: Region | None = None,
    level: str = Region.Level.COUNTY,
) -> Region:
    if parent is None and level != Region.Level.PROVINCE:
        parent, _ = Region.objects.get_or_create(
            code="320300", defaults={"name": "徐州市", "level": Region.Level.PREFECTURE}
        )
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "latitude": Decimal("34.18"),
            "longitude": Decimal("117.17"),
        },
    )
    return region


def make_industry(code: str = "3514", name: str = "建筑工程用机械制造") -> Industry:
    """Create the industry with its ancestors (section C and the right 大类/中类 stubs)."""
    section = "C" if code[:2].isdigit() and 13 <= int(code[:2]) <= 43 else "Z"
    parent, _ = Industry.objects.get_or_create(
        code=section,
        defaults={"name": "制造业", "level": Industry.Level.SECTION, "section": section},
    )
    for length, level in (
        (2, Industry.Level.DIVISION),
        (3, Industry.Level.GROUP),
        (4, Industry.Level.CLASS),
    ):
        if len(code) < length:
            break
        item_code = code[:length]
        parent, _ = Industry.objects.get_or_create(
            code=item_code,
            defaults={
                "name": name if item_code == code else f"{item_code} 类",
                "level": level,
                "parent": parent,
                "section": section,
            },
        )
    return parent


def make_park(
    *,
    name: str | None = None,
    short_name: str = "",
    region: Region | None = None,
    level: str = Park.Level.PROVINCIAL,
    kind: str = Park.Kind.ECONOMIC_ZONE,
    **fields,
) -> Park:
    number = next(_sequence)
    name = name or f"测试经济开发区{number}"
    return Park.objects.create(
        name=name,
        short_name=short_name,
        slug=fields.pop("slug", f"test-park-{number}"),
        level=level,
        kind=kind,
        region=region or make_region(),
        latitude=fields.pop("latitude", Decimal("34.2")),
        longitude=fields.pop("longitude", Decimal("117.2")),
        **fields,
    )
