import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_renders_chinese_text_at_phone_width(live_server, phone_page, screenshot_dir):
    phone_page.goto(live_server.url + "/")

    heading = phone_page.get_by_role("heading", level=1)
    assert heading.is_visible()
    assert any("\u4e00" <= character <= "\u9fff" for character in heading.inner_text())
    assert phone_page.locator("html").get_attribute("lang") == "zh-CN"
    # Nothing overflows sideways at 390 px: the page is usable without horizontal scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(screenshot_dir / "home-phone.png"), full_page=True)
