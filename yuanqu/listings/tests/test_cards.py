"""The Python-rendered cards and facet options give the same HTML as the templates they replace.

`golden/carrier_search_results.html` is the results region as the search template had it before
(a facet loop per dimension, a `{% include "listings/carrier_card.html" %}` per card); the
search page's results region must stay byte for byte what it renders.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import cast

import pytest
from django.core.cache import cache
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from yuanqu.listings import cards, selectors
from yuanqu.listings.catalogue_index import CatalogueIndex
from yuanqu.listings.filters import SORTS, CarrierFilterForm
from yuanqu.listings.models import Carrier
from yuanqu.listings.photos import carrier_photo_add
from yuanqu.listings.saved_searches import subscribe_link
from yuanqu.listings.tests.factories import image_upload, make_carrier

pytestmark = pytest.mark.django_db
SEARCH = "/carriers/"
GOLDEN = Path(__file__).parent / "golden" / "carrier_search_results.html"
COMPARE_BUTTON = re.compile(
    r'    <button type="submit" form="lst-compare" name="carrier" value="(\d+)" '
    r'id="compare-\1" class="button-secondary lst-compare" hx-post="/carriers/compare/toggle/" '
    r'hx-include="#lst-compare" hx-target="this" hx-swap="outerHTML" hx-push-url="false" '
    r'hx-indicator="this">加入对比</button>\n'
)

STATES = [
    {},
    {"kind": "factory", "sort": "price"},
    {"deal": "sale", "sort": "-area"},
    {"kind": ["land", "office"], "district": "320312", "sort": "newest"},
    {"park": "PARK_B", "crane": "1"},
    {"kind": "warehouse", "area_min": "999999"},  # nothing found
    {"sort": "fresh", "page": "2"},
    {"q": "厂房", "eia": "1"},
    {"bbox": "34.1,117.1,34.3,117.3", "view": "map"},
    {"area_min": "abc"},  # a notice
]


@pytest.fixture
def catalogue(park_a, park_b):
    """Carriers that exercise every branch of a card (and enough for two pages)."""
    made = [
        make_carrier(park=park_a, title="带<图片>的厂房 & 行车", crane_t=Decimal("10")),
        make_carrier(park=park_b, title="示例仓库", kind=Carrier.Kind.WAREHOUSE, is_sample=True),
        make_carrier(
            park=park_a,
            title="工业用地",
            kind=Carrier.Kind.LAND,
            deal=Carrier.Deal.SALE,
            building_area_m2=None,
            land_area_m2=Decimal("33350"),
            height_m=None,
            price_value=Decimal("45"),
            price_unit=Carrier.PriceUnit.WAN_PER_MU,
        ),
        make_carrier(park=park_b, title="面议写字楼", kind=Carrier.Kind.OFFICE, price_value=None,
                     price_negotiable=True, height_m=Decimal("3.5"), confirmed_days_ago=1),
        make_carrier(park=park_a, title="待确认厂房", confirmed_days_ago=200, eia_ok=True),
        make_carrier(park=park_b, title="两天前", confirmed_days_ago=2, independent_yard=True),
    ]  # fmt: skip
    made += [
        make_carrier(park=park_a if n % 2 else park_b, title=f"厂房{n}", area_m2=Decimal(900 + n))
        for n in range(22)
    ]
    carrier_photo_add(carrier=made[0], upload=image_upload())
    return made


def _golden_results(params: dict, request) -> str:
    """The results region rendered by the former template."""
    districts, parks = selectors.filter_choices()
    filters = CarrierFilterForm(request.GET, districts=districts, parks=parks).filters()
    query = filters.query_string()
    template = engines["django"].from_string(GOLDEN.read_text())
    return template.render(
        {
            "page": selectors.carrier_search(filters=filters),
            "filters": filters,
            "map_url": f"{reverse('listings:map_points')}?{query}",
            "map_settings": json.dumps(selectors.map_settings()),
            "subscribe_url": subscribe_link(filters),
            "sorts": SORTS,
        },
        request=request,
    )


def _drop_all_but_cards() -> None:
    """Forget the cached pages and results regions (cards are kept in the process, not there)."""
    cache.clear()


@pytest.mark.parametrize("state", STATES)
def test_the_results_region_is_what_the_former_templates_rendered(client, catalogue, park_b, state):
    params = {key: (str(park_b.pk) if value == "PARK_B" else value) for key, value in state.items()}
    for attempt in ("rendered", "from cached cards"):
        if attempt == "rendered":
            cache.clear()
            cards.forget()
        else:
            _drop_all_but_cards()
        response = client.get(SEARCH, params, HTTP_HX_REQUEST="true")
        request = RequestFactory().get(SEARCH, params)
        html, buttons = COMPARE_BUTTON.subn("", response.content.decode())
        assert html == _golden_results(params, request), attempt
        # The only addition: each card ends with its compare button.
        assert buttons == html.count('<article class="card lst-card')


def test_every_card_is_the_card_template(catalogue):
    now = timezone.now()
    for carrier in selectors.carrier_compare_list(ids=[c.pk for c in catalogue]):
        carrier = (
            Carrier.objects.prefetch_related("photos")
            .select_related("park", "region")
            .get(pk=carrier.pk)
        )
        expected = render_to_string("listings/carrier_card.html", {"carrier": carrier})
        assert cards.assemble(cards.card_parts(carrier), now) == expected


def test_a_cached_card_ages_with_the_clock(park_a):
    carrier = make_carrier(park=park_a, confirmed_days_ago=0)
    carrier = Carrier.objects.select_related("park", "region").get(pk=carrier.pk)
    parts = cards.card_parts(carrier)

    later = timezone.now() + timedelta(days=95)

    assert "今天确认" in cards.assemble(parts, timezone.now())
    aged = cards.assemble(parts, later)
    assert "95 天前确认" in aged and "lst-stale" in aged and "待确认" in aged


def test_a_page_whose_cards_are_all_cached_reads_no_rows(
    client, catalogue, django_assert_num_queries
):
    client.get(SEARCH, {"sort": "price"})  # renders and caches the first page's cards
    _drop_all_but_cards()

    # Generation, filter choices; no rows, no photos: all 20 cards come from the cache.
    with django_assert_num_queries(2):
        response = client.get(
            SEARCH, {"kind": ["factory", "warehouse", "office", "land"], "sort": "price"}
        )

    assert response.status_code == 200
    assert response.content.decode().count('class="card lst-card') == 20


def test_an_edited_carrier_is_never_shown_from_an_old_card(
    client, park_a, django_capture_on_commit_callbacks
):
    carrier = make_carrier(park=park_a, title="旧标题")
    client.get(SEARCH)

    with django_capture_on_commit_callbacks(execute=True):
        from yuanqu.listings.services import carrier_update

        carrier_update(carrier=carrier, values={"title": "新标题"})

    content = client.get(SEARCH, HTTP_COOKIE="seen=1").content.decode()
    assert "新标题" in content and "旧标题" not in content


# --- 加入对比 on the result cards ---------------------------------------------------------


def _button(html: str, carrier_id: int) -> str:
    match = re.search(rf'<button [^>]*id="compare-{carrier_id}"[^>]*>([^<]*)</button>', html)
    assert match, carrier_id
    return match.group(1)


def test_each_card_offers_compare_and_shows_this_visitors_list(client, park_a):
    first, second = make_carrier(park=park_a), make_carrier(park=park_a)
    anonymous = client.get(SEARCH).content.decode()  # cached for visitors without cookies

    client.post(reverse("listings:compare_toggle"), {"carrier": first.pk})
    mine = client.get(SEARCH).content.decode()

    assert _button(anonymous, first.pk) == "加入对比"
    assert _button(mine, first.pk) == "移出对比" and _button(mine, second.pk) == "加入对比"
    assert "查看对比(1)" in mine
    # The shared caches were not changed by one visitor's list.
    assert _button(Client().get(SEARCH).content.decode(), first.pk) == "加入对比"


def test_without_javascript_the_card_button_posts_and_comes_back_to_the_search(park_a):
    carrier = make_carrier(park=park_a, kind=Carrier.Kind.WAREHOUSE)
    browser = Client(enforce_csrf_checks=True)
    url = f"{SEARCH}?kind=warehouse&sort=price"
    for attempt in ("rendered", "from the page cache"):
        page = browser.get(url) if attempt == "rendered" else Client().get(url)
        fields = {
            name: unescape(value)
            for name, value in re.findall(
                r'name="(csrfmiddlewaretoken|next|from)" value="([^"]*)"', page.content.decode()
            )
        }
        assert fields["next"] == url and fields["from"] == "search", attempt
        if attempt == "from the page cache":
            browser = Client(enforce_csrf_checks=True)
            browser.cookies = page.cookies  # the CSRF cookie handed out with the cached page

        response = browser.post(
            reverse("listings:compare_toggle"), {**fields, "carrier": carrier.pk}
        )

        assert response.status_code == 302 and response["Location"] == url, attempt
        assert browser.session["listings_compare"] == [carrier.pk], attempt
        browser.post(reverse("listings:compare_toggle"), {**fields, "carrier": carrier.pk})


def test_with_htmx_the_card_button_swaps_itself_and_the_compare_link(client, park_a):
    carrier = make_carrier(park=park_a)

    response = client.post(
        reverse("listings:compare_toggle"),
        {"carrier": carrier.pk, "from": "search", "next": SEARCH},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200 and _button(html, carrier.pk) == "移出对比"
    assert '<div id="lst-compare-link" hx-swap-oob="true">' in html and "查看对比(1)" in html


def test_a_fifth_carrier_is_refused_with_a_notice(client, park_a):
    carriers = [make_carrier(park=park_a, title=f"载体{n}") for n in range(5)]
    for carrier in carriers[:4]:
        client.post(reverse("listings:compare_toggle"), {"carrier": carrier.pk})

    htmx = client.post(
        reverse("listings:compare_toggle"),
        {"carrier": carriers[4].pk, "from": "search"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    plain = client.post(
        reverse("listings:compare_toggle"),
        {"carrier": carriers[4].pk, "next": SEARCH},
        follow=True,
    ).content.decode()

    assert client.session["listings_compare"] == [c.pk for c in carriers[:4]]
    assert _button(htmx, carriers[4].pk) == "加入对比"
    assert "最多对比 4 个载体,请先移出一个再加入。" in htmx
    assert "lst-compare-toast" in htmx  # pinned on screen, wherever the card was
    assert "最多对比 4 个载体,请先移出一个再加入。" in plain
    assert _button(plain, carriers[4].pk) == "加入对比"


def test_the_card_store_is_bounded_expires_and_follows_the_index(monkeypatch):
    store: cards.ProcessStore[cards.CardParts] = cards.ProcessStore()
    index, rebuilt = cast(CatalogueIndex, object()), cast(CatalogueIndex, object())
    card = ("head", "tail", None, False)
    monkeypatch.setattr(cards, "CARD_STORE_SIZE", 2)
    clock = [1000.0]
    monkeypatch.setattr(cards.time, "monotonic", lambda: clock[0])

    store.get_many(index, "zh-hans", [])  # binds the store to this index
    store.set_many(index, "zh-hans", {1: card, 2: card})
    store.get_many(index, "zh-hans", [1])  # 1 used last: 2 goes first
    store.set_many(index, "zh-hans", {3: card})

    assert set(store.get_many(index, "zh-hans", [1, 2, 3])) == {1, 3}
    assert store.get_many(index, "en", [1]) == {}
    clock[0] += cards.CARD_CACHE_SECONDS + 1
    assert store.get_many(index, "zh-hans", [1, 3]) == {}
    store.set_many(index, "zh-hans", {1: card})
    assert store.get_many(rebuilt, "zh-hans", [1]) == {}  # a new index: nothing carried over


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example/", "/\\evil.example/", "https://evil.example/"]
)
def test_the_compare_button_never_sends_the_browser_to_another_site(client, park_a, elsewhere):
    carrier = make_carrier(park=park_a)

    response = client.post(
        reverse("listings:compare_toggle"), {"carrier": carrier.pk, "next": elsewhere}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("listings:compare")


def test_the_compare_button_without_javascript_returns_to_the_search_it_was_on(client, park_a):
    carrier = make_carrier(park=park_a)

    response = client.post(
        reverse("listings:compare_toggle"), {"carrier": carrier.pk, "next": "/carriers/?kind=land"}
    )

    assert response["Location"] == "/carriers/?kind=land"
