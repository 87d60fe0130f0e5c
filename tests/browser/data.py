"""Seed data for the journey tests (live server, transactional database).

Everything is built with the apps' own factories and services, so the rows look like what
the site produces itself: carriers through `listings.services.carrier_create` (normalised
price and area columns, search index), articles through the news factory plus the related
articles computation the background task runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_mobiles = itertools.count(1000)


def unique_mobile() -> str:
    """A fresh valid mainland mobile per call: the need form allows 5 needs per mobile and
    hour (a cache counter that outlives each test's database)."""
    return f"1391234{next(_mobiles):04d}"


WECHAT_MESSAGE = "做挖掘机配件的,想在经开区附近租5000平左右厂房,层高8米以上,要10吨行车,预算15块一平"


@dataclass
class Catalogue:
    """Parks, districts and carriers the journeys search and match against."""

    zone: Any  # 徐州经济技术开发区, in 鼓楼区
    tongshan_park: Any  # a park in 铜山区
    tongshan: Any
    gulou: Any
    fitting: list[Any] = field(default_factory=list)  # fit journey 1's need in every point
    near_misses: list[Any] = field(default_factory=list)  # fail exactly one thing
    others: list[Any] = field(default_factory=list)


def seed_catalogue(
    *, fitting: int = 10, near_misses: bool = True, contrast: bool = True
) -> Catalogue:
    """Two parks in two districts of 徐州市; `fitting` factories for rent that meet the
    WeChat message (≈5000 ㎡, ≥ 8 m, 10 t crane, ≤ 15 元/㎡·月), two near-misses (7 m high;
    a 5 t crane), and five that differ on kind, deal, size and power for the filters.
    Each carrier costs ~60 ms (the listings service indexes it), so ask only for what the
    test looks at."""
    from yuanqu.listings.models import Carrier
    from yuanqu.listings.tests.factories import make_carrier
    from yuanqu.parks.tests.factories import make_industry, make_park, make_region

    make_industry("3514", "建筑工程用机械制造")
    tongshan = make_region(code="320312", name="铜山区")
    gulou = make_region(code="320302", name="鼓楼区")
    zone = make_park(
        name="徐州经济技术开发区",
        short_name="徐州经开区",
        region=gulou,
        slug="xzedz",
        level="national",
        latitude=Decimal("34.27"),
        longitude=Decimal("117.29"),
    )
    tongshan_park = make_park(
        name="铜山高新技术产业开发区",
        short_name="铜山高新区",
        region=tongshan,
        slug="tshtz",
        latitude=Decimal("34.18"),
        longitude=Decimal("117.17"),
    )
    catalogue = Catalogue(zone=zone, tongshan_park=tongshan_park, tongshan=tongshan, gulou=gulou)

    offsets = iter(range(1, 100))

    def carrier(park: Any, **values: Any) -> Any:
        # Spread the carriers around their park, so maps and distances are not all one point.
        step = Decimal(next(offsets)) / Decimal(500)
        values.setdefault("latitude", park.latitude + step)
        values.setdefault("longitude", park.longitude - step)
        values.setdefault("confirmed_days_ago", 3)
        return make_carrier(park=park, **values)

    for number in range(fitting):
        catalogue.fitting.append(
            carrier(
                zone if number % 2 == 0 else tongshan_park,
                title=f"经开区单层厂房{number + 1}号",
                building_area_m2=Decimal(4600 + 100 * number),
                height_m=Decimal("10"),
                crane_t=Decimal("10"),
                power_available_kva=800,
                eia_ok=True,
                price_value=Decimal("14"),
                price_unit=Carrier.PriceUnit.YUAN_M2_MONTH,
            )
        )
    if near_misses:
        _add_near_misses(catalogue, carrier)
    if contrast:
        _add_contrast(catalogue, carrier)
    return catalogue


def _add_near_misses(catalogue: Catalogue, carrier: Any) -> None:
    zone = catalogue.zone
    catalogue.near_misses.append(
        carrier(
            zone,
            title="低层高厂房",
            building_area_m2=Decimal("5000"),
            height_m=Decimal("7"),
            crane_t=Decimal("10"),
            price_value=Decimal("13"),
        )
    )
    catalogue.near_misses.append(
        carrier(
            zone,
            title="小行车厂房",
            building_area_m2=Decimal("5000"),
            height_m=Decimal("9"),
            crane_t=Decimal("5"),
            price_value=Decimal("13"),
        )
    )


def _add_contrast(catalogue: Catalogue, carrier: Any) -> None:
    """A day-rate quote, a factory for sale, an office, a small one, a low-power one."""
    from yuanqu.listings.models import Carrier

    zone, tongshan_park = catalogue.zone, catalogue.tongshan_park
    catalogue.others.append(
        carrier(
            tongshan_park,
            title="日租报价厂房",
            building_area_m2=Decimal("4000"),
            height_m=Decimal("12"),
            power_available_kva=1000,
            eia_ok=True,
            price_value=Decimal("0.5"),
            price_unit=Carrier.PriceUnit.YUAN_M2_DAY,
        )
    )
    catalogue.others.append(
        carrier(
            tongshan_park,
            title="出售厂房",
            deal=Carrier.Deal.SALE,
            building_area_m2=Decimal("5000"),
            price_value=Decimal("2000"),
            price_unit=Carrier.PriceUnit.WAN_TOTAL,
        )
    )
    catalogue.others.append(
        carrier(
            zone,
            title="研发办公楼层",
            kind=Carrier.Kind.OFFICE,
            building_area_m2=Decimal("800"),
            height_m=Decimal("4"),
            power_available_kva=100,
        )
    )
    catalogue.others.append(
        carrier(
            tongshan_park,
            title="小型标准厂房",
            building_area_m2=Decimal("1200"),
            height_m=Decimal("8"),
            power_available_kva=300,
        )
    )
    catalogue.others.append(
        carrier(
            tongshan_park,
            title="低电力厂房",
            building_area_m2=Decimal("4500"),
            height_m=Decimal("9"),
            power_available_kva=200,
            eia_ok=True,
        )
    )


def seed_articles(*, park: Any = None) -> list[Any]:
    """Four published articles about 徐州经开区 and its plants, with related articles
    computed (what the background task does after an article is saved)."""
    from yuanqu.news.related import related_recompute_all
    from yuanqu.news.tests.factories import make_article, make_category

    category = make_category(name="园区动态", slug="park-news")
    bodies = [
        (
            "徐州经开区新建标准厂房投入使用",
            "徐州经开区 标准厂房 行车 层高 工程机械 配件 企业入驻。",
        ),
        ("徐州经开区工程机械配套产业园招商", "徐州经开区 工程机械 配件 挖掘机 厂房 招商 入驻。"),
        ("经开区厂房租金补贴政策解读", "徐州经开区 厂房 租金 补贴 工程机械 企业 政策。"),
        ("徐州经开区举办工程机械产业对接会", "徐州经开区 工程机械 挖掘机 配件 产业 对接。"),
    ]
    articles = []
    for number, (title, text) in enumerate(bodies):
        article = make_article(
            title=title, body=f"<p>{text}</p>", category=category, days_ago=number + 1
        )
        if park is not None:
            article.parks.add(park)
        articles.append(article)
    related_recompute_all()
    return articles
