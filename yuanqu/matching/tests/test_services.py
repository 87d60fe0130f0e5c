from __future__ import annotations

from decimal import Decimal

import pytest

from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.listings.models import Carrier
from yuanqu.matching.models import LeadCarrierFlag
from yuanqu.matching.services import (
    lead_match_rerun,
    lead_match_store,
    lead_summary,
    leads_flag_for_carrier,
)
from yuanqu.matching.tests.factories import make_carrier, make_lead
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db


def test_match_store_keeps_the_snapshot_with_reasons_and_near_misses():
    park = make_park()
    fits = make_carrier(park=park, height_m=Decimal("9"))
    too_low = make_carrier(park=park, height_m=Decimal("6"))
    lead = make_lead(height_m=Decimal("8"))

    snapshot = lead_match_store(lead=lead)

    lead.refresh_from_db()
    assert lead.match_snapshot == snapshot
    assert [item["carrier_id"] for item in snapshot["carriers"]] == [fits.pk]
    assert [item["carrier_id"] for item in snapshot["near_misses"]] == [too_low.pk]
    assert snapshot["near_misses"][0]["blocking"]["text"] == "层高 6m < 需要 8m ✗"
    assert "面积 1,200㎡,在您需要的 1,000–1,500㎡ 内 ✓" in [
        r["text"] for r in snapshot["carriers"][0]["reasons"]
    ]


def test_match_store_gives_an_unowned_lead_to_the_best_carriers_park():
    park = make_park()
    make_carrier(park=park)
    lead = make_lead()
    lead_match_store(lead=lead)
    lead.refresh_from_db()
    assert lead.park_id == park.pk


def test_match_store_keeps_the_park_the_person_chose():
    chosen, other = make_park(), make_park()
    make_carrier(park=other)
    lead = make_lead(park=chosen)
    lead_match_store(lead=lead)
    lead.refresh_from_db()
    assert lead.park_id == chosen.pk


def test_rerun_records_which_carriers_were_shown_before_and_after():
    lead = make_lead()
    lead_match_store(lead=lead)
    carrier = make_carrier()
    lead.refresh_from_db()

    lead_match_rerun(lead=lead, actor=None)

    event = lead.events.get(kind=LeadEvent.Kind.REMATCHED)
    assert event.data["previous_carrier_ids"] == []
    assert event.data["carrier_ids"] == [carrier.pk]


def test_new_carrier_is_flagged_for_open_leads_it_fits_well():
    fitting = make_lead()
    make_lead(status=Lead.Status.INVALID)
    make_lead(height_m=Decimal("12"))
    carrier = make_carrier(height_m=Decimal("9"))

    created = leads_flag_for_carrier(carrier_id=carrier.pk)

    assert created == 1
    flag = LeadCarrierFlag.objects.get()
    assert flag.lead_id == fitting.pk and flag.carrier_id == carrier.pk
    assert flag.reasons and fitting.events.filter(kind=LeadEvent.Kind.CARRIER_FLAGGED).exists()


def test_flagging_twice_for_the_same_carrier_adds_nothing():
    make_lead()
    carrier = make_carrier()
    leads_flag_for_carrier(carrier_id=carrier.pk)
    assert leads_flag_for_carrier(carrier_id=carrier.pk) == 0
    assert LeadCarrierFlag.objects.count() == 1


def test_a_carrier_that_is_not_available_flags_nothing():
    make_lead()
    carrier = make_carrier(status=Carrier.Status.TAKEN)
    assert leads_flag_for_carrier(carrier_id=carrier.pk) == 0


def test_a_carrier_far_over_budget_is_not_flagged():
    make_lead(budget_value=Decimal("10"), budget_unit="yuan_m2_month")
    carrier = make_carrier(price_value=Decimal("30"))
    assert leads_flag_for_carrier(carrier_id=carrier.pk) == 0


def test_lead_summary_names_kind_deal_and_area_only():
    lead = make_lead(company="某公司", contact_name="王经理")
    assert lead_summary(lead) == "厂房 · 租 · 1,000–1,500㎡"


def test_flagging_task_reports_how_many_leads_it_flagged():
    from yuanqu.matching.tasks import flag_leads_for_carrier

    make_lead()
    carrier = make_carrier()
    assert flag_leads_for_carrier.call(carrier.pk) == "flagged 1 leads"
