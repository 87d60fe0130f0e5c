"""Chains for tests: a small template with codes that the test industries carry."""

from __future__ import annotations

from typing import Any

from yuanqu.chains.models import Chain, ChainLink, ParkChain
from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_industry


def make_chain(*, slug: str = "gongcheng", name: str = "工程机械") -> Chain:
    return Chain.objects.create(slug=slug, name=name, sources="测试")


def make_link(chain: Chain, name: str, **fields: Any) -> ChainLink:
    fields.setdefault("position", ChainLink.Position.MIDSTREAM)
    return ChainLink.objects.create(chain=chain, name=name, **fields)


def machinery_chain(park: Park | None = None, *, priority: int = 1) -> dict[str, ChainLink]:
    """整机 (a group) with 挖掘机械 (3514) below it, 液压元件 (3444, 液压), 租赁 (7113)."""
    for code, title in (("3514", "建筑工程用机械制造"), ("3444", "液压动力机械及元件制造"),
                        ("7113", "建筑工程机械与设备经营租赁")):  # fmt: skip
        make_industry(code, title)
    chain = make_chain()
    whole = make_link(chain, "工程机械整机", sort_order=1)
    links = {
        "整机": whole,
        "挖掘机械": make_link(chain, "挖掘机械", parent=whole, codes="3514",
                              keywords="挖掘机;挖机", sort_order=2),
        "液压元件": make_link(chain, "液压元件", codes="3444", keywords="液压;油缸",
                              position=ChainLink.Position.UPSTREAM, sort_order=3),
        "租赁": make_link(chain, "设备租赁", codes="7113", keywords="设备租赁",
                          position=ChainLink.Position.SERVICES, sort_order=4),
    }  # fmt: skip
    if park is not None:
        ParkChain.objects.create(park=park, chain=chain, priority=priority)
    return links
