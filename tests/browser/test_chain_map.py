"""A park officer opens the chain map: the tree draws (the full ECharts build, vendored,
under the site's CSP) with a node per link, and a click on a link's row opens its members."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_page(browser, live_server, settings, investment_officer, park_a):
    from yuanqu.accounts.tests.factories import PASSWORD
    from yuanqu.chains.tests.factories import machinery_chain
    from yuanqu.enterprises.tests.factories import make_enterprise

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    machinery_chain(park_a)
    make_enterprise(park=park_a, name="徐州甲液压有限公司", industry_id="3444")
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(8000)
    page = context.new_page()
    errors: list[str] = []

    def console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.goto(live_server.url + "/accounts/login/?next=/workbench/chains/")
    page.get_by_label("用户名").fill(investment_officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/chains/$"))
    yield page, errors
    context.close()


def test_the_chain_tree_draws_every_link(officer_page):
    page, errors = officer_page
    page.wait_for_function("document.documentElement.dataset.chainMapsReady === '1'")
    labels = page.locator("[data-chain-tree] svg text").all_text_contents()
    assert {"工程机械", "挖掘机械", "液压元件", "设备租赁"} <= set(labels)
    assert errors == []


def test_a_link_row_opens_its_enterprises(officer_page):
    page, _errors = officer_page
    page.get_by_role("link", name="液压元件").click()
    page.wait_for_url(re.compile(r"/links/\d+/$"))
    assert page.get_by_text("徐州甲液压有限公司").is_visible()
