"""Journey 2: a site-selection consultant filters /carriers/ on a laptop and shares the URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.data import seed_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
COUNT = re.compile(r"共\s*(\d+)\s*个载体")


@pytest.fixture
def laptop_page(browser, live_server):
    """A laptop-sized page that cannot reach the internet (map tiles are refused at once)."""
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    context.set_default_timeout(8000)
    origin = live_server.url
    context.route(
        re.compile(r"^https?://"),
        lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort(),
    )
    page = context.new_page()
    yield page
    context.close()


def _total(page) -> int:
    match = COUNT.search(page.locator("#results-heading").inner_text())
    assert match, page.locator("#results-heading").inner_text()
    return int(match.group(1))


def _titles(page) -> list[str]:
    return sorted(page.locator(".lst-list .lst-card-title").all_inner_texts())


def _ids(page) -> list[int]:
    hrefs = page.locator(".lst-list .lst-card-title a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return sorted(int(href.strip("/").rsplit("/", 1)[1]) for href in hrefs)


def _htmx(page, action) -> None:
    """Run a UI action that makes the search re-render its results, and wait for the swap."""
    with page.expect_response(
        lambda response: (
            "/carriers/" in response.url and response.request.headers.get("hx-request") == "true"
        )
    ):
        action()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


FILTERED = (
    "/carriers/?kind=factory&deal=rent&district=320312&area_min=3000&area_max=6000"
    "&height_min=8&power_min=500&eia=1"
)


def _filter_like_the_consultant(page, live_server) -> list[int]:
    """厂房 · 出租 · 铜山区 · 3,000–6,000 ㎡ · 层高 ≥ 8 · 可配电 ≥ 500 kVA · 可环评; returns
    the result count after each step."""
    page.goto(live_server.url + "/carriers/")
    counts = [_total(page)]
    for name, value in (("kind", "factory"), ("deal", "rent"), ("district", "320312")):
        box = page.locator(f"#results input[name={name}][value='{value}']")
        _htmx(page, box.check)
        counts.append(_total(page))
    ranges = page.locator("details.lst-ranges")
    if ranges.get_attribute("open") is None:
        ranges.locator("summary").click()
    for selector, value in (
        ("#id_area_min", "3000"),
        ("#id_area_max", "6000"),
        ("#id_height_min", "8"),
        ("#id_power_min", "500"),
    ):
        field = page.locator(selector)
        field.fill(value)
        _htmx(page, lambda field=field: field.press("Tab"))
        counts.append(_total(page))
    _htmx(page, lambda: page.locator("#results input[name=eia]").check())
    counts.append(_total(page))
    return counts


def test_each_filter_narrows_the_count_and_the_url_carries_the_whole_state(
    live_server, laptop_page, screenshot_dir
):
    # Given 17 published carriers in two districts
    seed_catalogue(fitting=10)

    # When the consultant applies the filters one by one
    counts = _filter_like_the_consultant(laptop_page, live_server)

    # Then the count goes down from all 17 to the six that fit in 铜山区
    assert counts[0] == 17
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] == 6
    assert len(set(counts)) >= 5
    # and the address bar holds every filter (the URL he will share)
    query = parse_qs(urlsplit(laptop_page.url).query)
    assert query == parse_qs(urlsplit(FILTERED).query)
    laptop_page.screenshot(
        path=str(screenshot_dir / "journey2-filtered-laptop.png"), full_page=True
    )


def test_a_colleague_opening_the_shared_url_sees_the_same_result(live_server, browser):
    # Given the URL the consultant's filters produced (the test above checks the UI writes it)
    catalogue = seed_catalogue(fitting=10)
    expected = sorted(
        [c.title for c in catalogue.fitting if c.park == catalogue.tongshan_park] + ["日租报价厂房"]
    )

    # When a colleague opens it in his own browser
    colleague = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    try:
        page = colleague.new_page()
        page.goto(live_server.url + FILTERED)

        # Then he sees the same six carriers with the same filters ticked and filled in
        assert _total(page) == 6
        assert _titles(page) == expected
        assert page.locator("#results input[name=kind][value='factory']").is_checked()
        assert page.locator("#results input[name=deal][value='rent']").is_checked()
        assert page.locator("#results input[name=district][value='320312']").is_checked()
        assert page.locator("#results input[name=eia]").is_checked()
        assert page.locator("#id_area_min").input_value() == "3000"
        assert page.locator("#id_area_max").input_value() == "6000"
        assert page.locator("#id_height_min").input_value() == "8"
        assert page.locator("#id_power_min").input_value() == "500"
    finally:
        colleague.close()


def test_the_map_shows_markers_for_the_same_result_set(live_server, laptop_page, screenshot_dir):
    # Given a filtered search of six carriers
    seed_catalogue(fitting=10)
    laptop_page.goto(live_server.url + FILTERED)
    ids = _ids(laptop_page)
    assert len(ids) == 6

    # When the consultant switches to the map
    with laptop_page.expect_response(re.compile(r"/carriers/map\.json\?")) as points_response:
        _htmx(laptop_page, lambda: laptop_page.get_by_role("link", name="地图").click())
    points = points_response.value.json()["points"]

    # Then the map data holds the same six carriers as the list, and markers are drawn
    assert sorted(point[0] for point in points) == ids
    assert "view=map" in laptop_page.url
    # (markers + the numbers on the clusters, once Leaflet's zoom animation has settled)
    laptop_page.wait_for_function(
        """expected => {
            const icons = [...document.querySelectorAll('#carrier-map .leaflet-marker-icon')];
            const drawn = icons.reduce((sum, icon) => sum + (icon.classList.contains('marker-cluster')
                ? parseInt(icon.innerText, 10) : 1), 0);
            return drawn === expected;
        }""",
        arg=len(ids),
    )
    laptop_page.screenshot(path=str(screenshot_dir / "journey2-map-laptop.png"), full_page=True)


def test_a_carrier_page_map_draws_its_marker_image(live_server, laptop_page):
    # Leaflet is pointed at its images folder: with hashed static names (production) its own
    # detection from the stylesheet asked for /carriers/<id>/marker-icon.png.
    catalogue = seed_catalogue(fitting=1, near_misses=False, contrast=False)
    laptop_page.goto(f"{live_server.url}/carriers/{catalogue.fitting[0].pk}/")
    marker = laptop_page.locator(".lst-map img.leaflet-marker-icon")
    marker.wait_for()

    assert "/static/vendor/leaflet/images/marker-icon" in (marker.get_attribute("src") or "")
    assert marker.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_back_button_returns_to_the_previous_filter_state(live_server, laptop_page):
    # Given the consultant ticked 厂房 and then 出租
    seed_catalogue(fitting=10)
    laptop_page.goto(live_server.url + "/carriers/")
    _htmx(
        laptop_page,
        lambda: laptop_page.locator("#results input[name=kind][value='factory']").check(),
    )
    factories = _total(laptop_page)
    factory_url = laptop_page.url
    _htmx(
        laptop_page,
        lambda: laptop_page.locator("#results input[name=district][value='320312']").check(),
    )
    assert _total(laptop_page) < factories

    # When he presses back
    laptop_page.go_back()
    laptop_page.wait_for_url(factory_url)

    # Then the list and the ticks are those of "厂房" alone
    assert _total(laptop_page) == factories
    assert laptop_page.locator("#results input[name=kind][value='factory']").is_checked()
    assert not laptop_page.locator("#results input[name=district][value='320312']").is_checked()


def _run_background_tasks() -> None:
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_saved_search_confirmed_by_email_alerts_when_a_fitting_carrier_is_published(
    live_server, laptop_page, screenshot_dir
):
    from decimal import Decimal

    from django.core import mail

    from yuanqu.listings.tests.factories import make_carrier

    # Given the consultant's filtered search
    catalogue = seed_catalogue(fitting=2, near_misses=False, contrast=False)
    laptop_page.goto(live_server.url + FILTERED)

    # When he saves it with his e-mail address and clicks the link in the e-mail
    laptop_page.get_by_role("link", name="订阅此搜索").first.click()
    laptop_page.get_by_role("textbox", name="电子邮件").fill("consultant@example.com")
    consent = laptop_page.locator("input[name=consent]")
    if consent.count():
        consent.check()
    laptop_page.get_by_role("button", name="订阅").click()
    laptop_page.get_by_text("请查收确认邮件").wait_for()
    _run_background_tasks()
    (confirmation,) = [m for m in mail.outbox if "consultant@example.com" in m.to]
    link = re.search(r"https?://\S+/carriers/saved/confirm/\S+/", str(confirmation.body))
    assert link, confirmation.body
    laptop_page.goto(live_server.url + urlsplit(link.group(0)).path)
    laptop_page.screenshot(path=str(screenshot_dir / "journey2-subscribed-laptop.png"))

    # and a new fitting carrier is published in 铜山区, and one in 鼓楼区 (outside his search)
    mail.outbox.clear()
    make_carrier(
        park=catalogue.zone,
        title="新发布的鼓楼厂房",
        building_area_m2=Decimal("4500"),
        height_m=Decimal("9"),
        power_available_kva=630,
        eia_ok=True,
    )
    make_carrier(
        park=catalogue.tongshan_park,
        title="新发布的铜山厂房",
        building_area_m2=Decimal("4500"),
        height_m=Decimal("9"),
        power_available_kva=630,
        eia_ok=True,
    )
    _run_background_tasks()

    # Then he gets one message, naming the fitting one only
    alerts = [m for m in mail.outbox if "consultant@example.com" in m.to]
    assert len(alerts) == 1
    assert "新发布的铜山厂房" in alerts[0].body
    assert "新发布的鼓楼厂房" not in alerts[0].body


def test_carriers_are_added_to_compare_from_the_result_list(live_server, laptop_page):
    # Given a catalogue with more than four carriers
    seed_catalogue(fitting=3, near_misses=False)
    page = laptop_page
    page.goto(live_server.url + "/carriers/")
    address = page.url
    buttons = page.locator(".lst-list button.lst-compare")

    # When the consultant adds four of them to compare from the list itself
    for position in range(4):
        button = buttons.nth(position)
        button.click()
        page.wait_for_function(
            "id => document.getElementById(id).textContent.trim() === '移出对比'",
            arg=button.get_attribute("id"),
        )

    # Then the page stays where it was and offers the comparison of the four
    assert page.url == address
    assert page.get_by_role("link", name="查看对比(4)").is_visible()

    # And a fifth is refused with a notice on screen, however far down the list he is
    fifth = buttons.nth(4)
    fifth.scroll_into_view_if_needed()
    fifth.click()
    notice = page.locator(".lst-compare-toast")
    notice.wait_for(state="visible")
    assert "最多对比 4 个载体" in notice.inner_text()
    assert notice.is_visible() and fifth.inner_text() == "加入对比"

    # And the compare page shows the four side by side
    page.get_by_role("link", name="查看对比(4)").click()
    page.wait_for_url("**/carriers/compare/**")
    assert page.locator("table.lst-compare thead th a").count() == 4
