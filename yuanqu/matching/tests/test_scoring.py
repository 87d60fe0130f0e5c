"""The pure scorer: hand-worked cases, explanations, and properties (no database)."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.matching.scoring import (
    WEIGHTS,
    CarrierFacts,
    IndustryFacts,
    MatchConfig,
    NeedSpec,
    ParkFacts,
    Place,
    criterion_industry,
    criterion_land_use,
    epoch_microseconds,
    facts_from_row,
    industry_score,
    land_use_score,
    numeric_fields,
    numeric_row_scorer,
    numeric_scorer,
    rank,
    rank_rows,
    row_from_facts,
    score_carrier,
    score_park,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CONFIG = MatchConfig(now=NOW, top_carriers=100, top_near_misses=100, top_parks=100)
P1 = ParkFacts(id=1, name="经开区", region_code="320371", latitude=34.20, longitude=117.20)
# 0.108° of latitude north of P1: about 12.0 km away.
P2 = ParkFacts(id=2, name="高新区", region_code="320312", latitude=34.308, longitude=117.20)
PARKS = (P1, P2)


def carrier(id: int = 1, **fields: Any) -> CarrierFacts:
    values: dict[str, Any] = {
        "title": f"厂房{id}",
        "kind": "factory",
        "deal": "rent",
        "park_id": 1,
        "area_m2": 1200.0,
        "price_value": 20.0,
        "price_unit": "yuan_m2_month",
        "confirmed_at": NOW - timedelta(days=3),
    }
    values.update(fields)
    return CarrierFacts(id=id, **values)


def need(**fields: Any) -> NeedSpec:
    values: dict[str, Any] = {
        "kind": "factory",
        "deal": "rent",
        "area_min_m2": 1000.0,
        "area_max_m2": 1500.0,
    }
    values.update(fields)
    return NeedSpec(**values)


WANT_P1 = (Place("park", "1", "经开区", 34.20, 117.20),)


def order(result) -> list[int]:
    return [match.carrier.id for match in result.carriers]


def reasons(match) -> list[str]:
    return [item["text"] for item in match.as_dict()["reasons"]]


# ---------------------------------------------------------------------------------------
# Hand-worked cases


def test_smaller_but_closer_and_cheaper_beats_bigger_but_dearer_when_the_place_matters():
    # given: A fits the area (1,400㎡) but is 10% over budget and ~12 km from 经开区;
    #        B is 10% too small (900㎡) but under budget and inside 经开区.
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month", places=WANT_P1)
    bigger = carrier(1, area_m2=1400.0, price_value=22.0, park_id=2)
    closer = carrier(2, area_m2=900.0, price_value=19.0, park_id=1)

    # when
    result = rank(wanted, [bigger, closer], PARKS, CONFIG)

    # then: A = (20·1 + 20·0.6 + 15·0.48 + 5·0.983)/60 ≈ 73.5; B = (20·0.5 + 20·0.81 + 15·1 + 5·0.983)/60 ≈ 76.9
    assert order(result) == [2, 1]
    assert result.carriers[0].score == pytest.approx(76.86, abs=0.05)
    assert result.carriers[1].score == pytest.approx(73.52, abs=0.05)


def test_bigger_but_dearer_wins_when_no_place_is_wanted():
    # given the same two carriers and no place preference
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month")
    bigger = carrier(1, area_m2=1400.0, price_value=22.0, park_id=2)
    closer = carrier(2, area_m2=900.0, price_value=19.0, park_id=1)

    # when
    result = rank(wanted, [bigger, closer], PARKS, CONFIG)

    # then: A = (20 + 12 + 4.92)/45 ≈ 82.0; B = (10 + 16.2 + 4.92)/45 ≈ 69.1
    assert order(result) == [1, 2]
    assert result.carriers[0].score == pytest.approx(82.04, abs=0.05)


def test_cheaper_carrier_ranks_first_when_all_else_is_equal():
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month")
    result = rank(
        wanted,
        [carrier(1, price_value=19.0), carrier(2, price_value=12.0), carrier(3, price_value=24.0)],
        PARKS,
        CONFIG,
    )
    assert order(result) == [2, 1, 3]


def test_identical_carriers_are_ordered_by_id():
    result = rank(need(), [carrier(7), carrier(3), carrier(5)], PARKS, CONFIG)
    assert order(result) == [3, 5, 7]


def test_carrier_failing_exactly_one_hard_need_is_a_near_miss_with_its_blocking_criterion():
    # given a need for 层高 ≥ 8 m and 环评
    wanted = need(height_m=8.0, eia_required=True)
    fits = carrier(1, height_m=9.0, eia_ok=True)
    too_low = carrier(2, height_m=6.0, eia_ok=True)
    two_misses = carrier(3, height_m=6.0, eia_ok=False)

    # when
    result = rank(wanted, [fits, too_low, two_misses], PARKS, CONFIG)

    # then
    assert order(result) == [1]
    assert [match.carrier.id for match in result.near_misses] == [2]
    blocking = result.near_misses[0].as_dict()["blocking"]
    assert blocking["criterion"] == "height"
    assert blocking["text"] == "层高 6m < 需要 8m ✗"


def test_unknown_technical_value_is_not_a_failure():
    result = rank(need(height_m=8.0), [carrier(1, height_m=None)], PARKS, CONFIG)
    assert order(result) == [1]
    assert "层高未标明,需要 8m ?" in reasons(result.carriers[0])


def test_reasons_have_one_line_per_criterion_with_numbers_and_marks():
    # given a need that asks about area, budget, load and crane
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month", load_t_m2=1.5, crane_t=10.0)
    offered = carrier(1, load_t_m2=0.8, crane_t=None)

    # when
    match = score_carrier(wanted, offered, P1, CONFIG)

    # then
    assert reasons(match) == [
        "面积 1,200㎡,在您需要的 1,000–1,500㎡ 内 ✓",
        "租金 20元/㎡·月,在预算 20元/㎡·月 内 ✓",
        "承重 0.8 t/㎡ < 需要 1.5 t/㎡ ✗",
        "无行车,需要 10t ✗",
        "3 天前确认 ✓",
    ]


def test_negotiable_price_is_neutral_and_said_so():
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month")
    match = score_carrier(wanted, carrier(1, price_negotiable=True, price_value=None), P1, CONFIG)
    price = next(item for item in match.criteria if item.key == "price")
    assert price.score == 0.5
    assert price.reason()["text"] == "价格面议,不计高低 –"


def test_over_budget_reason_gives_the_percentage():
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month")
    match = score_carrier(wanted, carrier(1, price_value=25.0), P1, CONFIG)
    assert "租金 25元/㎡·月,超出预算 20元/㎡·月 25% ✗" in reasons(match)


def test_land_area_is_explained_in_mu_and_square_metres():
    wanted = need(kind="land", deal="buy", area_min_m2=20000.0, area_max_m2=40000.0)
    plot = carrier(
        1, kind="land", deal="sale", area_m2=30000.0, price_value=30.0, price_unit="wan_per_mu"
    )
    assert reasons(score_carrier(wanted, plot, P1, CONFIG))[0] == (
        "面积 45亩(30,000㎡),在您需要的 30–60亩 内 ✓"
    )


@pytest.mark.parametrize(
    ("need_code", "expected_score", "word"),
    [
        (("C", "35", "351", "3514"), 1.0, "同小类"),
        (("C", "35", "351", "3512"), 0.75, "同中类"),
        (("C", "35", "359", "3599"), 0.5, "同大类"),
        (("C", "34", "341", "3411"), 0.2, "同门类"),
    ],
)
def test_industry_fit_follows_the_gbt4754_hierarchy(need_code, expected_score, word):
    park = replace(
        P1,
        leading_industries=(
            IndustryFacts("3514", "建筑工程用机械制造", ("C", "35", "351", "3514")),
        ),
    )
    match = score_carrier(need(industry_lineage=need_code), carrier(1), park, CONFIG)
    industry = next(item for item in match.criteria if item.key == "industry")
    assert industry.score == expected_score
    assert word in industry.reason()["text"]


def test_industry_in_another_section_scores_zero():
    park = replace(
        P1,
        leading_industries=(
            IndustryFacts("3514", "建筑工程用机械制造", ("C", "35", "351", "3514")),
        ),
    )
    match = score_carrier(
        need(industry_lineage=("I", "65", "651", "6511")), carrier(1), park, CONFIG
    )
    industry = next(item for item in match.criteria if item.key == "industry")
    assert industry.score == 0.0
    assert industry.state == "fail"


def test_land_use_compares_investment_and_tax_per_mu_with_the_park_thresholds():
    # given 30 亩 (20,000㎡) with 9,000 万元 (300 万元/亩) and 600 万元 tax (20 万元/亩)
    park = replace(P1, investment_intensity_wan_per_mu=250.0, tax_per_mu_wan=25.0)
    wanted = need(
        kind="land",
        deal="buy",
        area_min_m2=None,
        area_max_m2=None,
        investment_wan=9000.0,
        annual_tax_wan=600.0,
    )
    plot = carrier(
        1, kind="land", deal="sale", area_m2=20000.0, price_value=30.0, price_unit="wan_per_mu"
    )

    # when
    match = score_carrier(wanted, plot, park, CONFIG)

    # then: investment meets 250, tax 20 < 25 → score (1 + 0.8)/2
    land_use = next(item for item in match.criteria if item.key == "land_use")
    assert land_use.score == pytest.approx(0.9)
    assert land_use.reason()["text"] == "折合投资 300 万元/亩(门槛 250),税收 20 万元/亩(门槛 25) ✗"


def test_fire_class_a_building_serves_a_class_c_process_but_not_the_reverse():
    wanted = need(fire_hazard_class="C")
    assert not score_carrier(wanted, carrier(1, fire_hazard_class="A"), P1, CONFIG).failures
    assert score_carrier(wanted, carrier(2, fire_hazard_class="D"), P1, CONFIG).failures


def test_best_parks_rank_by_industry_and_fitting_carriers():
    leading = (IndustryFacts("3514", "建筑工程用机械制造", ("C", "35", "351", "3514")),)
    parks = (replace(P1, leading_industries=leading), P2)
    wanted = need(industry_lineage=("C", "35", "351", "3514"))
    result = rank(wanted, [carrier(1, park_id=1), carrier(2, park_id=2)], parks, CONFIG)
    assert [match.park.id for match in result.parks] == [1, 2]
    assert "有 1 个符合条件的载体" in result.parks[0].as_dict()["reasons"][-1]["text"]


def test_insisted_location_limits_the_parks_list():
    wanted = need(places=WANT_P1, insist_location=True)
    result = rank(wanted, [carrier(1)], PARKS, CONFIG)
    assert [match.park.id for match in result.parks] == [1]


def test_a_carrier_without_a_place_name_is_explained_without_an_empty_one():
    wanted = need(places=(Place("region", "320371", "经开区所在区", None, None),))
    lone = carrier(1, park_id=99, region_code="320371", region_name="")

    match = score_carrier(wanted, lone, None, CONFIG)

    location = [text for text in reasons(match) if "意向" in text]
    assert location == ["在您意向的区县内 ✓"]


def test_the_distance_to_a_park_placed_at_its_countys_centre_says_so():
    wanted = need(places=(Place("park", "1", "睢宁经开区", 33.91, 117.94, approximate=True),))
    away = carrier(1, park_id=2, region_code="320382", latitude=34.31, longitude=117.96)

    match = score_carrier(wanted, away, None, CONFIG)

    (location,) = [text for text in reasons(match) if "意向" in text]
    assert "距您意向的 睢宁经开区 约" in location and "按所在区县中心估算" in location


def test_the_distance_to_a_surveyed_park_point_has_no_caveat():
    wanted = need(places=(Place("park", "1", "睢宁经开区", 33.91, 117.94),))
    away = carrier(1, park_id=2, region_code="320382", latitude=34.31, longitude=117.96)

    match = score_carrier(wanted, away, None, CONFIG)

    (location,) = [text for text in reasons(match) if "意向" in text]
    assert "估算" not in location


def test_weights_table_lists_every_criterion_once():
    assert set(WEIGHTS) == {
        "area", "price", "location", "industry", "land_use", "height", "load", "power",
        "crane", "eia", "fire", "freshness", "carriers",
    }  # fmt: skip


# ---------------------------------------------------------------------------------------
# Properties

areas = st.floats(min_value=200, max_value=20000, allow_nan=False)
prices = st.floats(min_value=1, max_value=100, allow_nan=False)


@given(price=prices, area=areas, budget=prices)
def test_price_comparison_is_the_same_in_every_rent_unit(price, area, budget):
    wanted_month = need(
        area_min_m2=None, area_max_m2=None, budget_value=budget, budget_unit="yuan_m2_month"
    )
    wanted_day = replace(wanted_month, budget_value=budget / 30, budget_unit="yuan_m2_day")
    as_month = carrier(1, area_m2=area, price_value=price, price_unit="yuan_m2_month")
    as_day = replace(as_month, price_value=price / 30, price_unit="yuan_m2_day")
    as_total = replace(as_month, price_value=price * area, price_unit="yuan_month")
    scores = {
        score_carrier(wanted, offered, P1, CONFIG).score
        for wanted in (wanted_month, wanted_day)
        for offered in (as_month, as_day, as_total)
    }
    assert max(scores) - min(scores) < 1e-6


@given(price=prices, area=areas, budget=prices)
def test_a_monthly_total_budget_compares_like_the_same_budget_per_square_metre(price, area, budget):
    per_m2 = need(
        area_min_m2=None, area_max_m2=None, budget_value=budget, budget_unit="yuan_m2_month"
    )
    total = replace(per_m2, budget_value=budget * area, budget_unit="yuan_month")
    offered = carrier(1, area_m2=area, price_value=price / 30, price_unit="yuan_m2_day")
    assert score_carrier(per_m2, offered, P1, CONFIG).score == pytest.approx(
        score_carrier(total, offered, P1, CONFIG).score, abs=1e-6
    )


def _random_carrier(rng: random.Random, id: int) -> CarrierFacts:
    return carrier(
        id,
        park_id=rng.choice([1, 2]),
        area_m2=rng.uniform(800, 1800),
        price_value=rng.uniform(5, 40),
        height_m=rng.choice([None, rng.uniform(4, 14)]),
        load_t_m2=rng.choice([None, rng.uniform(0.3, 3)]),
        power_kva=rng.choice([None, rng.uniform(100, 2000)]),
        crane_t=rng.choice([None, rng.uniform(1, 30)]),
        eia_ok=rng.random() < 0.5,
        confirmed_at=NOW - timedelta(days=rng.randint(0, 170)),
    )


IMPROVEMENTS = {
    "price": lambda c, r: replace(c, price_value=c.price_value * r.uniform(0.3, 1.0)),
    # An unstated value improves by becoming a stated one that meets any need.
    "height": lambda c, r: replace(c, height_m=(c.height_m or 20) + r.uniform(0.1, 5)),
    "load": lambda c, r: replace(c, load_t_m2=(c.load_t_m2 or 5) + r.uniform(0.1, 2)),
    "power": lambda c, r: replace(c, power_kva=(c.power_kva or 5000) + r.uniform(10, 800)),
    "crane": lambda c, r: replace(c, crane_t=(c.crane_t or 0) + r.uniform(1, 20)),
    "eia": lambda c, r: replace(c, eia_ok=True),
    "freshness": lambda c, r: replace(
        c, confirmed_at=c.confirmed_at + timedelta(days=r.randint(0, (NOW - c.confirmed_at).days))
    ),
    "area": lambda c, r: replace(c, area_m2=c.area_m2 + (1250 - c.area_m2) * r.uniform(0, 1)),
    "location": lambda c, r: replace(c, park_id=1),
}


def _position(wanted: NeedSpec, carriers: list[CarrierFacts], carrier_id: int) -> int:
    parks = {park.id: park for park in PARKS}
    keys = sorted(score_carrier(wanted, c, parks[c.park_id], CONFIG).sort_key for c in carriers)
    return next(index for index, key in enumerate(keys) if key[2] == carrier_id)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), criterion=st.sampled_from(sorted(IMPROVEMENTS)))
def test_improving_one_criterion_never_lowers_a_carriers_rank(seed, criterion):
    # given a random need and ten random carriers
    rng = random.Random(seed)
    wanted = need(
        budget_value=rng.uniform(10, 30),
        budget_unit="yuan_m2_month",
        places=WANT_P1,
        height_m=rng.choice([None, 8.0]),
        load_t_m2=rng.choice([None, 1.5]),
        power_kva=rng.choice([None, 500.0]),
        crane_t=rng.choice([None, 10.0]),
        eia_required=rng.random() < 0.5,
    )
    carriers = [_random_carrier(rng, id) for id in range(1, 11)]
    target = rng.randrange(10)
    before = _position(wanted, carriers, target + 1)

    # when one criterion of one carrier gets better
    improved = list(carriers)
    improved[target] = IMPROVEMENTS[criterion](carriers[target], rng)

    # then its rank does not drop
    assert _position(wanted, improved, target + 1) <= before


@given(seed=st.integers(0, 10**6))
def test_results_are_deterministic_whatever_the_input_order(seed):
    rng = random.Random(seed)
    wanted = need(budget_value=20.0, budget_unit="yuan_m2_month", places=WANT_P1, height_m=8.0)
    carriers = [_random_carrier(rng, id) for id in range(1, 16)]
    shuffled = list(carriers)
    rng.shuffle(shuffled)
    assert (
        rank(wanted, carriers, PARKS, CONFIG).as_dict()
        == rank(wanted, shuffled, PARKS, CONFIG).as_dict()
    )


@given(seed=st.integers(0, 10**6))
def test_the_numeric_pass_scores_exactly_like_the_explained_one(seed):
    # given a random need with every kind of criterion and random carriers
    rng = random.Random(seed)
    leading = (IndustryFacts("3514", "建筑工程用机械制造", ("C", "35", "351", "3514")),)
    parks = {
        1: replace(P1, leading_industries=leading, investment_intensity_wan_per_mu=200.0),
        2: P2,
    }
    wanted = need(
        budget_value=20.0, budget_unit="yuan_m2_month", places=WANT_P1, height_m=8.0,
        crane_t=rng.choice([None, 10.0]), eia_required=rng.random() < 0.5,
        fire_hazard_class=rng.choice(["", "C"]), industry_lineage=("C", "35", "351", "3512"),
        investment_wan=rng.choice([None, 3000.0]),
    )  # fmt: skip
    evaluate = numeric_scorer(wanted, CONFIG)

    for id in range(1, 20):
        offered = replace(_random_carrier(rng, id), fire_hazard_class=rng.choice(["", "A", "D"]))
        park = parks[offered.park_id]

        # when both passes score it
        failures, score = evaluate(offered, park)
        full = score_carrier(wanted, offered, park, CONFIG)

        # then they agree to the last bit
        assert (failures, score) == (full.failure_count, full.score)


def test_the_scoring_module_needs_no_django():
    code = (
        "import sys, yuanqu.matching.scoring; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[3]
    )
    assert out.stdout.strip() == "[]", out.stderr


def _random_parks(rng: random.Random, count: int) -> list[ParkFacts]:
    lineages = [("C", "35", "351", "3514"), ("C", "35", "351", "3512"), ("C", "38", "384", "3841")]
    parks = []
    for id in range(1, count + 1):
        lineage = rng.choice(lineages)
        parks.append(
            ParkFacts(
                id=id,
                name=f"园区{id}",
                region_code=rng.choice(["320371", "320312", "320311"]),
                latitude=rng.choice([None, 34.2 + rng.uniform(-0.3, 0.3)]),
                longitude=117.2 + rng.uniform(-0.3, 0.3),
                leading_industries=rng.choice([(), (IndustryFacts(lineage[-1], "行业", lineage),)]),
                investment_intensity_wan_per_mu=rng.choice([None, 150.0, 300.0]),
                tax_per_mu_wan=rng.choice([None, 15.0, 30.0]),
            )
        )
    return parks


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_the_shown_results_are_the_best_of_a_full_scoring_of_every_candidate(seed):
    # given a random need, 30 random parks and 80 random carriers spread over them
    rng = random.Random(seed)
    parks = _random_parks(rng, 30)
    wanted = need(
        budget_value=rng.choice([None, 20.0]), budget_unit="yuan_m2_month",
        places=rng.choice([(), WANT_P1]), insist_location=rng.random() < 0.2,
        height_m=rng.choice([None, 8.0]), eia_required=rng.random() < 0.3,
        industry_lineage=rng.choice([(), ("C", "35", "351", "3514"), ("C", "35")]),
        investment_wan=rng.choice([None, 3000.0]), annual_tax_wan=rng.choice([None, 200.0]),
    )  # fmt: skip
    carriers = [
        replace(_random_carrier(rng, id), park_id=rng.randint(1, 31)) for id in range(1, 81)
    ]
    config = MatchConfig(now=NOW)  # the shown sizes: 10 carriers, 5 near-misses, 5 parks

    # when the ranking (numeric pass, then explanations for the shown) runs
    result = rank(wanted, carriers, parks, config)

    # then it shows exactly what explaining and sorting every candidate and park shows
    by_id = {park.id: park for park in parks}
    full = sorted(
        (score_carrier(wanted, c, by_id.get(c.park_id), config) for c in carriers),
        key=lambda match: match.sort_key,
    )
    matches = [m for m in full if m.failure_count == 0]
    near = [m for m in full if m.failure_count == 1]
    assert [m.as_dict() for m in result.carriers] == [m.as_dict() for m in matches[:10]]
    assert [m.as_dict() for m in result.near_misses] == [m.as_dict() for m in near[:5]]
    best: dict[int, float] = {}
    count: dict[int, int] = {}
    for match in matches:
        park_id = match.carrier.park_id
        count[park_id] = count.get(park_id, 0) + 1
        best[park_id] = max(best.get(park_id, -1.0), match.score)
    wanted_parks, wanted_regions = wanted.wanted_park_ids, wanted.wanted_region_codes
    insisted = wanted.insist_location and (wanted_parks or wanted_regions)
    all_parks = sorted(
        (
            score_park(wanted, park, best.get(park.id), count.get(park.id, 0), config)
            for park in parks
            if not insisted or str(park.id) in wanted_parks or park.region_code in wanted_regions
        ),
        key=lambda match: match.sort_key,
    )
    assert [m.as_dict() for m in result.parks] == [m.as_dict() for m in all_parks[:5]]


# ---------------------------------------------------------------------------------------
# The numeric pass on rows (what the candidate query hands over)


def _rich_need(rng: random.Random) -> NeedSpec:
    return need(
        area_max_m2=rng.choice([None, 1500.0]),
        budget_value=rng.choice([None, 20.0, 0.7, 30000.0, 900.0]),
        budget_unit=rng.choice(["yuan_m2_month", "yuan_m2_day", "yuan_month", "wan_total"]),
        places=rng.choice([(), WANT_P1, (Place("region", "320312", "铜山区", 34.3, 117.3),)]),
        height_m=rng.choice([None, 8.0]), load_t_m2=rng.choice([None, 1.5]),
        power_kva=rng.choice([None, 500.0]), crane_t=rng.choice([None, 10.0]),
        eia_required=rng.random() < 0.4, fire_hazard_class=rng.choice(["", "C"]),
        industry_lineage=rng.choice([(), ("C", "35", "351", "3514"), ("C", "35")]),
        investment_wan=rng.choice([None, 3000.0]), annual_tax_wan=rng.choice([None, 200.0]),
    )  # fmt: skip


def _rich_carrier(rng: random.Random, id: int) -> CarrierFacts:
    return replace(
        _random_carrier(rng, id),
        park_id=rng.randint(1, 12),  # parks 11 and 12 are not in the park list
        region_code=rng.choice(["320371", "320312", "320311"]),
        latitude=rng.choice([None, 34.2 + rng.uniform(-0.3, 0.3)]),
        longitude=117.2 + rng.uniform(-0.3, 0.3),
        price_negotiable=rng.random() < 0.1,
        price_unit=rng.choice(["yuan_m2_month", "yuan_m2_day", "yuan_month", "wan_total", ""]),
        area_m2=rng.choice([rng.uniform(800, 1800), None]),
        fire_hazard_class=rng.choice(["", "A", "C", "E"]),
        # Any instant, to the microsecond, including exact day boundaries.
        confirmed_at=rng.choice(
            [None, NOW - timedelta(days=rng.randint(0, 179), microseconds=rng.randint(-9, 9))]
        ),
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_ranking_rows_gives_exactly_the_ranking_of_the_facts(seed):
    # given a random need with any criteria, random parks and carriers (some parkless)
    rng = random.Random(seed)
    parks = _random_parks(rng, 10)
    wanted = _rich_need(rng)
    carriers = [_rich_carrier(rng, id) for id in range(1, 61)]
    config = MatchConfig(now=NOW)

    # when the rows of only the fields this need reads are ranked
    fields = numeric_fields(wanted)
    rows = [row_from_facts(item, fields) for item in carriers]
    rng.shuffle(rows)
    from_rows = rank_rows(wanted, rows, parks, config)

    # then every row scores exactly as its explained facts
    by_id = {park.id: park for park in parks}
    evaluate = numeric_row_scorer(wanted, config, by_id)
    for item in carriers:
        explained = score_carrier(wanted, item, by_id.get(item.park_id), config)
        assert evaluate(row_from_facts(item, fields)) == (explained.failure_count, explained.score)
    # and the result is the facts' ranking (titles are added afterwards by the selector)
    from_facts = rank(wanted, carriers, parks, config)
    titles = {item.id: item.title for item in carriers}
    for match in [*from_rows.carriers, *from_rows.near_misses]:
        match.carrier.title = titles[match.carrier.id]
    assert from_rows.as_dict() == from_facts.as_dict()


@given(seed=st.integers(0, 10**6))
def test_park_scores_without_explanations_are_the_explained_ones(seed):
    rng = random.Random(seed)
    wanted = _rich_need(rng)
    for park in [None, *_random_parks(rng, 5)]:
        area = rng.choice([None, 0.0, rng.uniform(500, 50000)])
        assert industry_score(wanted, park) == criterion_industry(wanted, park).score
        assert land_use_score(wanted, park, area) == criterion_land_use(wanted, park, area).score


def test_a_row_turns_back_into_the_facts_it_holds():
    confirmed = datetime(2026, 5, 1, 23, 59, 59, 999999, tzinfo=UTC)
    facts = carrier(7, confirmed_at=confirmed, price_negotiable=True, height_m=8.5, eia_ok=True)
    wanted = need(places=WANT_P1, height_m=8.0, eia_required=True)
    fields = numeric_fields(wanted)

    row = row_from_facts(facts, fields)
    back = facts_from_row(row, fields)

    assert row[fields.index("confirmed_us")] == epoch_microseconds(confirmed)
    assert back.confirmed_at == confirmed
    assert (back.id, back.park_id, back.height_m, back.eia_ok) == (7, 1, 8.5, True)
    assert back.price_negotiable is True
    # Fields this need does not read are not in the row.
    assert "load_t_m2" not in fields and back.load_t_m2 is None


@given(
    scores=st.lists(
        st.sampled_from([70.0, 70.0000004, 70.0000005, 70.0000006, 69.9999996, 69.99999, 80.5]),
        min_size=0,
        max_size=40,
    ),
    limit=st.integers(1, 12),
)
def test_the_best_rows_are_chosen_by_the_rounded_score_then_id(scores, limit):
    from yuanqu.matching.scoring import _best

    # given scores that tie, or nearly tie, once rounded to 10⁻⁶, on rows in any order
    ranked = [(score, (id, 1)) for id, score in enumerate(scores, start=1)]
    ranked.reverse()

    # then the chosen rows are the first of sorting all by (-rounded score, id)
    expected = sorted(ranked, key=lambda item: (-round(item[0], 6), item[1][0]))[:limit]
    assert _best(ranked, limit) == [row for _score, row in expected]
