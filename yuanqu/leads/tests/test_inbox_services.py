from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yuanqu.accounts.models import Membership
from yuanqu.accounts.tests.factories import make_lead, make_staff
from yuanqu.leads.models import FollowUp, Lead, LeadEvent, LeadSubmission
from yuanqu.leads.services import (
    lead_assign,
    lead_follow_up_record,
    lead_mark_invalid,
    lead_merge,
    lead_reopen,
)

pytestmark = pytest.mark.django_db


def _follow_up(actor, lead, **fields):
    values: dict[str, Any] = {
        "channel": "call",
        "happened_at": timezone.now(),
        "notes": "电话沟通,下周看厂房",
        "outcome": "interested",
        "next_follow_up_on": timezone.localdate() + timedelta(days=3),
    }
    values.update(fields)
    return lead_follow_up_record(actor=actor, lead=lead, **values)


def test_a_follow_up_moves_a_new_lead_to_following_with_its_next_date(park_a, investment_officer):
    lead = make_lead(park=park_a)

    _follow_up(investment_officer, lead)

    lead.refresh_from_db()
    assert lead.status == Lead.Status.FOLLOWING
    assert lead.next_follow_up_on == timezone.localdate() + timedelta(days=3)
    assert lead.owner == investment_officer
    assert set(lead.events.values_list("kind", flat=True)) >= {"followed_up", "status_changed"}


def test_a_next_follow_up_date_in_the_past_is_refused(park_a, investment_officer):
    lead = make_lead(park=park_a)

    with pytest.raises(ValidationError) as excinfo:
        _follow_up(
            investment_officer, lead, next_follow_up_on=timezone.localdate() - timedelta(days=1)
        )

    assert "next_follow_up_on" in excinfo.value.message_dict
    assert not FollowUp.objects.exists()


def test_a_closed_lead_takes_no_follow_up(park_a, investment_officer):
    lead = make_lead(park=park_a, status=Lead.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        _follow_up(investment_officer, lead)


def test_an_officer_of_another_park_may_not_follow_up(park_a, other_park_officer):
    with pytest.raises(PermissionDenied):
        _follow_up(other_park_officer, make_lead(park=park_a))


def test_the_manager_assigns_and_the_new_owner_is_told(
    park_a, park_manager, investment_officer, django_capture_on_commit_callbacks
):
    lead = make_lead(park=park_a, company="徐州某科技有限公司")

    with django_capture_on_commit_callbacks(execute=True):
        lead_assign(actor=park_manager, lead=lead, owner=investment_officer)

    lead.refresh_from_db()
    assert lead.owner == investment_officer and lead.assigned_at is not None
    event = lead.events.get(kind=LeadEvent.Kind.ASSIGNED)
    assert event.data == {"from": None, "to": investment_officer.pk}
    assert mail.outbox[0].to == [investment_officer.email]
    assert "138" not in mail.outbox[0].body  # no mobile in the notice


def test_reassigning_keeps_the_previous_owner_in_the_history(
    park_a, park_manager, investment_officer
):
    colleague = make_staff(role=Membership.Role.INVESTMENT_OFFICER, park=park_a)
    lead = make_lead(park=park_a)
    lead_assign(actor=park_manager, lead=lead, owner=investment_officer)

    lead_assign(actor=park_manager, lead=lead, owner=colleague)

    assignments = list(lead.events.filter(kind="assigned").values_list("data", flat=True))
    assert assignments[-1] == {"from": investment_officer.pk, "to": colleague.pk}


def test_an_owner_from_another_park_is_refused(park_a, park_manager, other_park_officer):
    lead = make_lead(park=park_a)

    with pytest.raises(ValidationError):
        lead_assign(actor=park_manager, lead=lead, owner=other_park_officer)


def test_an_officer_may_take_an_unassigned_lead_but_not_hand_it_out(park_a, investment_officer):
    colleague = make_staff(role=Membership.Role.INVESTMENT_OFFICER, park=park_a)
    lead = make_lead(park=park_a)

    with pytest.raises(PermissionDenied):
        lead_assign(actor=investment_officer, lead=lead, owner=colleague)
    lead_assign(actor=investment_officer, lead=lead, owner=investment_officer)

    lead.refresh_from_db()
    assert lead.owner == investment_officer


def test_invalid_needs_a_reason_and_reopen_brings_it_back(park_a, investment_officer):
    lead = make_lead(park=park_a, owner=investment_officer, status=Lead.Status.FOLLOWING)
    with pytest.raises(ValidationError):
        lead_mark_invalid(actor=investment_officer, lead=lead, reason="  ")

    lead_mark_invalid(actor=investment_officer, lead=lead, reason="号码停机")
    lead_reopen(actor=investment_officer, lead=lead)

    lead.refresh_from_db()
    assert lead.status == Lead.Status.FOLLOWING and lead.invalid_reason == ""
    assert lead.events.filter(kind__in=["invalidated", "reopened"]).count() == 2


def test_a_withdrawn_lead_cannot_be_reopened(park_a, investment_officer):
    lead = make_lead(park=park_a, status=Lead.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        lead_reopen(actor=investment_officer, lead=lead)


def test_merging_moves_submissions_and_follow_ups_and_leaves_one_open_lead(
    park_a, investment_officer
):
    keep = make_lead(park=park_a, company="徐州某机械有限公司")
    other = make_lead(park=park_a, company="徐州某机械有限公司 ")
    LeadSubmission.objects.create(lead=other, idempotency_key="other-1")
    _follow_up(investment_officer, other)

    lead_merge(actor=investment_officer, keep=keep, other=other)

    keep.refresh_from_db()
    other.refresh_from_db()
    assert list(keep.submissions.values_list("idempotency_key", flat=True)) == ["other-1"]
    assert keep.follow_ups.count() == 1 and other.follow_ups.count() == 0
    assert other.merged_into == keep and other.status == Lead.Status.INVALID
    assert keep.events.filter(kind="merged_from").exists()
    assert other.events.filter(kind="merged_into").exists()
    assert other.events.filter(kind="followed_up").exists()  # its own history stays


def test_leads_of_different_companies_do_not_merge(park_a, investment_officer):
    keep = make_lead(park=park_a, company="甲公司")
    other = make_lead(park=park_a, company="乙公司")

    with pytest.raises(ValidationError):
        lead_merge(actor=investment_officer, keep=keep, other=other)

    other.refresh_from_db()
    assert other.merged_into is None
