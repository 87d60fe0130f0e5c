from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from yuanqu.leads.models import Lead
from yuanqu.listings.models import Carrier
from yuanqu.matching.selectors import (
    candidates_for_need,
    carrier_facts_for,
    match_for_lead,
    need_spec_for_lead,
    open_leads_for_carrier,
)
from yuanqu.matching.tests.factories import make_carrier, make_lead
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
