"""Leadership opens the indicator dashboard on a phone before a meeting (360 px wide): the
charts draw, and nothing pushes the page sideways (wide tables scroll inside their box)."""

from __future__ import annotations

import importlib
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 780}


@pytest.fixture
def month_of_figures(settings, park_a, park_b):
    from django.apps import apps

    from yuanqu.indicators.tests.factories import make_target, make_value

    # A transactional test flushes the tables, and with them the migration's indicators.
    seed = importlib.import_module("yuanqu.indicators.migrations.0002_standard_indicators").seed
    seed(apps, None)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for month in range(1, 7):
        for park, base in ((park_a, 8), (park_b, 5)):
            make_value(park=park, code="industrial_output", year=2026, month=month,
                       value=str(base * month), yoy_pct="6.5")  # fmt: skip
        make_value(park=None, code="industrial_output", year=2026, month=month,
                   value=str(90 * month), yoy_pct="7.2")  # fmt: skip
    for park in (park_a, park_b):
        make_target(park=park, code="industrial_output", year=2026, value="100")


@pytest.fixture
def leader_page(browser, live_server, leadership, month_of_figures):
    from yuanqu.accounts.tests.factories import PASSWORD

    context = browser.new_context(viewport=NARROW, locale="zh-CN", is_mobile=True)
    context.set_default_timeout(8000)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    page.get_by_label("用户名").fill(leadership.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    yield page
    context.close()


def _charts_drawn(page) -> int:
    page.wait_for_function("document.documentElement.dataset.chartsReady === '1'")
    return page.locator("[data-chart] svg").count()


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_city_dashboard_draws_its_charts_at_360_px(leader_page, screenshot_dir):
    assert _charts_drawn(leader_page) == 3
    assert _page_width(leader_page) <= NARROW["width"]
    leader_page.screenshot(path=str(screenshot_dir / "dashboard-city-360.png"), full_page=True)


def test_a_parks_dashboard_draws_its_charts_at_360_px(leader_page, park_a, screenshot_dir):
    leader_page.get_by_role("link", name=park_a.short_name or park_a.name).first.click()
    leader_page.wait_for_url(re.compile(rf"/dashboard/parks/{park_a.pk}/"))
    assert _charts_drawn(leader_page) >= 2
    assert _page_width(leader_page) <= NARROW["width"]
    leader_page.screenshot(path=str(screenshot_dir / "dashboard-park-360.png"), full_page=True)
