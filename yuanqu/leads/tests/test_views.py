from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.leads.services import lead_submit
from yuanqu.matching.tests.factories import make_carrier, make_lead
from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_industry, make_park

pytestmark = pytest.mark.django_db

NEW = "/needs/new/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(**fields):
    data = {
        "kind": "factory",
        "deal": "rent",
        "area_min": "1000",
        "area_max": "1500",
        "area_unit": "m2",
        "mobile": "13812341234",
        "consent": "on",
        "idempotency_key": "view-key-1",
        "action": "submit",
    }
    data.update(fields)
    return data


def test_a_submission_while_the_database_is_unreachable_says_so_and_keeps_nothing(
    client, monkeypatch
):
    from django.db import OperationalError

    def refuse(**_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("yuanqu.leads.views.lead_submit", refuse)

    response = client.post(NEW, form_data())

    assert response.status_code == 503
    assert "同一份需求表单重复提交只会记录一次" in response.content.decode()
    assert not Lead.objects.exists()


def test_need_form_renders_the_first_screen_and_the_optional_section(client):
    response = client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="mobile"' in html
    assert "<details" in html and 'name="company"' in html
    assert reverse("leads:privacy") in html


def test_need_form_is_prefilled_from_the_query_string(client):
    park = make_park()
    make_industry("3514")
    response = client.get(
        NEW,
        {
            "park": park.pk,
            "industry": "3514",
            "kind": "land",
            "deal": "buy",
            "area_min": "2000",
            "source": "/news/1/",
        },
    )
    form = response.context["form"]
    assert form.initial["parks"] == [str(park.pk)]
    assert form.initial["industry"] == "3514"
    assert (form.initial["kind"], form.initial["deal"], form.initial["area_min"]) == (
        "land",
        "buy",
        "2000",
    )
    assert form.initial["source"] == "/news/1/"


def test_prefill_from_a_carrier_takes_its_kind_deal_and_park(client):
    carrier = make_carrier(kind="warehouse", deal="sale")
    form = client.get(NEW, {"carrier": carrier.pk}).context["form"]
    assert (form.initial["kind"], form.initial["deal"]) == ("warehouse", "buy")
    assert form.initial["parks"] == [str(carrier.park_id)]


def test_prefill_ignores_a_source_on_another_host(client):
    form = client.get(NEW, {"source": "//evil.example/x"}).context["form"]
    assert "source" not in form.initial


def test_valid_submission_stores_the_lead_and_redirects_to_its_private_results(client):
    response = client.post(NEW, form_data(mobile="１３８ １２３４ １２３４"))

    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:results", args=[lead.access_token])
    assert lead.mobile == "+8613812341234"
    assert lead.consent_ip == "127.0.0.1"


def test_land_area_in_mu_is_stored_in_square_metres(client):
    client.post(NEW, form_data(kind="land", deal="buy", area_min="30", area_max="", area_unit="mu"))
    assert Lead.objects.get().area_min_m2 == 20000


def test_invalid_fields_return_the_form_with_input_kept_and_errors_beside_fields(client):
    response = client.post(
        NEW, form_data(mobile="12345", company="测试<script>alert(1)</script>公司", consent="")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not Lead.objects.exists()
    assert 'id="id_mobile_error"' in html and "有效的中国大陆手机号" in html
    assert 'id="id_consent_error"' in html
    assert 'value="12345"' in html
    assert "测试&lt;script&gt;alert(1)&lt;/script&gt;公司" in html
    assert "<script>alert(1)" not in html


def test_area_range_must_be_in_order(client):
    response = client.post(NEW, form_data(area_min="2000", area_max="1000"))
    assert response.status_code == 400
    assert "上限不能小于下限" in response.content.decode()


def test_oversized_pasted_text_is_refused_with_a_clear_message(client):
    response = client.post(NEW, form_data(need_text="厂" * 100_000))
    assert response.status_code == 400
    assert "需求描述最多 2000 字,您粘贴了 100000 字" in response.content.decode()
    assert not Lead.objects.exists()


def test_emoji_and_traditional_characters_are_stored_as_typed(client):
    client.post(NEW, form_data(company="徐州機械有限公司🚜", intended_use="生產挖掘機配件"))
    lead = Lead.objects.get()
    assert lead.company == "徐州機械有限公司🚜"
    assert lead.intended_use == "生產挖掘機配件"


def test_honeypot_filled_stores_nothing(client):
    response = client.post(NEW, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_rate_limited_submission_is_refused_with_429(client, settings):
    settings.LEAD_RATE_LIMIT_PER_IP_HOUR = 1
    client.post(NEW, form_data())
    response = client.post(NEW, form_data(idempotency_key="view-key-2", mobile="13912345678"))
    assert response.status_code == 429
    assert Lead.objects.count() == 1


def test_double_tap_with_the_same_key_lands_on_the_same_results(client):
    first = client.post(NEW, form_data())
    second = client.post(NEW, form_data())
    assert first["Location"] == second["Location"]
    assert Lead.objects.count() == 1


def test_find_industry_without_javascript_lists_matches_and_stores_nothing(client):
    make_industry("3514", "建筑工程用机械制造")
    response = client.post(NEW, form_data(action="find_industry", industry_query="3514"))
    assert response.status_code == 200
    assert '<option value="3514">' in response.content.decode()
    assert not Lead.objects.exists()


def test_industry_autocomplete_returns_only_the_choices_fragment(client):
    make_industry("3514", "建筑工程用机械制造")
    response = client.get(reverse("leads:industry_choices"), {"industry_query": "3514"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="industry-choices"')
    assert "3514" in html and "<html" not in html


def test_parse_without_text_asks_for_it_and_stores_nothing(client):
    response = client.post(NEW, {"action": "parse", "need_text": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="need-form-region"')
    assert "请先粘贴或输入需求描述" in html
    assert not Lead.objects.exists()


def test_pasted_message_fills_the_form_fragment_for_confirmation(client):
    text = "想在经开区附近租个5000平左右的厂房,层高8米以上,要10吨行车"
    response = client.post(
        NEW, {"action": "parse", "need_text": text, "idempotency_key": "k"}, **HTMX
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["kind"] == "factory" and form.initial["deal"] == "rent"
    assert "kind" in response.context["filled"]
    assert not Lead.objects.exists()


def test_need_form_refuses_other_methods(client):
    assert client.put(NEW).status_code == 405
    assert client.delete(NEW).status_code == 405


def test_results_page_shows_the_receipt_and_the_snapshot(client):
    carrier = make_carrier(title="铜山高标准厂房")
    client.post(NEW, form_data())
    lead = Lead.objects.get()

    response = client.get(reverse("leads:results", args=[lead.access_token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert lead.reference in html
    assert carrier.title in html and "✓" in html
    assert response["Cache-Control"] == "private, no-store"


def test_results_page_of_an_unknown_token_is_not_found(client):
    assert client.get("/needs/r/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_withdraw_through_the_private_link(client):
    lead = lead_submit(
        data={"kind": "factory", "deal": "rent", "mobile": "+8613812341234", "consent": True},
        idempotency_key="k",
        ip=None,
    ).lead

    response = client.post(reverse("leads:withdraw", args=[lead.access_token]))

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.WITHDRAWN


def test_withdraw_refuses_get(client):
    lead = make_lead()
    assert client.get(reverse("leads:withdraw", args=[lead.access_token])).status_code == 405


def test_deletion_request_through_the_private_link_erases_personal_data(client):
    lead = make_lead(company="某公司", contact_name="王经理")

    client.post(reverse("leads:delete", args=[lead.access_token]))

    lead.refresh_from_db()
    assert lead.deletion_requested_at is not None
    assert (lead.company, lead.contact_name, lead.mobile) == ("", "", "")


def test_privacy_notice_shows_its_version(client):
    from yuanqu.leads.privacy import PRIVACY_NOTICE_VERSION

    response = client.get(reverse("leads:privacy"))
    assert PRIVACY_NOTICE_VERSION in response.content.decode()


# ---------------------------------------------------------------------------------------
# Staff


def test_staff_of_the_leads_park_see_what_the_person_saw_with_the_mobile_masked(
    login_as, park_a, investment_officer
):
    lead = make_lead(
        park=park_a,
        need_text="<b>急</b>",
        match_snapshot={"carriers": [], "parks": [], "near_misses": []},
    )

    response = login_as(investment_officer).get(reverse("inbox:detail", args=[lead.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "138****0000" in html and "+8613812340000" not in html
    assert "&lt;b&gt;急&lt;/b&gt;" in html


def test_staff_of_another_park_cannot_see_the_lead(login_as, park_a, other_park_officer):
    lead = make_lead(park=park_a)
    response = login_as(other_park_officer).get(reverse("inbox:detail", args=[lead.pk]))
    assert response.status_code == 404


def test_staff_rerun_replaces_the_snapshot_and_records_it(login_as, park_a, investment_officer):
    lead = make_lead(park=park_a)
    carrier = make_carrier(park=park_a)

    response = login_as(investment_officer).post(reverse("inbox:rematch", args=[lead.pk]))

    assert response.status_code == 302
    lead.refresh_from_db()
    snapshot = lead.match_snapshot or {}
    assert [item["carrier_id"] for item in snapshot["carriers"]] == [carrier.pk]
    assert lead.events.filter(kind=LeadEvent.Kind.REMATCHED).exists()


def test_staff_see_both_submissions_of_a_merged_lead(login_as, park_a, investment_officer):
    data = {
        "kind": "factory",
        "deal": "rent",
        "mobile": "+8613812341234",
        "consent": True,
        "park_ids": [park_a.pk],
        "park_id": park_a.pk,
    }
    lead = lead_submit(data={**data, "need_text": "第一次"}, idempotency_key="k1", ip=None).lead
    lead_submit(data={**data, "need_text": "第二次"}, idempotency_key="k2", ip=None)

    html = (
        login_as(investment_officer).get(reverse("inbox:detail", args=[lead.pk])).content.decode()
    )

    assert "第一次" in html and "第二次" in html
    assert "重复提交,已合并" in html


def test_wanted_places_are_checked_against_the_active_parks_and_home_districts(client):
    from yuanqu.parks.tests.factories import make_region

    park = make_park()
    closed = make_park(is_active=False)
    make_region(code="320312", name="铜山区")
    elsewhere = make_region(code="320106", name="鼓楼区", parent=make_region(code="320100"))

    for field, value in (
        ("parks", str(closed.pk)),
        ("parks", "999999"),
        ("parks", f"0{park.pk}"),
        ("parks", "1" * 30),
        ("regions", elsewhere.code),
    ):
        response = client.post(NEW, form_data(**{field: [value]}, idempotency_key=value))
        assert response.status_code == 400, (field, value)
        assert f'id="id_{field}_error"' in response.content.decode()

    response = client.post(NEW, form_data(parks=[str(park.pk)], regions=["320312"]))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert list(lead.parks.all()) == [park]
    assert list(lead.regions.values_list("code", flat=True)) == ["320312"]


def test_a_valid_submission_does_not_read_the_whole_park_list(
    client, django_assert_max_num_queries
):
    from yuanqu.leads.forms import NeedForm

    parks = [make_park() for _ in range(3)]
    data = QueryDict(mutable=True)
    data.update(form_data(industry=""))
    data.setlist("parks", [str(parks[1].pk)])

    # one query for the posted park, none for the district list or the other parks
    with django_assert_max_num_queries(1):
        form = NeedForm(data)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["parks"] == [str(parks[1].pk)]
    # the whole list is still there to render the form
    assert [value for value, _label in form.fields["parks"].choices] == sorted(  # type: ignore[attr-defined]
        (str(park.pk) for park in parks), key=lambda pk: Park.objects.get(pk=pk).name
    )


def test_results_page_reads_the_lead_in_one_query(client, django_assert_max_num_queries):
    make_industry("3514")
    make_carrier()
    client.post(NEW, form_data(industry="3514"))
    lead = Lead.objects.get()
    assert lead.industry_id == "3514" and lead.match_snapshot
    url = reverse("leads:results", args=[lead.access_token])

    # the lead with its industry; nothing else is read to render the page
    with django_assert_max_num_queries(1):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert lead.reference in html and "3514" in html and "1,000" in html


def test_the_industry_read_to_check_the_form_is_the_one_the_match_uses():
    from yuanqu.leads.forms import NeedForm

    industry = make_industry("3514", "建筑工程用机械制造")
    park = make_park()
    park.leading_industries.add(industry)
    make_carrier(park=park)
    form = NeedForm(form_data(industry="3514"))
    assert form.is_valid(), form.errors

    data = form.lead_data()
    lead = lead_submit(data=data, idempotency_key="industry", ip=None).lead

    assert data["industry"].code == data["industry_code"] == "3514"
    lead.refresh_from_db()
    reasons = (lead.match_snapshot or {})["carriers"][0]["reasons"]
    assert any(
        item["criterion"] == "industry" and "3514 建筑工程用机械制造" in item["text"]
        for item in reasons
    )
