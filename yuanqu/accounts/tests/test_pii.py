from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuanqu.accounts.models import PersonalDataAccess, SecurityEvent
from yuanqu.accounts.pii import display_mobile, lead_mobile_reveal, mask_mobile, national_number
from yuanqu.accounts.tests.factories import make_lead


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8613812341234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("13812341234", "138****1234"),
        ("+14155552671", "415****2671"),
        ("", ""),
    ],
)
def test_mask_mobile_keeps_three_leading_and_four_trailing_digits(e164, masked):
    assert mask_mobile(e164) == masked


def test_mask_mobile_hides_almost_all_of_a_short_number():
    assert mask_mobile("+861234") == "****"


def test_national_number_drops_the_chinese_country_code():
    assert national_number("+8613812341234") == "13812341234"


def test_display_mobile_groups_a_chinese_mobile_in_three_four_four():
    assert display_mobile("+8613812341234") == "138 1234 1234"


@pytest.mark.django_db
def test_reveal_returns_the_mobile_to_an_officer_of_the_leads_park(investment_officer, park_a):
    lead = make_lead(park=park_a, mobile="+8613900001111")

    assert (
        lead_mobile_reveal(user=investment_officer, lead=lead, reason="电话回访")
        == "+8613900001111"
    )


@pytest.mark.django_db
def test_reveal_writes_an_access_log_row_with_who_which_lead_and_why(investment_officer, park_a):
    lead = make_lead(park=park_a)

    lead_mobile_reveal(user=investment_officer, lead=lead, reason="  电话回访  确认需求 ")

    access = PersonalDataAccess.objects.get()
    assert (access.user, access.lead, access.lead_reference, access.reason) == (
        investment_officer,
        lead,
        lead.reference,
        "电话回访 确认需求",
    )


@pytest.mark.django_db
def test_reveal_without_a_reason_is_refused_and_not_logged(investment_officer, park_a):
    lead = make_lead(park=park_a)

    with pytest.raises(ValidationError):
        lead_mobile_reveal(user=investment_officer, lead=lead, reason="   ")

    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_reveal_with_an_overlong_reason_is_refused(investment_officer, park_a):
    lead = make_lead(park=park_a)

    with pytest.raises(ValidationError):
        lead_mobile_reveal(user=investment_officer, lead=lead, reason="理" * 201)


@pytest.mark.django_db
def test_reveal_by_an_officer_of_another_park_is_denied(other_park_officer, park_a):
    lead = make_lead(park=park_a)

    with pytest.raises(PermissionDenied):
        lead_mobile_reveal(user=other_park_officer, lead=lead, reason="好奇")

    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_refused_reveal_writes_a_security_event(leadership, park_a):
    lead = make_lead(park=park_a)

    with pytest.raises(PermissionDenied):
        lead_mobile_reveal(user=leadership, lead=lead, reason="汇报")

    assert SecurityEvent.objects.get().kind == SecurityEvent.Kind.REVEAL_REFUSED


@pytest.mark.django_db
def test_editor_may_not_reveal(editor, park_a):
    lead = make_lead(park=park_a)

    with pytest.raises(PermissionDenied):
        lead_mobile_reveal(user=editor, lead=lead, reason="核对")
