"""The matching's industry fit gains CHAIN_GAP_BONUS when a need fills a park's missing
chain link, explained on the industry line; a missing link never lowers such a need's park."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.matching.scoring import (
    CHAIN_GAP_BONUS,
    CarrierFacts,
    ChainGap,
    IndustryFacts,
    MatchConfig,
    NeedSpec,
    ParkFacts,
    criterion_industry,
    industry_score,
    rank,
)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
CONFIG = MatchConfig(now=NOW, top_carriers=100, top_near_misses=100, top_parks=100)
MACHINERY = IndustryFacts("3514", "建筑工程用机械制造", ("C", "35", "351", "3514"))
HYDRAULICS_GAP = ChainGap("工程机械", "液压元件", ("3444",))
PARK = ParkFacts(id=1, name="经开区", region_code="320371", leading_industries=(MACHINERY,))
HYDRAULIC_NEED = NeedSpec(kind="factory", deal="rent", industry_lineage=("C", "34", "344", "3444"))


def test_filling_a_missing_link_adds_the_bonus_to_the_industry_fit():
    base = industry_score(HYDRAULIC_NEED, PARK)
    with_gap = industry_score(HYDRAULIC_NEED, replace(PARK, chain_gaps=(HYDRAULICS_GAP,)))
    assert with_gap == pytest.approx(min(1.0, base + CHAIN_GAP_BONUS))


def test_the_bonus_is_explained_on_the_industry_line():
    criterion = criterion_industry(HYDRAULIC_NEED, replace(PARK, chain_gaps=(HYDRAULICS_GAP,)))
    assert "可补齐经开区工程机械产业链「液压元件」缺链环节" in criterion.reason()["text"]


def test_a_need_outside_the_missing_links_gets_no_bonus():
    other = replace(HYDRAULIC_NEED, industry_lineage=("C", "13", "131", "1311"))
    assert industry_score(other, replace(PARK, chain_gaps=(HYDRAULICS_GAP,))) == industry_score(
        other, PARK
    )


CODES = ["3444", "3514", "3512", "1311", "2710", "3825"]


def lineage(code):
    return ("C", code[:2], code[:3], code)


@settings(max_examples=80, deadline=None)
@given(
    need_code=st.sampled_from(CODES),
    leading=st.lists(st.sampled_from(CODES), min_size=3, max_size=3),
    carriers=st.lists(st.tuples(st.integers(1, 3), st.floats(600, 2000)), max_size=6),
    chosen=st.integers(1, 3),
)
def test_adding_a_missing_link_never_lowers_the_park_of_a_need_that_fills_it(
    need_code, leading, carriers, chosen
):
    parks = [
        ParkFacts(id=pk, name=f"园区{pk}", region_code="320371",
                  leading_industries=(IndustryFacts(code, code, lineage(code)),))
        for pk, code in zip((1, 2, 3), leading, strict=True)
    ]  # fmt: skip
    facts = [
        CarrierFacts(id=n, title=f"厂房{n}", kind="factory", deal="rent", park_id=park,
                     area_m2=area, confirmed_at=NOW - timedelta(days=3))
        for n, (park, area) in enumerate(carriers, start=1)
    ]  # fmt: skip
    wanted = NeedSpec(kind="factory", deal="rent", area_min_m2=1000.0, area_max_m2=1500.0,
                      industry_lineage=lineage(need_code))  # fmt: skip

    def place_of_chosen(park_list):
        ranked = [match.park.id for match in rank(wanted, facts, park_list, CONFIG).parks]
        return ranked.index(chosen)

    before = place_of_chosen(parks)
    gap = ChainGap("链", "环节", (need_code,))
    after = place_of_chosen([replace(p, chain_gaps=(gap,)) if p.id == chosen else p for p in parks])
    assert after <= before
