"""Demo enterprises: about 200 generated firms spread over the real parks, each marked
示例数据 (is_sample) and named 示例:…, with valid GB 32100 credit codes and cultivation flags
at realistic rates (roughly a third 四上, a sixth 高企, a few 专精特新, 瞪羚). Industries come
from each park's leading industries. A fixed seed makes the same firms on every machine;
re-running adds nothing (the loader stops when sample enterprises exist). Yearly targets
for this year are set for the parks that have demo firms."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yuanqu.core.models import Industry
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.search_index import enterprises_index
from yuanqu.parks.models import Park

SEED = 20261206
TARGET = 200
FIRST = ("恒", "瑞", "鑫", "汇", "创", "达", "博", "远", "华", "泰", "联", "通", "润", "晟", "锐",
         "德", "誉", "昊", "拓", "宏")  # fmt: skip
SECOND = ("力", "源", "科", "信", "成", "盛", "安", "捷", "工", "嘉", "凯", "航", "智", "诚", "合")
TRADE_WORDS = {
    "C": ("机械", "装备", "新材料", "电子", "精密制造", "液压", "新能源"),
    "I": ("信息技术", "软件", "数据科技"),
    "M": ("检测技术", "研发"),
    "F": ("供应链", "商贸"),
    "G": ("物流",),
}
# The share of parks' firms holding each status (judgement: typical of a mid-sized zone).
ABOVE_SCALE_SHARE = 0.35
HIGH_TECH_SHARE = 0.18
SPECIALISED_SHARE = 0.07
GAZELLE_SHARE = 0.03
TARGETS = {
    CultivationTarget.Kind.HIGH_TECH_NEW: 8,
    CultivationTarget.Kind.ABOVE_SCALE_NEW: 10,
    CultivationTarget.Kind.SPECIALISED_NEW: 3,
    CultivationTarget.Kind.SMALL_TO_HIGH: 4,
}


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _industries_by_park(parks: list[Park]) -> dict[int, list[Industry]]:
    return {park.pk: list(park.leading_industries.order_by("code")) for park in parks}


def _enterprise(
    rng: random.Random, number: int, park: Park, industry: Industry | None
) -> Enterprise:
    today = timezone.localdate()
    section = industry.section if industry is not None else "C"
    trade = rng.choice(TRADE_WORDS.get(section, TRADE_WORDS["C"]))
    name = f"示例:徐州{rng.choice(FIRST)}{rng.choice(SECOND)}{trade}有限公司"
    region = str(park.region_id or "320300")[:6]
    values: dict[str, Any] = {
        "name": name,
        "credit_code": credit_codes.complete(f"91{region}D{number:07d}"),
        "park": park,
        "industry": industry,
        "address": f"{park.short_name or park.name}示例路{rng.randint(1, 199)}号",
        "is_sample": True,
    }
    if rng.random() < ABOVE_SCALE_SHARE:
        values["above_scale_type"] = (
            Enterprise.AboveScaleType.INDUSTRY
            if section == "C"
            else rng.choice(Enterprise.AboveScaleType.values)
        )
        values["above_scale_since"] = _day(rng, date(2018, 1, 1), today)
    if rng.random() < HIGH_TECH_SHARE:
        certified = _day(rng, date(2021, 11, 1), today)
        values["high_tech_certified_on"] = certified
        values["high_tech_expires_on"] = certified.replace(year=certified.year + 3)
        values["high_tech_certificate_no"] = f"GR{certified.year}32{rng.randint(0, 999999):06d}"
        if rng.random() < 0.5:
            values["tech_sme_since"] = certified - timedelta(days=rng.randint(120, 700))
    elif rng.random() < 0.15:
        values["tech_sme_since"] = _day(rng, date(2023, 1, 1), today)
    if rng.random() < SPECIALISED_SHARE:
        values["specialised_level"] = rng.choice(Enterprise.SpecialisedLevel.values)
        values["specialised_since"] = _day(rng, date(2020, 6, 1), today)
    if rng.random() < GAZELLE_SHARE:
        values["gazelle_since"] = _day(rng, date(2022, 1, 1), today)
    return Enterprise(**values)


def load_demo(*, stdout: Any) -> None:
    if Enterprise.objects.filter(is_sample=True).exists():
        stdout.write("enterprises: 示例企业已存在,跳过。\n")
        return
    parks = list(Park.objects.filter(is_active=True).order_by("pk"))
    if not parks:
        stdout.write("enterprises: 没有园区,跳过示例企业。\n")
        return
    rng = random.Random(SEED)
    industries = _industries_by_park(parks)
    # The first park (徐州经开区 in the reference data) gets a larger share, as in reality.
    weights = [4 if index == 0 else 1 for index in range(len(parks))]
    rows = []
    for number in range(1, TARGET + 1):
        park = rng.choices(parks, weights=weights)[0]
        options: list[Industry | None] = [*industries.get(park.pk, [])] or [None]
        rows.append(_enterprise(rng, number, park, rng.choice(options)))
    year = timezone.localdate().year
    with transaction.atomic():
        created = Enterprise.objects.bulk_create(rows)
        CultivationTarget.objects.bulk_create(
            [
                CultivationTarget(park=park, year=year, kind=kind, target=target, note="示例数据")
                for park in {row.park for row in rows}
                for kind, target in TARGETS.items()
            ],
            ignore_conflicts=True,
        )
    enterprises_index(enterprise_ids=[enterprise.pk for enterprise in created])
    stdout.write(f"enterprises: {len(created)} 家示例企业已建立。\n")
