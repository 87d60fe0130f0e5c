from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.utils import timezone

from yuanqu.accounts import gates
from yuanqu.accounts.models import Membership, PersonalDataAccess, SecurityEvent
from yuanqu.accounts.services import (
    leads_anonymise_expired,
    membership_grant,
    membership_revoke,
    months_before,
    personal_data_erase,
    personal_data_export,
)
from yuanqu.accounts.tests.factories import make_lead, make_user
from yuanqu.leads.models import Lead

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _age(lead: Lead, moment: datetime) -> Lead:
    Lead.objects.filter(pk=lead.pk).update(created_at=moment, updated_at=moment)
    lead.refresh_from_db()
    return lead


# --- roles -----------------------------------------------------------------------------


def test_granting_a_role_opens_the_admin_to_the_user(park_a):
    user = make_user()

    membership_grant(user=user, role=Membership.Role.INVESTMENT_OFFICER, park=park_a)

    user.refresh_from_db()
    assert user.is_staff


def test_granting_a_role_twice_keeps_one_membership(park_a):
    user = make_user()

    membership_grant(user=user, role=Membership.Role.PARK_MANAGER, park=park_a)
    membership_grant(user=user, role=Membership.Role.PARK_MANAGER, park=park_a)

    assert Membership.objects.filter(user=user).count() == 1


def test_granting_a_role_puts_the_user_in_the_roles_group(park_a):
    user = make_user()

    membership_grant(user=user, role=Membership.Role.EDITOR)

    assert Group.objects.get(name="role:editor").user_set.filter(pk=user.pk).exists()


def test_granting_a_role_refreshes_the_users_cached_scope(park_a):
    user = make_user()
    assert not gates.parks_for_user(user).exists()

    membership_grant(user=user, role=Membership.Role.PARK_MANAGER, park=park_a)

    assert list(gates.parks_for_user(user)) == [park_a]


def test_a_park_role_without_a_park_is_refused():
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=make_user(), role=Membership.Role.PARK_MANAGER)


def test_revoking_the_last_role_closes_the_admin(park_a):
    user = make_user()
    membership = membership_grant(user=user, role=Membership.Role.PARK_MANAGER, park=park_a)

    membership_revoke(membership=membership)

    user.refresh_from_db()
    assert not user.is_staff


# --- retention -------------------------------------------------------------------------


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    moment = datetime(2026, 3, 31, 12, tzinfo=SHANGHAI)

    assert months_before(moment, 1).date().isoformat() == "2026-02-28"


def test_a_lead_untouched_past_the_retention_period_is_anonymised(park_a, settings):
    settings.LEAD_RETENTION_MONTHS = 24
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    lead = _age(
        make_lead(park=park_a, intended_use="挖掘机配件"), datetime(2024, 11, 1, tzinfo=SHANGHAI)
    )

    count = leads_anonymise_expired(now=now)

    lead.refresh_from_db()
    assert count == 1
    assert (lead.company, lead.contact_name, lead.mobile, lead.need_text, lead.intended_use) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert lead.anonymised_at == now


def test_anonymising_keeps_the_non_personal_figures(park_a):
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    lead = _age(
        make_lead(park=park_a, area_min_m2=3000, area_max_m2=6000, investment_wan=5000, jobs=80),
        datetime(2023, 1, 1, tzinfo=SHANGHAI),
    )

    leads_anonymise_expired(now=now)

    lead.refresh_from_db()
    assert (lead.kind, lead.deal, lead.park, lead.area_min_m2, lead.investment_wan, lead.jobs) == (
        Lead.Kind.FACTORY,
        Lead.Deal.RENT,
        park_a,
        3000,
        5000,
        80,
    )


def test_a_lead_younger_than_the_retention_period_is_kept(park_a):
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    lead = _age(make_lead(park=park_a), datetime(2025, 1, 1, tzinfo=SHANGHAI))

    assert leads_anonymise_expired(now=now) == 0
    lead.refresh_from_db()
    assert lead.mobile == "+8613812341234"


def test_a_converted_lead_is_kept_past_the_retention_period(park_a):
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    lead = _age(
        make_lead(park=park_a, status=Lead.Status.CONVERTED), datetime(2020, 1, 1, tzinfo=SHANGHAI)
    )

    leads_anonymise_expired(now=now)

    lead.refresh_from_db()
    assert lead.anonymised_at is None


def test_the_retention_period_follows_the_setting(park_a, settings):
    settings.LEAD_RETENTION_MONTHS = 6
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    _age(make_lead(park=park_a), datetime(2026, 3, 1, tzinfo=SHANGHAI))

    assert leads_anonymise_expired(now=now) == 1


def test_an_anonymised_lead_is_not_counted_again(park_a):
    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    _age(make_lead(park=park_a), datetime(2020, 1, 1, tzinfo=SHANGHAI))
    leads_anonymise_expired(now=now)

    assert leads_anonymise_expired(now=now) == 0


def test_anonymising_blanks_the_reason_text_of_access_logs_of_that_lead(investment_officer, park_a):
    from yuanqu.accounts.pii import lead_mobile_reveal

    lead = make_lead(park=park_a)
    lead_mobile_reveal(user=investment_officer, lead=lead, reason="回访张三")
    _age(lead, datetime(2020, 1, 1, tzinfo=SHANGHAI))

    leads_anonymise_expired(now=timezone.now())

    assert PersonalDataAccess.objects.get().reason == ""


# --- individuals' rights ---------------------------------------------------------------


def test_export_lists_every_lead_with_that_mobile(park_a, park_b):
    first = make_lead(park=park_a, mobile="+8613900002222")
    second = make_lead(park=park_b, mobile="+8613900002222")
    make_lead(park=park_a, mobile="+8613700003333")

    data = personal_data_export(mobile="13900002222")

    assert {row["reference"] for row in data["records"]["leads.Lead"]} == {
        first.reference,
        second.reference,
    }


def test_export_includes_the_access_log_of_those_leads(investment_officer, park_a):
    from yuanqu.accounts.pii import lead_mobile_reveal

    lead = make_lead(park=park_a, mobile="+8613900002222")
    lead_mobile_reveal(user=investment_officer, lead=lead, reason="电话回访")

    data = personal_data_export(mobile="+86 139 0000 2222")

    assert [row["reason"] for row in data["records"]["accounts.PersonalDataAccess"]] == ["电话回访"]


def test_erase_blanks_every_lead_with_that_mobile(park_a):
    lead = make_lead(park=park_a, mobile="+8613900002222", contact_name="李四")

    personal_data_erase(mobile="13900002222")

    lead.refresh_from_db()
    assert (lead.mobile, lead.contact_name, lead.company, lead.need_text) == ("", "", "", "")
    assert lead.anonymised_at is not None


def test_erase_leaves_other_peoples_leads_alone(park_a):
    make_lead(park=park_a, mobile="+8613900002222", contact_name="李四")
    other = make_lead(park=park_a, mobile="+8613700003333", contact_name="王五")

    personal_data_erase(mobile="13900002222")

    other.refresh_from_db()
    assert (other.mobile, other.contact_name) == ("+8613700003333", "王五")


def test_erase_cuts_the_name_out_of_other_leads_free_text(park_a):
    make_lead(park=park_a, mobile="+8613900002222", contact_name="李四")
    other = make_lead(
        park=park_a, mobile="+8613700003333", need_text="李四介绍来的,电话13900002222"
    )

    personal_data_erase(mobile="13900002222")

    other.refresh_from_db()
    assert "李四" not in other.need_text and "13900002222" not in other.need_text


def test_erase_is_logged_without_the_mobile(park_a, site_admin):
    make_lead(park=park_a, mobile="+8613900002222")

    personal_data_erase(mobile="13900002222", user=site_admin)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSONAL_DATA_REQUEST)
    assert "13900002222" not in f"{event.detail}{event.target}"


def test_erase_removes_the_leads_search_entry(park_a, django_capture_on_commit_callbacks):
    from yuanqu.core import search
    from yuanqu.leads.search_index import KIND, leads_index

    lead = make_lead(park=park_a, mobile="+8613900002222", contact_name="李四")
    leads_index(lead_ids=[lead.pk])

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(mobile="13900002222")

    assert lead.pk not in search.indexed_ids(kind=KIND)


def test_erase_refreshes_the_entry_of_a_lead_whose_text_quoted_the_name(
    park_a, django_capture_on_commit_callbacks
):
    from django.db import connection

    from yuanqu.leads.search_index import KIND, leads_index

    make_lead(park=park_a, mobile="+8613900002222", contact_name="李四")
    other = make_lead(park=park_a, mobile="+8613700003333", need_text="李四介绍来的厂房需求")
    leads_index(lead_ids=[other.pk])

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(mobile="13900002222")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body FROM search_document WHERE kind = %s AND object_id = %s", [KIND, other.pk]
        )
        (body,) = cursor.fetchone()
    assert "介绍来的厂房需求" in body and "李四" not in body


def test_anonymising_removes_the_leads_search_entry(park_a, django_capture_on_commit_callbacks):
    from yuanqu.core import search
    from yuanqu.leads.search_index import KIND, leads_index

    now = datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    lead = _age(
        make_lead(park=park_a, company="徐州某某机械"), datetime(2020, 1, 1, tzinfo=SHANGHAI)
    )
    leads_index(lead_ids=[lead.pk])

    with django_capture_on_commit_callbacks(execute=True):
        leads_anonymise_expired(now=now)

    assert lead.pk not in search.indexed_ids(kind=KIND)
