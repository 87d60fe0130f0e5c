"""Flags of newly published carriers reach the people who work the lead: a column and a
filter in the lead list, a "新" mark on the lead's page, cleared once they have looked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.matching.models import LeadCarrierFlag
from yuanqu.matching.tests.factories import make_carrier

pytestmark = pytest.mark.django_db


def _flag(lead, park):
    return LeadCarrierFlag.objects.create(
        lead=lead, carrier=make_carrier(park=park), score=Decimal("88.0"), reasons=[]
    )


def test_the_lead_list_filters_leads_with_unseen_new_carriers(login_as, investment_officer, park_a):
    flagged = make_lead(park=park_a, company="甲有新载体公司")
    make_lead(park=park_a, company="乙没有提醒公司")
    _flag(flagged, park_a)

    content = (
        login_as(investment_officer)
        .get(reverse("admin:leads_lead_changelist"), {"new_carriers": "unseen"})
        .content.decode()
    )

    assert "甲有新载体公司" in content
    assert "乙没有提醒公司" not in content


def test_the_lead_list_counts_unseen_new_carriers_with_a_link_to_the_lead_page(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)
    _flag(lead, park_a)
    _flag(lead, park_a)
    LeadCarrierFlag.objects.create(
        lead=lead, carrier=make_carrier(park=park_a), score=Decimal("80"), seen_at=timezone.now()
    )

    content = (
        login_as(investment_officer).get(reverse("admin:leads_lead_changelist")).content.decode()
    )

    assert "2 个新载体" in content
    assert reverse("inbox:detail", args=[lead.pk]) in content


def test_the_lead_list_query_count_does_not_grow_with_flagged_leads(
    login_as, investment_officer, park_a, django_assert_max_num_queries
):
    client = login_as(investment_officer)
    _flag(make_lead(park=park_a), park_a)
    client.get(reverse("admin:leads_lead_changelist"))
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("admin:leads_lead_changelist"))
    for _ in range(5):
        _flag(make_lead(park=park_a), park_a)

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("admin:leads_lead_changelist"))


def test_the_park_officer_sees_new_marks_once_and_then_they_are_cleared(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)
    flag = _flag(lead, park_a)
    client = login_as(investment_officer)

    first = client.get(reverse("inbox:detail", args=[lead.pk])).content.decode()
    second = client.get(reverse("inbox:detail", args=[lead.pk])).content.decode()

    flag.refresh_from_db()
    assert flag.seen_at is not None
    assert '<span class="wb-badge wb-badge-warn">新</span>' in first
    assert '<span class="wb-badge wb-badge-warn">新</span>' not in second


def test_leadership_reading_a_lead_leaves_its_new_carriers_unseen(login_as, leadership, park_a):
    lead = make_lead(park=park_a)
    flag = _flag(lead, park_a)

    response = login_as(leadership).get(reverse("inbox:detail", args=[lead.pk]))

    flag.refresh_from_db()
    assert response.status_code == 200
    assert flag.seen_at is None
