"""Journey 1: 王经理 on his phone in WeChat, from a shared article to matched carriers."""

from __future__ import annotations

import re

import pytest

from tests.browser.data import WECHAT_MESSAGE, seed_articles, seed_catalogue, unique_mobile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _paste_and_parse(page, live_server) -> None:
    page.set_default_timeout(8000)
    page.goto(live_server.url + "/needs/new/")
    page.locator("#id_need_text").fill(WECHAT_MESSAGE)
    page.get_by_role("button", name="识别并填入下表").click()
    page.get_by_role("status").filter(has_text="已识别").wait_for()


def _fill_contact_and_consent(page) -> None:
    details = page.locator("details.lq-more")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.locator("#id_company").fill("徐州恒力挖掘机配件有限公司")
    page.locator("#id_contact_name").fill("王经理")
    page.locator("#id_mobile").fill(unique_mobile())
    page.get_by_label("我已阅读并同意隐私声明").check()


def _submit_need(page, live_server) -> None:
    _paste_and_parse(page, live_server)
    page.locator("#id_budget_value").fill("14")
    _fill_contact_and_consent(page)
    page.get_by_role("button", name="提交并查看匹配结果").click()
    page.wait_for_url(re.compile(r"/needs/r/[0-9a-f-]+/$"))


def test_a_shared_article_shows_related_articles_and_leads_to_the_need_form(
    live_server, phone_page, screenshot_dir
):
    # Given published articles about 徐州经开区 with their related articles computed
    catalogue = seed_catalogue(fitting=0, near_misses=False, contrast=False)
    articles = seed_articles(park=catalogue.zone)

    # When 王经理 opens the shared link on his phone
    phone_page.set_default_timeout(8000)
    phone_page.goto(live_server.url + articles[0].get_absolute_url())

    # Then the article, its related articles and the need-form call to action are there
    assert phone_page.get_by_role("heading", level=1).inner_text() == articles[0].title
    related = phone_page.locator("section.news-related")
    related.scroll_into_view_if_needed()
    assert related.get_by_role("heading", name="相关文章").is_visible()
    related_titles = related.locator("a.news-item-title").all_inner_texts()
    assert set(related_titles) & {article.title for article in articles[1:]}
    _no_sideways_scroll(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "journey1-article-phone.png"), full_page=True)

    phone_page.get_by_role("link", name="我要找厂房").click()
    phone_page.wait_for_url(re.compile(r"/needs/new/"))
    assert phone_page.locator("#id_need_text").is_visible()
    # with the article's park ticked and the article remembered as the source
    assert phone_page.get_by_role("checkbox", name="徐州经济技术开发区").is_checked()
    assert phone_page.locator("input[name=source]").input_value() == f"/news/{articles[0].pk}/"


def test_a_shared_article_shows_a_qr_code_to_scan_in_wechat(live_server, phone_page):
    # Given a published article
    articles = seed_articles()

    # When it is opened and scrolled to its share box
    phone_page.set_default_timeout(8000)
    phone_page.goto(live_server.url + articles[0].get_absolute_url())
    qr = phone_page.get_by_role("img", name="文章二维码")
    qr.scroll_into_view_if_needed()

    # Then the QR code image is drawn (not a broken image)
    phone_page.wait_for_function("img => img.complete", arg=qr.element_handle())
    assert qr.evaluate("img => img.naturalWidth") > 0


def test_pasting_the_wechat_message_fills_in_the_need_form(live_server, phone_page, screenshot_dir):
    # Given the catalogue (the parser knows 经开区 from the parks table)
    seed_catalogue(fitting=0, near_misses=False, contrast=False)

    # When the WeChat message is pasted and recognised
    _paste_and_parse(phone_page, live_server)

    # Then kind 厂房, deal 租, ≈5000 ㎡, height ≥ 8 m, a 10 t crane and 15 元/㎡·月 are filled in
    assert phone_page.get_by_role("radio", name="厂房").is_checked()
    assert phone_page.get_by_role("radio", name="租", exact=True).is_checked()
    low = phone_page.locator("#id_area_min").input_value()
    high = phone_page.locator("#id_area_max").input_value()
    assert low and high and float(low) <= 5000 <= float(high)
    assert float(phone_page.locator("#id_height_m").input_value()) >= 8
    assert float(phone_page.locator("#id_crane_t").input_value()) == 10
    assert float(phone_page.locator("#id_budget_value").input_value()) == 15
    assert phone_page.locator("#id_budget_unit").input_value() == "yuan_m2_month"
    # and the message itself is kept for him to read again
    assert phone_page.locator("#id_need_text").input_value() == WECHAT_MESSAGE
    _no_sideways_scroll(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "journey1-form-filled-phone.png"))


def test_submitting_the_need_shows_carriers_with_reasons_in_numbers_and_near_misses(
    live_server, phone_page, screenshot_dir
):
    # Given ten fitting carriers and two that each fail one thing
    seed_catalogue(fitting=10, contrast=False)

    # When 王经理 corrects the budget, gives his details and submits
    _submit_need(phone_page, live_server)

    # Then he gets the ten carriers at once, each with ✓/✗ reasons that carry numbers
    matched = phone_page.locator("section[aria-labelledby='mt-carriers-title'] li.mt-item")
    assert matched.count() >= 10
    first_reasons = matched.first.locator("li.mt-reason").all_inner_texts()
    assert any("✓" in reason and re.search(r"\d", reason) for reason in first_reasons)
    # and the near-misses name the one thing that fails, with its number
    near = phone_page.locator("section[aria-labelledby='mt-near-title']")
    assert near.get_by_role("heading", name="只差一项硬性条件").is_visible()
    blocking = {
        item.locator("h3").inner_text(): item.locator(".mt-blocking").inner_text()
        for item in near.locator("li.mt-item").all()
    }
    assert "层高 7" in blocking["低层高厂房"]
    assert "行车 5" in blocking["小行车厂房"]
    assert any("✗" in reason for reason in near.locator("li.mt-reason").all_inner_texts())
    _no_sideways_scroll(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "journey1-results-phone.png"))


def test_a_matched_carrier_shows_its_price_in_every_unit_the_park_and_its_freshness(
    live_server, phone_page, screenshot_dir
):
    # Given a submitted need with its results
    catalogue = seed_catalogue(fitting=2, near_misses=False, contrast=False)
    _submit_need(phone_page, live_server)

    # When he opens the first matched carrier
    phone_page.locator("li.mt-item h3 a").first.click()
    phone_page.wait_for_url(re.compile(r"/carriers/\d+/$"))

    # Then the price is shown as 元/㎡·天, 元/㎡·月 and the monthly total
    price = phone_page.locator("section[aria-labelledby='price-heading']")
    price_text = price.inner_text()
    assert "元/㎡·天" in price_text
    assert "元/㎡·月" in price_text
    assert "月租金" in price_text
    carrier_id = int(phone_page.url.rstrip("/").rsplit("/", 1)[1])
    carrier = next(c for c in catalogue.fitting if c.pk == carrier_id)
    total = int(carrier.price_yuan_m2_month * carrier.area_m2)
    assert f"{total:,}" in price_text or str(total) in price_text
    # with the park card and "3 天前确认"
    park_card = phone_page.locator("section[aria-labelledby='park-heading']")
    assert carrier.park.name in park_card.inner_text()
    assert phone_page.get_by_text("3 天前确认").first.is_visible()
    _no_sideways_scroll(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "journey1-carrier-phone.png"))


def test_two_matched_carriers_can_be_added_to_compare(live_server, phone_page, screenshot_dir):
    # Given a submitted need with its results
    seed_catalogue(fitting=2, near_misses=False, contrast=False)
    _submit_need(phone_page, live_server)
    results_url = phone_page.url
    links = phone_page.locator("section[aria-labelledby='mt-carriers-title'] li.mt-item h3 a")
    hrefs = [links.nth(0).get_attribute("href"), links.nth(1).get_attribute("href")]
    titles = [links.nth(0).inner_text(), links.nth(1).inner_text()]

    # When he adds two of them to compare from their pages
    for href in hrefs:
        phone_page.goto(live_server.url + href)
        phone_page.get_by_role("button", name="加入对比").click()
        phone_page.get_by_role("button", name="移出对比").wait_for()
    phone_page.goto(live_server.url + "/carriers/compare/")

    # Then the compare page shows both side by side
    text = phone_page.locator("main").inner_text()
    assert titles[0] in text and titles[1] in text
    assert results_url
    phone_page.screenshot(path=str(screenshot_dir / "journey1-compare-phone.png"), full_page=True)


def test_a_double_tap_on_submit_stores_the_need_once(live_server, phone_page):
    from yuanqu.leads.models import Lead

    # Given a filled-in need form
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    _paste_and_parse(phone_page, live_server)
    _fill_contact_and_consent(phone_page)

    # When he double-taps submit
    phone_page.get_by_role("button", name="提交并查看匹配结果").dblclick()
    phone_page.wait_for_url(re.compile(r"/needs/r/[0-9a-f-]+/$"))

    # Then exactly one lead is stored
    assert Lead.objects.count() == 1


def test_resubmitting_the_same_form_after_a_network_drop_stores_the_need_once(
    live_server, phone_page
):
    from yuanqu.leads.models import Lead

    # Given he submitted the need once
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    _paste_and_parse(phone_page, live_server)
    _fill_contact_and_consent(phone_page)
    form_url = phone_page.url
    posted: dict[str, str] = {}

    def remember(request) -> None:
        if request.method == "POST" and "action=submit" in (request.post_data or ""):
            posted["body"] = request.post_data

    phone_page.on("request", remember)
    phone_page.get_by_role("button", name="提交并查看匹配结果").click()
    phone_page.wait_for_url(re.compile(r"/needs/r/[0-9a-f-]+/$"))
    first_result = phone_page.url

    # When the browser retries the very same POST (the reply was lost on the way back)
    response = phone_page.request.post(
        form_url,
        data=posted["body"],
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": form_url,
        },
        max_redirects=0,
    )

    # Then he is sent to the same results page and there is still one lead
    assert response.status in (302, 303)
    assert response.headers["location"] in first_result
    assert Lead.objects.count() == 1
