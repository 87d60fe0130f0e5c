"""The admin obeys the gates: LeadAdmin masking and reveal, tampering refused and logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yuanqu.accounts.models import PersonalDataAccess, SecurityEvent
from yuanqu.accounts.tests.factories import make_lead
from yuanqu.leads.models import Lead

pytestmark = pytest.mark.django_db


def _change_data(client, lead: Lead, **overrides) -> dict:
    """The change form as the admin renders it (so new Lead fields need no edit here)."""
    form = client.get(reverse("admin:leads_lead_change", args=[lead.pk])).context["adminform"].form
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "true" if value is True else value
    data.update(overrides)
    data["_save"] = "保存"
    return data


def test_lead_changelist_shows_masked_mobiles_only(login_as, investment_officer, park_a):
    make_lead(park=park_a)

    content = (
        login_as(investment_officer).get(reverse("admin:leads_lead_changelist")).content.decode()
    )

    assert "138****1234" in content
    assert "13812341234" not in content


def test_lead_changelist_offers_reveal_to_officers_of_the_park(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)

    content = (
        login_as(investment_officer).get(reverse("admin:leads_lead_changelist")).content.decode()
    )

    assert reverse("admin:leads_lead_reveal", args=[lead.pk]) in content


def test_lead_changelist_offers_no_reveal_to_leadership(login_as, leadership, park_a):
    lead = make_lead(park=park_a)

    content = login_as(leadership).get(reverse("admin:leads_lead_changelist")).content.decode()

    assert "138****1234" in content
    assert reverse("admin:leads_lead_reveal", args=[lead.pk]) not in content


def test_lead_change_page_shows_the_mobile_masked(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    content = (
        login_as(investment_officer)
        .get(reverse("admin:leads_lead_change", args=[lead.pk]))
        .content.decode()
    )

    assert "138****1234" in content
    assert "13812341234" not in content


def test_lead_changelist_hides_other_parks_leads(login_as, investment_officer, park_a, park_b):
    make_lead(park=park_b, company="乙方保密公司")

    content = (
        login_as(investment_officer).get(reverse("admin:leads_lead_changelist")).content.decode()
    )

    assert "乙方保密公司" not in content


def test_admin_reveal_requires_a_reason_then_logs(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)
    client = login_as(investment_officer)
    url = reverse("admin:leads_lead_reveal", args=[lead.pk])

    refused = client.post(url, {"reason": ""}).content.decode()
    shown = client.post(url, {"reason": "电话回访"}).content.decode()

    assert "138 1234 1234" not in refused
    assert "138 1234 1234" in shown
    assert PersonalDataAccess.objects.count() == 1


def test_admin_reveal_is_refused_to_leadership(login_as, leadership, park_a):
    lead = make_lead(park=park_a)

    response = login_as(leadership).post(
        reverse("admin:leads_lead_reveal", args=[lead.pk]), {"reason": "汇报"}
    )

    assert response.status_code == 403


def test_park_manager_can_change_their_parks_lead_in_the_admin(login_as, park_manager, park_a):
    lead = make_lead(park=park_a)

    client = login_as(park_manager)

    response = client.post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        _change_data(client, lead, status="following"),
    )

    lead.refresh_from_db()
    assert response.status_code == 302
    assert lead.status == "following"


def test_posting_another_park_into_the_park_field_is_refused(
    login_as, park_manager, park_a, park_b
):
    lead = make_lead(park=park_a)

    client = login_as(park_manager)

    response = client.post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        _change_data(client, lead, status="following", park=park_b.pk),
        follow=True,
    )

    lead.refresh_from_db()
    assert (lead.park, lead.status) == (park_a, "new")
    assert "您无权把记录归到该园区" in response.content.decode()


def test_a_tampered_park_field_writes_a_security_event(login_as, park_manager, park_a, park_b):
    lead = make_lead(park=park_a)

    client = login_as(park_manager)

    client.post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        _change_data(client, lead, park=park_b.pk),
    )

    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.target) == (
        SecurityEvent.Kind.TAMPERED_FIELD,
        park_manager,
        f"leads.lead:{lead.pk}",
    )


def test_adding_a_lead_into_another_park_is_refused(login_as, park_manager, park_b):
    response = login_as(park_manager).post(
        reverse("admin:leads_lead_add"),
        {
            "reference": "X1",
            "idempotency_key": "x1",
            "kind": "factory",
            "deal": "rent",
            "status": "new",
            "park": park_b.pk,
        },
    )

    assert response.status_code == 302
    assert not Lead.objects.exists()


def test_posting_a_change_to_another_parks_lead_is_not_found_and_logged(
    login_as, park_manager, park_b
):
    lead = make_lead(park=park_b)

    response = login_as(park_manager).post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        {"kind": "factory", "deal": "rent", "status": "invalid", "park": park_b.pk},
    )

    lead.refresh_from_db()
    assert response.status_code == 404
    assert lead.status == "new"
    assert SecurityEvent.objects.filter(target=f"leads.lead:{lead.pk}").exists()


def test_leadership_posting_a_change_is_forbidden_and_logged(login_as, leadership, park_a):
    lead = make_lead(park=park_a)

    response = login_as(leadership).post(
        reverse("admin:leads_lead_change", args=[lead.pk]),
        {"kind": "factory", "deal": "rent", "status": "invalid", "park": park_a.pk},
    )

    lead.refresh_from_db()
    assert response.status_code == 403
    assert lead.status == "new"
    assert SecurityEvent.objects.filter(user=leadership).exists()


def test_park_drop_down_offers_only_editable_parks(login_as, park_manager, park_a, park_b):
    lead = make_lead(park=park_a)

    response = login_as(park_manager).get(reverse("admin:leads_lead_change", args=[lead.pk]))

    choices = list(response.context["adminform"].form.fields["park"].queryset)
    assert choices == [park_a]


def test_bulk_delete_of_forged_ids_touches_only_own_objects(login_as, park_manager, park_a, park_b):
    own = make_lead(park=park_a)
    other = make_lead(park=park_b)

    login_as(park_manager).post(
        reverse("admin:leads_lead_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )

    assert list(Lead.objects.all()) == [other]


def test_erase_action_is_offered_to_site_admins_only(login_as, site_admin, park_manager, park_a):
    make_lead(park=park_a)

    admin_page = login_as(site_admin).get(reverse("admin:leads_lead_changelist")).content.decode()
    manager_page = (
        login_as(park_manager).get(reverse("admin:leads_lead_changelist")).content.decode()
    )

    assert "erase_personal_data" in admin_page
    assert "erase_personal_data" not in manager_page


def test_erase_action_blanks_the_selected_persons_data(login_as, site_admin, park_a):
    lead = make_lead(park=park_a)

    login_as(site_admin).post(
        reverse("admin:leads_lead_changelist"),
        {"action": "erase_personal_data", "_selected_action": [lead.pk]},
    )

    lead.refresh_from_db()
    assert (lead.mobile, lead.contact_name) == ("", "")


def test_security_events_are_visible_to_site_admins(login_as, site_admin, park_manager, park_b):
    from yuanqu.accounts.gates import record_security_event

    record_security_event(
        user=park_manager, kind=SecurityEvent.Kind.FORBIDDEN_OBJECT, target="leads.lead:9"
    )

    content = (
        login_as(site_admin)
        .get(reverse("admin:accounts_securityevent_changelist"))
        .content.decode()
    )

    assert "leads.lead:9" in content


def test_access_log_admin_is_hidden_from_park_managers(login_as, park_manager):
    response = login_as(park_manager).get(reverse("admin:accounts_personaldataaccess_changelist"))

    assert response.status_code == 403


def test_lead_changelist_queries_do_not_grow_with_the_number_of_leads(
    login_as, investment_officer, park_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(investment_officer)
    make_lead(park=park_a)
    with CaptureQueriesContext(connection) as one_lead:
        client.get(reverse("admin:leads_lead_changelist"))
    for _number in range(10):
        make_lead(park=park_a)

    with django_assert_max_num_queries(len(one_lead.captured_queries)):
        client.get(reverse("admin:leads_lead_changelist"))


def test_editors_work_on_news_articles_in_the_admin(login_as, editor):
    response = login_as(editor).get(reverse("admin:news_article_changelist"))

    assert response.status_code == 200


def test_park_staff_have_no_news_admin(login_as, investment_officer):
    response = login_as(investment_officer).get(reverse("admin:news_article_changelist"))

    assert response.status_code == 403
