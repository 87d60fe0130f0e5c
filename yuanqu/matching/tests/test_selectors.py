from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from yuanqu.leads.models import Lead
from yuanqu.listings.models import Carrier
from yuanqu.matching.scoring import NeedSpec, Place, numeric_fields, rank, row_from_facts
from yuanqu.matching.selectors import (
    candidate_filter,
    candidate_rows,
    candidates_for_need,
    carrier_facts_for,
    match_config,
    match_for_lead,
    need_spec_for_lead,
    open_leads_for_carrier,
    park_facts_list,
)
from yuanqu.matching.tests.factories import make_carrier, make_lead
from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_industry, make_park, make_region

pytestmark = pytest.mark.django_db


def ids(queryset) -> list[int]:
    return list(queryset.values_list("id", flat=True))


def rent_factory(**fields: Any):
    values: dict[str, Any] = {
        "kind": "factory",
        "deal": "rent",
        "area_min_m2": 1000,
        "area_max_m2": 1500,
    }
    values.update(fields)
    return candidates_for_need(**values)


def test_candidates_have_the_needed_kind():
    factory = make_carrier()
    make_carrier(kind=Carrier.Kind.WAREHOUSE)
    assert ids(rent_factory()) == [factory.pk]


@pytest.mark.parametrize(
    ("need_deal", "expected"),
    [
        ("rent", {"rent", "rent_to_buy"}),
        ("buy", {"sale", "rent_to_buy"}),
        ("rent_to_buy", {"rent_to_buy"}),
    ],
)
def test_candidates_have_a_compatible_deal(need_deal, expected):
    for deal in ("rent", "sale", "rent_to_buy"):
        make_carrier(deal=deal, title=deal)
    titles = set(rent_factory(deal=need_deal).values_list("title", flat=True))
    assert titles == expected


def test_only_available_published_carriers_are_candidates():
    available = make_carrier()
    make_carrier(status=Carrier.Status.RESERVED)
    make_carrier(status=Carrier.Status.TAKEN)
    make_carrier(published_at=None)
    assert ids(rent_factory()) == [available.pk]


def test_carriers_unconfirmed_for_longer_than_the_hide_period_are_left_out(settings):
    settings.CARRIER_HIDE_DAYS = 180
    now = timezone.now()
    fresh = make_carrier(confirmed_at=now - timedelta(days=179))
    make_carrier(confirmed_at=now - timedelta(days=181))
    make_carrier(confirmed_at=None)
    assert ids(rent_factory(now=now)) == [fresh.pk]


def test_area_range_is_widened_by_the_margin(settings):
    settings.MATCH_AREA_MARGIN = 0.20
    inside = [make_carrier(building_area_m2=Decimal(area)).pk for area in ("800", "1800")]
    for area in ("799", "1801"):
        make_carrier(building_area_m2=Decimal(area))
    assert ids(rent_factory()) == inside


def test_land_is_filtered_on_its_land_area():
    plot = make_carrier(
        kind=Carrier.Kind.LAND, deal=Carrier.Deal.SALE, building_area_m2=Decimal("20000")
    )
    assert ids(
        candidates_for_need(kind="land", deal="buy", area_min_m2=15000, area_max_m2=30000)
    ) == [plot.pk]


def test_wanted_places_only_filter_when_the_person_insisted():
    wanted = make_park()
    other = make_park(region=make_region(code="320311", name="泉山区"))
    inside = make_carrier(park=wanted)
    outside = make_carrier(park=other)

    assert ids(rent_factory(park_ids=[wanted.pk])) == [inside.pk, outside.pk]
    assert ids(rent_factory(park_ids=[wanted.pk], insist_location=True)) == [inside.pk]
    assert ids(rent_factory(region_codes=["320311"], insist_location=True)) == [outside.pk]


def test_need_spec_reads_the_lead_with_places_and_industry_lineage():
    make_industry("3514")
    park = make_park(short_name="经开区")
    lead = make_lead(
        parks=[park],
        industry_id="3514",
        height_m=Decimal("8"),
        budget_value=Decimal("15"),
        budget_unit="yuan_m2_month",
    )

    need = need_spec_for_lead(lead)

    assert need.industry_lineage == ("C", "35", "351", "3514")
    assert [(place.kind, place.key, place.name) for place in need.places] == [
        ("park", str(park.pk), "经开区")
    ]
    assert (need.height_m, need.budget_value, need.budget_unit) == (8.0, 15.0, "yuan_m2_month")


def test_match_for_lead_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    park = make_park()
    park.leading_industries.add(make_industry("3514"))
    for _ in range(12):
        make_carrier(park=park)
    lead = Lead.objects.prefetch_related("regions", "parks").get(pk=make_lead(parks=[park]).pk)

    with django_assert_max_num_queries(6):
        result = match_for_lead(lead=lead)

    assert len(result.carriers) == 10


def test_open_leads_for_a_carrier_skip_closed_and_out_of_range_leads():
    carrier = make_carrier(building_area_m2=Decimal("1200"))
    fitting = make_lead()
    make_lead(status=Lead.Status.WITHDRAWN)
    make_lead(area_min_m2=Decimal("5000"), area_max_m2=Decimal("8000"))
    make_lead(kind=Lead.Kind.WAREHOUSE)
    assert ids(open_leads_for_carrier(carrier=carrier)) == [fitting.pk]


def test_open_leads_that_insisted_on_another_place_are_skipped():
    carrier = make_carrier()
    elsewhere = make_park(region=make_region(code="320311", name="泉山区"))
    make_lead(parks=[elsewhere], insist_location=True)
    here = make_lead(parks=[carrier.park], insist_location=True)
    assert ids(open_leads_for_carrier(carrier=carrier)) == [here.pk]


def test_carriers_missing_two_stated_technical_needs_are_not_candidates():
    # given a need for 层高 ≥ 8 m, 行车 ≥ 10 t and 环评
    both = make_carrier(height_m=Decimal("9"), crane_t=Decimal("10"), eia_ok=True)
    one_miss = make_carrier(height_m=Decimal("6"), crane_t=Decimal("10"), eia_ok=True)
    unstated = make_carrier(height_m=None, crane_t=Decimal("16"), eia_ok=False)
    make_carrier(height_m=Decimal("6"), crane_t=None, eia_ok=True)

    # when
    found = rent_factory(height_m=8, crane_t=10, eia_required=True)

    # then only carriers failing at most one of them remain (an unstated 层高 is no miss)
    assert ids(found) == [both.pk, one_miss.pk, unstated.pk]


def test_a_single_technical_need_does_not_filter_in_sql():
    too_low = make_carrier(height_m=Decimal("6"))
    assert ids(rent_factory(height_m=8)) == [too_low.pk]


def test_scorer_facts_carry_the_stored_facts_exactly():
    # given carriers of two kinds with fractional values and microsecond timestamps
    confirmed = timezone.now().replace(microsecond=123456) - timedelta(days=2)
    factory = make_carrier(
        confirmed_at=confirmed, height_m=Decimal("8.5"), power_current_kva=400,
        power_available_kva=800, crane_t=Decimal("10.0"), eia_ok=True,
    )  # fmt: skip
    land = make_carrier(kind=Carrier.Kind.LAND, land_area_m2=Decimal("20000.50"), confirmed_at=None)

    # when they are read for the scorer
    facts = {item.id: item for item in carrier_facts_for(Carrier.objects.all())}

    # then every value the scorer uses is the stored one
    assert facts[factory.pk].confirmed_at == confirmed
    assert facts[factory.pk].area_m2 == 1200.0
    assert (facts[factory.pk].height_m, facts[factory.pk].power_kva) == (8.5, 800)
    assert (facts[factory.pk].crane_t, facts[factory.pk].eia_ok) == (10.0, True)
    assert facts[land.pk].area_m2 == 20000.5
    assert facts[land.pk].confirmed_at is None


# ---------------------------------------------------------------------------------------
# The candidate rows (only the columns a need reads) against the full facts


def _full_need(**fields: Any) -> NeedSpec:
    values: dict[str, Any] = {
        "kind": "factory", "deal": "rent", "area_min_m2": 1000.0, "area_max_m2": 1500.0,
        "places": (Place("region", "320312", "铜山区"),), "height_m": 8.0, "load_t_m2": 1.0,
        "power_kva": 500.0, "crane_t": 10.0, "eia_required": True, "fire_hazard_class": "C",
    }  # fmt: skip
    values.update(fields)
    return NeedSpec(**values)


def _filter_for(need: NeedSpec, **fields: Any):
    values: dict[str, Any] = {"kind": need.kind, "deal": need.deal, "area_min_m2": 1000}
    values.update(fields)
    return candidate_filter(**values)


def test_candidate_rows_carry_the_stored_values_exactly():
    # given carriers with fractional values, both power columns, and confirmation times
    # with and without microseconds, at the end of a second and at its start
    now = timezone.now()
    moments = [
        now.replace(microsecond=0) - timedelta(days=1),
        now.replace(microsecond=999999) - timedelta(days=2),
        now.replace(microsecond=1) - timedelta(days=3),
        now.replace(microsecond=123456) - timedelta(days=179, hours=23),
    ]
    for number, moment in enumerate(moments):
        make_carrier(
            confirmed_at=moment, height_m=Decimal("8.55"), floor_load_t_m2=Decimal("1.25"),
            power_current_kva=[None, 400, 900, 630][number],
            power_available_kva=[800, None, 400, 630][number], crane_t=Decimal("10.5"),
            eia_ok=number % 2 == 0, fire_hazard_class=["", "A", "C", "E"][number],
            latitude=Decimal("34.123456"), longitude=None, price_negotiable=number == 3,
            price_value=None if number == 3 else Decimal("0.65"),
            price_unit="" if number == 3 else Carrier.PriceUnit.YUAN_M2_DAY,
        )  # fmt: skip
    make_carrier(
        kind=Carrier.Kind.LAND, deal=Carrier.Deal.SALE, land_area_m2=Decimal("20000.50"),
        building_area_m2=Decimal("300"), confirmed_at=now - timedelta(days=5),
    )  # fmt: skip

    for need in (_full_need(), _full_need(kind="land", deal="buy", places=())):
        # when the candidates are read as rows for this need
        rows = candidate_rows(_filter_for(need), need)

        # then each row holds exactly the values the full facts hold
        fields = numeric_fields(need)
        full = carrier_facts_for(
            candidates_for_need(kind=need.kind, deal=need.deal, area_min_m2=1000)
        )
        assert sorted(rows) == sorted(row_from_facts(item, fields) for item in full)
        assert len(rows) == (len(moments) if need.kind == "factory" else 1)


def _random_world(rng: random.Random) -> list[Park]:
    regions = [make_region(code=code, name=name) for code, name in REGIONS]
    industries = [make_industry(code) for code in ("3514", "3512", "3841")]
    parks = []
    for number in range(6):
        park = make_park(
            region=rng.choice(regions),
            latitude=Decimal(str(round(34.2 + rng.uniform(-0.2, 0.2), 6))),
            longitude=Decimal(str(round(117.2 + rng.uniform(-0.2, 0.2), 6))),
            investment_intensity_wan_per_mu=rng.choice([None, Decimal("250")]),
            tax_per_mu_wan=rng.choice([None, Decimal("20")]),
            is_active=number != 5,  # one inactive park: its carriers have no park facts
        )
        park.leading_industries.set(rng.sample(industries, rng.randint(0, 2)))
        parks.append(park)
    now = timezone.now()
    for _ in range(90):
        park = rng.choice(parks)
        kind = rng.choice([Carrier.Kind.FACTORY, Carrier.Kind.FACTORY, Carrier.Kind.LAND])
        area = Decimal(str(round(rng.uniform(600, 2200), 2)))
        unit = rng.choice(["yuan_m2_month", "yuan_m2_day", "yuan_month", "wan_total"])
        make_carrier(
            park=park, kind=kind, deal=rng.choice(list(Carrier.Deal.values)),
            status=rng.choice([Carrier.Status.AVAILABLE] * 5 + [Carrier.Status.TAKEN]),
            building_area_m2=area, land_area_m2=area if kind == Carrier.Kind.LAND else None,
            price_negotiable=(negotiable := rng.random() < 0.1),
            price_value=None if negotiable else Decimal(str(round(rng.uniform(0.5, 40), 2))),
            price_unit="" if negotiable else (
                Carrier.PriceUnit.WAN_PER_MU if kind == Carrier.Kind.LAND else unit
            ),
            height_m=rng.choice([None, Decimal("6"), Decimal("9.5")]),
            floor_load_t_m2=rng.choice([None, Decimal("0.8"), Decimal("2")]),
            power_current_kva=rng.choice([None, 400]), power_available_kva=rng.choice([None, 800]),
            crane_t=rng.choice([None, Decimal("5"), Decimal("16")]), eia_ok=rng.random() < 0.5,
            fire_hazard_class=rng.choice(["", "A", "C", "E"]),
            latitude=rng.choice([None, Decimal(str(round(34.2 + rng.uniform(-0.2, 0.2), 6)))]),
            longitude=Decimal(str(round(117.2 + rng.uniform(-0.2, 0.2), 6))),
            confirmed_at=rng.choice(
                [None, now - timedelta(days=rng.randint(0, 200), microseconds=rng.randint(0, 10**6))]
            ),
        )  # fmt: skip
    return parks


REGIONS = (("320312", "铜山区"), ("320311", "泉山区"), ("320371", "经开区"))


def test_match_for_lead_ranks_exactly_like_scoring_the_full_facts_of_every_candidate():
    # given random parks and carriers, and random needs asking for any criteria
    rng = random.Random(4754)
    parks = _random_world(rng)
    now = timezone.now()
    for _ in range(25):
        lead = make_lead(
            kind=rng.choice(["factory", "factory", "land"]),
            deal=rng.choice(list(Lead.Deal.values)),
            area_min_m2=Decimal(rng.choice([800, 1000, 1500])),
            area_max_m2=rng.choice([None, Decimal(1800)]),
            budget_value=rng.choice([None, Decimal("18"), Decimal("500")]),
            budget_unit=rng.choice(["yuan_m2_month", "wan_total", "wan_per_mu"]),
            parks=rng.sample(parks, rng.randint(0, 2)),
            regions=[code for code, _name in rng.sample(REGIONS, rng.randint(0, 1))],
            insist_location=rng.random() < 0.2,
            industry_id=rng.choice([None, "3514", "3841"]),
            height_m=rng.choice([None, Decimal("8")]), load_t_m2=rng.choice([None, Decimal("1")]),
            power_kva=rng.choice([None, 500]), crane_t=rng.choice([None, Decimal("10")]),
            eia_required=rng.random() < 0.3, fire_hazard_class=rng.choice(["", "C"]),
            investment_wan=rng.choice([None, Decimal("3000")]),
            annual_tax_wan=rng.choice([None, Decimal("100")]),
        )  # fmt: skip
        lead = (
            Lead.objects.select_related("industry")
            .prefetch_related("regions", "parks")
            .get(pk=lead.pk)
        )

        # when it is matched (rows of the columns it reads, numeric pass, shown explained)
        result = match_for_lead(lead=lead, now=now)

        # then the result is that of ranking the full facts of every candidate
        need = need_spec_for_lead(lead)
        full = candidates_for_need(
            kind=lead.kind, deal=lead.deal, area_min_m2=lead.area_min_m2,
            area_max_m2=lead.area_max_m2, insist_location=lead.insist_location,
            region_codes=[p.key for p in need.places if p.kind == "region"],
            park_ids=[int(p.key) for p in need.places if p.kind == "park"], now=now,
            height_m=lead.height_m, load_t_m2=lead.load_t_m2, power_kva=lead.power_kva,
            crane_t=lead.crane_t, eia_required=lead.eia_required,
            fire_hazard_class=lead.fire_hazard_class,
        )  # fmt: skip
        # (as matching did before it read rows: titles and district names filled after)
        expected = rank(need, carrier_facts_for(full), park_facts_list(), match_config(now=now))
        names = {item.pk: (item.title, item.region.name) for item in full}
        for match in [*expected.carriers, *expected.near_misses]:
            match.carrier.title, match.carrier.region_name = names[match.carrier.id]
        assert result.as_dict() == expected.as_dict()
        # and the places just stored give the same result without reading the lead back
        wanted = (
            [p.key for p in need.places if p.kind == "region"],
            [int(p.key) for p in need.places if p.kind == "park"],
        )
        fresh = Lead.objects.get(pk=lead.pk)
        assert match_for_lead(lead=fresh, now=now, wanted=wanted).as_dict() == expected.as_dict()
