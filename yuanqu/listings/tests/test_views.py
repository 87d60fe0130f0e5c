import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.listings.catalogue_index import catalogue_index
from yuanqu.listings.tests.factories import make_carrier

pytestmark = pytest.mark.django_db
SEARCH = "/carriers/"


def test_the_search_page_lists_public_carriers(client, park_a):
    make_carrier(park=park_a, title="铜山单层厂房")

    response = client.get(SEARCH)

    assert response.status_code == 200
    assert "铜山单层厂房" in response.content.decode()


def test_an_htmx_request_gets_only_the_results_and_the_canonical_url(client, park_a):
    make_carrier(park=park_a, title="铜山单层厂房")

    response = client.get(
        SEARCH, {"kind": "factory", "area_min": "", "sort": "fresh"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "<html" not in body and 'id="results"' in body
    assert response["HX-Push-Url"] == "/carriers/?kind=factory"


def test_bad_filter_values_show_a_notice_and_never_fail(client, park_a):
    make_carrier(park=park_a, title="铜山单层厂房")

    response = client.get(
        SEARCH,
        {
            "area_min": "-5",
            "price_min": "abc",
            "district": "999999",
            "page": "x",
            "sort": "'; drop table",
            "area_max": "9" * 40,
            "park": "1 OR 1=1",
            "bbox": "x",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "已忽略" in body and "铜山单层厂房" in body


def test_the_search_refuses_post(client):
    assert client.post(SEARCH).status_code == 405


@pytest.mark.parametrize("count", [2, 25])
def test_the_search_page_query_count_does_not_grow_with_carriers(
    client, park_a, park_b, count, django_assert_max_num_queries
):
    for number in range(count):
        make_carrier(park=park_a if number % 2 else park_b, title=f"厂房{number}")

    # Generation, filter choices, the catalogue index (built on this first request), the
    # page's rows and their photos; facet counts and the ordering come from the index.
    with django_assert_max_num_queries(5):
        response = client.get(SEARCH, {"kind": "factory", "height_min": "5", "sort": "price"})

    assert response.status_code == 200


def test_the_map_endpoint_uses_the_same_filters_as_the_list(client, park_a):
    factory = make_carrier(park=park_a)
    make_carrier(park=park_a, kind="warehouse")

    response = client.get(reverse("listings:map_points"), {"kind": "factory"})

    assert [point[0] for point in json.loads(response.content)["points"]] == [factory.pk]


def test_the_detail_page_shows_prices_in_all_units_and_the_prefilled_need_link(client, park_a):
    carrier = make_carrier(
        park=park_a,
        price_value=Decimal("0.5"),
        price_unit="yuan_m2_day",
        building_area_m2=Decimal("2000"),
    )

    body = client.get(carrier.get_absolute_url()).content.decode()

    assert "15" in body and "30,000" in body  # 元/㎡·月 and 元/月 total
    assert "30 天" in body
    assert (
        f"/needs/new/?carrier={carrier.pk}&amp;park={park_a.pk}&amp;kind=factory&amp;deal=rent"
        in body
    )


def test_a_hidden_carrier_detail_is_not_found(client, park_a):
    carrier = make_carrier(park=park_a, confirmed_days_ago=200)

    assert client.get(carrier.get_absolute_url()).status_code == 404


def test_a_sample_carrier_is_marked_as_sample_data(client, park_a):
    carrier = make_carrier(park=park_a, is_sample=True)

    assert "示例数据" in client.get(carrier.get_absolute_url()).content.decode()


def test_compare_keeps_at_most_four_carriers_in_the_session(client, park_a):
    carriers = [make_carrier(park=park_a, title=f"载体{n}") for n in range(5)]

    for carrier in carriers:
        client.post(reverse("listings:compare_toggle"), {"carrier": carrier.pk})

    # The fifth is refused (with a notice), not swapped for the first one.
    assert client.session["listings_compare"] == [c.pk for c in carriers[:4]]


def test_a_shared_compare_link_shows_the_total_monthly_cost_with_the_property_fee(client, park_a):
    first = make_carrier(
        park=park_a,
        title="甲",
        price_value=Decimal("10"),
        property_fee_yuan_m2_month=Decimal("2"),
        building_area_m2=Decimal("1000"),
    )
    second = make_carrier(park=park_a, title="乙")

    body = client.get(
        reverse("listings:compare"), {"ids": f"{first.pk},{second.pk},x"}
    ).content.decode()

    assert "12,000" in body  # (10 + 2) × 1000
    assert "甲" in body and "乙" in body


def test_saving_a_search_by_e_mail_sends_the_opt_in_link(
    client, park_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    from yuanqu.listings.models import SavedSearch
    from yuanqu.listings.tasks import saved_search_send_verification

    response = client.post(
        reverse("listings:saved_search_new"),
        {
            "qs": "kind=factory&deal=rent",
            "channel": "email",
            "email": "a@example.com",
            "frequency": "weekly",
            "consent": "on",
        },
    )
    saved_search = SavedSearch.objects.get()
    saved_search_send_verification.call(saved_search.pk)

    assert response.status_code == 200
    assert saved_search.query_string == "kind=factory&deal=rent"
    assert "/carriers/saved/confirm/" in mail.outbox[0].body


def test_saving_a_search_without_consent_shows_the_error(client):
    response = client.post(
        reverse("listings:saved_search_new"),
        {
            "qs": "kind=factory",
            "channel": "email",
            "email": "a@example.com",
            "frequency": "instant",
        },
    )

    assert response.status_code == 200
    assert "同意" in response.content.decode()


def test_the_unsubscribe_link_works_with_one_click(client):
    from yuanqu.listings.models import SavedSearch
    from yuanqu.listings.tests.factories import make_saved_search

    saved_search = make_saved_search()

    response = client.get(saved_search.unsubscribe_path())

    assert response.status_code == 200
    assert SavedSearch.objects.get().status == SavedSearch.Status.UNSUBSCRIBED


def test_mail_clients_can_unsubscribe_by_post_without_a_csrf_token():
    from django.test import Client

    from yuanqu.listings.tests.factories import make_saved_search

    saved_search = make_saved_search()
    client = Client(enforce_csrf_checks=True)

    assert (
        client.post(saved_search.unsubscribe_path(), {"List-Unsubscribe": "One-Click"}).status_code
        == 200
    )


@pytest.mark.parametrize("similar", [0, 6])
def test_the_detail_page_query_count_does_not_grow_with_similar_carriers(
    client, park_a, similar, django_assert_max_num_queries
):
    carrier = make_carrier(park=park_a)
    for _ in range(similar):
        make_carrier(park=park_a)
    catalogue_index()  # built once per change of the catalogue, not per request

    # The carrier and its photos, the catalogue generation, the similar ones and their photos.
    with django_assert_max_num_queries(5):
        assert client.get(carrier.get_absolute_url()).status_code == 200


def test_the_map_is_capped_and_says_so(client, park_a, monkeypatch):
    from yuanqu.listings import selectors

    monkeypatch.setattr(selectors, "MAP_POINT_LIMIT", 2)
    for _ in range(3):
        make_carrier(park=park_a)

    data = json.loads(client.get(reverse("listings:map_points")).content)

    assert len(data["points"]) == 2 and data["truncated"] is True


def test_the_map_payload_is_served_gzipped_to_browsers_that_accept_it(client, park_a):
    for _ in range(6):
        make_carrier(park=park_a)

    response = client.get(reverse("listings:map_points"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"


def test_the_code_page_offers_a_resend_that_refuses_get(client):
    from yuanqu.listings.tests.factories import make_saved_search

    saved_search = make_saved_search(channel="sms", mobile="+8613812345678", status="pending")
    resend = reverse("listings:saved_search_resend", args=[saved_search.token])

    assert (
        resend
        in client.get(
            reverse("listings:saved_search_verify", args=[saved_search.token])
        ).content.decode()
    )
    assert client.get(resend).status_code == 405
    assert client.post(resend).status_code == 302


def test_a_repeated_search_without_cookies_is_served_from_the_cache(
    client, park_a, django_assert_num_queries
):
    make_carrier(park=park_a, title="铜山单层厂房")
    first = client.get(SEARCH, {"kind": "factory"})

    with django_assert_num_queries(1):  # the catalogue generation, part of the cache key
        second = client.get(SEARCH, {"kind": "factory"})

    # The same page but for the compare form's CSRF token, which is each visitor's own.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", second.content) == token.sub(b"", first.content)
    assert token.findall(second.content) != token.findall(first.content)


def test_a_new_carrier_shows_at_once_despite_the_cache(
    client, park_a, django_capture_on_commit_callbacks
):
    client.get(SEARCH)

    with django_capture_on_commit_callbacks(execute=True):
        make_carrier(park=park_a, title="刚发布的厂房")

    assert "刚发布的厂房" in client.get(SEARCH).content.decode()


def test_a_visitor_with_a_compare_list_sees_it_on_the_search_page(client, park_a):
    carrier = make_carrier(park=park_a)
    client.get(SEARCH)  # cached for visitors without cookies

    client.post(reverse("listings:compare_toggle"), {"carrier": carrier.pk})

    assert "查看对比" in client.get(SEARCH).content.decode()


def test_a_query_that_looks_like_sql_is_just_text(client, park_a):
    make_carrier(park=park_a, title="铜山单层厂房")

    response = client.get(SEARCH, {"q": '" OR 1=1 --'})

    assert response.status_code == 200
    assert "铜山单层厂房" not in response.content.decode()


def test_a_form_sent_without_javascript_is_redirected_to_the_short_url(client):
    response = client.get(SEARCH, {"q": "", "area_min": "", "kind": "factory", "sort": "fresh"})

    assert response.status_code == 302
    assert response["Location"] == "/carriers/?kind=factory"
