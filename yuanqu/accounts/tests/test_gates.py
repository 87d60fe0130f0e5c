from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yuanqu.accounts import gates
from yuanqu.accounts.models import Membership, SecurityEvent
from yuanqu.accounts.tests.factories import make_lead, make_staff, make_user
from yuanqu.parks.tests.factories import make_park, make_region

pytestmark = pytest.mark.django_db


def test_site_admin_sees_every_park(site_admin, park_a, park_b):
    assert set(gates.parks_for_user(site_admin)) == {park_a, park_b}


def test_park_manager_sees_only_their_park(park_manager, park_a, park_b):
    assert list(gates.parks_for_user(park_manager)) == [park_a]


def test_park_staff_see_the_sub_parks_of_their_park(investment_officer, park_a):
    sub_park = make_park(parent=park_a)

    assert set(gates.parks_for_user(investment_officer)) == {park_a, sub_park}


def test_leadership_sees_every_park_of_its_region_including_sub_regions(leadership, park_a, park_b):
    province = make_region(code="320000", name="江苏省", level="province")
    nanjing = make_region(code="320100", name="南京市", level="prefecture", parent=province)
    elsewhere = make_park(region=make_region(code="320102", name="玄武区", parent=nanjing))

    visible = set(gates.parks_for_user(leadership))

    assert visible == {park_a, park_b}
    assert elsewhere not in visible


def test_editor_sees_no_park_scoped_data(editor, park_a):
    assert not gates.parks_for_user(editor).exists()


def test_user_without_role_sees_no_park(park_a):
    assert not gates.parks_for_user(make_user()).exists()


def test_anonymous_user_sees_no_park(park_a):
    from django.contrib.auth.models import AnonymousUser

    assert not gates.parks_for_user(AnonymousUser()).exists()


def test_inactive_park_manager_sees_nothing(park_a):
    user = make_staff(role=Membership.Role.PARK_MANAGER, park=park_a, is_active=False)

    assert not gates.parks_for_user(user).exists()


def test_investment_officer_may_edit_their_park(investment_officer, park_a):
    assert gates.user_can_edit_park(investment_officer, park_a)


def test_investment_officer_may_not_edit_another_park(investment_officer, park_b):
    assert not gates.user_can_edit_park(investment_officer, park_b)


def test_leadership_may_edit_no_park(leadership, park_a):
    assert not gates.user_can_edit_park(leadership, park_a)


def test_only_park_managers_edit_the_park_profile(park_manager, investment_officer, park_a):
    assert gates.user_can_edit_park_profile(park_manager, park_a)
    assert not gates.user_can_edit_park_profile(investment_officer, park_a)


def test_lead_of_another_park_is_not_found(investment_officer, park_b):
    lead = make_lead(park=park_b)

    with pytest.raises(Http404):
        gates.lead_for_user_or_404(investment_officer, lead.pk)


def test_probing_a_lead_of_another_park_writes_a_security_event(investment_officer, park_b):
    lead = make_lead(park=park_b)

    with pytest.raises(Http404):
        gates.lead_for_user_or_404(investment_officer, lead.pk)

    event = SecurityEvent.objects.get()
    assert (event.user, event.target) == (investment_officer, f"leads.lead:{lead.pk}")


def test_a_lead_id_that_does_not_exist_is_not_found_without_an_event(investment_officer):
    with pytest.raises(Http404):
        gates.lead_for_user_or_404(investment_officer, 987654)

    assert not SecurityEvent.objects.exists()


def test_a_malformed_lead_id_is_not_found(investment_officer):
    with pytest.raises(Http404):
        gates.lead_for_user_or_404(investment_officer, "1 OR 1=1")


def test_own_park_lead_is_returned(investment_officer, park_a):
    lead = make_lead(park=park_a)

    assert gates.lead_for_user_or_404(investment_officer, lead.pk) == lead


def test_leadership_may_view_a_lead_but_not_change_it(leadership, park_a):
    lead = make_lead(park=park_a)

    assert gates.lead_for_user_or_404(leadership, lead.pk) == lead
    with pytest.raises(PermissionDenied):
        gates.lead_for_user_or_404(leadership, lead.pk, for_change=True)


def test_leads_without_a_park_are_visible_to_site_admins_only(site_admin, park_manager):
    lead = make_lead(park=None)

    assert list(gates.lead_queryset_for_user(site_admin)) == [lead]
    assert not gates.lead_queryset_for_user(park_manager).exists()


def test_lead_queryset_holds_only_the_users_park(investment_officer, park_a, park_b):
    own = make_lead(park=park_a)
    make_lead(park=park_b)

    assert list(gates.lead_queryset_for_user(investment_officer)) == [own]


def test_leadership_lead_queryset_for_change_is_empty(leadership, park_a):
    make_lead(park=park_a)

    assert not gates.lead_queryset_for_user(leadership, for_change=True).exists()


@pytest.mark.parametrize(
    ("cast", "expected"),
    [
        ("site_admin", True),
        ("park_manager", True),
        ("investment_officer", True),
        ("other_park_officer", False),
        ("leadership", False),
        ("editor", False),
    ],
)
def test_who_may_reveal_a_park_a_lead_mobile(request, park_a, cast, expected):
    user = request.getfixturevalue(cast)
    lead = make_lead(park=park_a)

    assert gates.can_reveal_mobile(user, lead) is expected


def test_scope_is_computed_once_per_user_object(
    investment_officer, park_a, django_assert_num_queries
):
    gates.parks_for_user(investment_officer)

    with django_assert_num_queries(0):
        gates.user_can_edit_park(investment_officer, park_a)
        gates.is_staff_member(investment_officer)


def test_client_ip_is_remote_addr_without_trusted_proxies(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert gates.client_ip(request) == "10.0.0.5"


def test_client_ip_behind_one_trusted_proxy_is_the_forwarded_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")

    assert gates.client_ip(request) == "1.2.3.4"
