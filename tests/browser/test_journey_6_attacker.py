"""Journey 6: an attacker and a careless user. Nothing runs, nothing leaks, nothing is lost."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

import pytest

from tests.browser.data import seed_catalogue, unique_mobile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record(opened: list[str], dialog) -> None:
    """Note an alert/confirm/prompt the page opened, and close it."""
    opened.append(dialog.message)
    dialog.dismiss()


SCRIPT = "<script>alert(1)</script>"
JS_LINK = "javascript:alert(2)"
IMG = '<img src=x onerror="alert(3)">'
PAYLOAD = f'{SCRIPT}"><a href="{JS_LINK}">点我</a>{IMG}'
TEXT_FIELDS = ("need_text", "company", "contact_name", "intended_use", "industry_query")
NUMBER_FIELDS = (
    "area_min", "area_max", "budget_value", "height_m", "load_t_m2", "power_kva", "crane_t",
    "investment_wan", "annual_tax_wan", "jobs",
)  # fmt: skip


@pytest.fixture
def dialogs(phone_page) -> list[str]:
    """Every alert/confirm/prompt the page tries to open (none should)."""
    opened: list[str] = []
    phone_page.on("dialog", lambda dialog: _record(opened, dialog))
    phone_page.set_default_timeout(8000)
    return opened


def _open_more(page) -> None:
    details = page.locator("details.lq-more")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _fill_minimum(page, *, mobile: str = "") -> str:
    mobile = mobile or unique_mobile()
    page.get_by_role("radio", name="厂房").check()
    page.get_by_role("radio", name="租", exact=True).check()
    page.locator("#id_area_min").fill("3000")
    page.locator("#id_mobile").fill(mobile)
    page.get_by_label("我已阅读并同意隐私声明").check()
    return mobile


def _submit(page):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="提交并查看匹配结果").click()
    return navigation.value


def _no_active_content(page) -> None:
    assert page.locator("main script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("[onerror]").count() == 0


def test_script_in_every_need_form_field_is_kept_as_typed_shown_escaped_and_never_run(
    live_server, phone_page, dialogs, screenshot_dir
):
    # Given the need form
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")
    _open_more(phone_page)

    # When every field, numbers and mobile included, gets script and javascript: links
    typed = {}
    for name in TEXT_FIELDS + NUMBER_FIELDS + ("mobile",):
        field = phone_page.locator(f"#id_{name}")
        field.fill(PAYLOAD)
        typed[name] = field.input_value()  # the browser stops at the field's maxlength
        assert PAYLOAD.startswith(typed[name]) and len(typed[name]) >= 30
    response = _submit(phone_page)

    # Then the form comes back with Chinese messages (no 500), nothing ran or was rendered
    assert response.status == 400
    assert phone_page.get_by_role("alert").filter(has_text="您填写的内容都保留着").is_visible()
    assert phone_page.get_by_text("请填写数字。").first.is_visible()
    _no_active_content(phone_page)
    assert dialogs == []
    # and every field still holds exactly what was typed
    for name, value in typed.items():
        assert phone_page.locator(f"#id_{name}").input_value() == value, name
    phone_page.screenshot(path=str(screenshot_dir / "journey6-escaped-phone.png"))


def test_a_need_with_script_in_its_text_fields_is_stored_as_typed_and_its_results_run_nothing(
    live_server, phone_page, dialogs
):
    from yuanqu.leads.models import Lead

    # Given the need form with script in every free-text field, and valid choices
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")
    _open_more(phone_page)
    typed = {}
    for name in ("need_text", "company", "contact_name", "intended_use"):
        field = phone_page.locator(f"#id_{name}")
        field.fill(PAYLOAD)
        typed[name] = field.input_value()
    _fill_minimum(phone_page)

    # When it is submitted
    response = _submit(phone_page)

    # Then the results page opens, and nothing ran
    assert response.status == 200
    assert re.search(r"/needs/r/[0-9a-f-]+/$", phone_page.url)
    _no_active_content(phone_page)
    assert dialogs == []
    lead = Lead.objects.get()
    assert lead.need_text == typed["need_text"] == PAYLOAD
    assert lead.company == typed["company"] and lead.contact_name == typed["contact_name"]


def test_a_mobile_typed_with_full_width_digits_is_accepted_and_normalised(
    live_server, phone_page, dialogs
):
    from yuanqu.leads.models import Lead

    # Given the need form
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")

    # When the mobile is typed with a Chinese keyboard's full-width digits
    _fill_minimum(phone_page, mobile="１３８１２３４５６７８")
    response = _submit(phone_page)

    # Then the need is accepted and the number stored in E.164
    assert response.status == 200
    assert Lead.objects.get().mobile == "+8613812345678"


def test_a_100_kb_message_gets_a_clear_chinese_error_and_keeps_everything_typed(
    live_server, phone_page, dialogs, screenshot_dir
):
    from yuanqu.leads.models import Lead

    # Given the form filled in, and a 100 KB message forced past the textarea's maxlength
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")
    mobile = _fill_minimum(phone_page)
    message = "想租厂房" * 8500  # 34,000 characters, 102 KB in UTF-8
    phone_page.locator("#id_need_text").evaluate(
        "(area, text) => { area.removeAttribute('maxlength'); area.value = text; }", message
    )

    # When it is submitted
    response = _submit(phone_page)

    # Then a clear Chinese message says what is wrong, nothing is stored, and nothing is lost
    assert response.status == 400
    error = phone_page.locator("#id_need_text_error")
    assert "2000" in error.inner_text() and "34000" in error.inner_text()
    assert Lead.objects.count() == 0
    assert phone_page.locator("#id_need_text").input_value() == message
    assert phone_page.locator("#id_mobile").input_value() == mobile
    assert phone_page.locator("#id_area_min").input_value() == "3000"
    assert phone_page.get_by_role("radio", name="厂房").is_checked()


def test_a_100_kb_message_sent_to_recognition_gets_a_clear_chinese_error(
    live_server, phone_page, dialogs
):
    # Given a 100 KB message forced past the textarea's maxlength
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")
    message = "想租厂房" * 8500
    phone_page.locator("#id_need_text").evaluate(
        "(area, text) => { area.removeAttribute('maxlength'); area.value = text; }", message
    )

    # When he asks the form to recognise it
    phone_page.get_by_role("button", name="识别并填入下表").click()

    # Then he is told to shorten it, in Chinese, with the count
    alert = phone_page.get_by_role("alert").filter(has_text="2000")
    alert.wait_for()
    assert "34000" in alert.inner_text()


def test_searching_for_sql_injection_returns_an_ordinary_page(live_server, phone_page, dialogs):
    # Given some content
    seed_catalogue(fitting=0, near_misses=False, contrast=False)

    # When someone searches for a classic injection, and for a script
    for path, query in [
        (p, q) for p in ("/search/", "/carriers/") for q in ('" OR 1=1 --', SCRIPT)
    ]:
        response = phone_page.goto(f"{live_server.url}{path}?q={quote(query)}")

        # Then an ordinary page answers, with the query echoed back as text
        assert response.status == 200
        assert phone_page.locator("input[name=q]").first.input_value() == query
        _no_active_content(phone_page)
    assert dialogs == []


def test_an_unknown_article_gives_a_404_page_with_a_working_search_box(
    live_server, phone_page, dialogs, screenshot_dir
):
    # Given no article 987654
    # When someone opens it
    response = phone_page.goto(live_server.url + "/news/987654/")

    # Then a Chinese 404 page offers a search box that works
    assert response.status == 404
    assert phone_page.get_by_role("heading", name="页面不存在").is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "journey6-404-phone.png"), full_page=True)
    search = phone_page.get_by_role("searchbox").first
    search.fill("厂房")
    search.press("Enter")
    phone_page.wait_for_url(re.compile(r"/search/\?q="))
    assert phone_page.get_by_role("heading", level=1).is_visible()


def test_a_guessed_results_link_is_a_404(live_server, phone_page, dialogs):
    # Given someone guesses a results token
    response = phone_page.goto(f"{live_server.url}/needs/r/{uuid.uuid4()}/")

    # Then nothing is there
    assert response.status == 404


@pytest.fixture
def fast_passwords(settings):
    """Hash passwords quickly (Argon2 costs ~0.25 s per hash and per check); the login still
    goes through the real form and authentication backend."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_another_parks_officer_cannot_open_a_lead_by_forging_its_id(
    fast_passwords, live_server, browser, park_a, other_park_officer
):
    from yuanqu.accounts.tests.factories import PASSWORD, make_lead

    # Given a lead of park A, and an officer of park B signed in
    lead = make_lead(park=park_a, company="甲园专属线索公司")
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(8000)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("用户名").fill(other_park_officer.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()

        # When he types park A's lead id into the address bar
        response = page.goto(f"{live_server.url}/needs/staff/{lead.pk}/")

        # Then it is not found, and nothing of it shows
        assert response.status == 404
        assert "甲园专属线索公司" not in page.content()
    finally:
        context.close()


def test_hammering_the_need_form_is_refused_with_a_clear_message_and_keeps_the_input(
    live_server, phone_page, dialogs
):
    from django.conf import settings

    from yuanqu.leads.models import Lead

    # Given the form filled in, and as many needs from this mobile as an hour allows
    seed_catalogue(fitting=0, near_misses=False, contrast=False)
    phone_page.goto(live_server.url + "/needs/new/")
    mobile = _fill_minimum(phone_page)
    form = phone_page.locator("form.lq-form")
    body = form.evaluate(
        "f => { const d = new FormData(f); d.set('action', 'submit'); return [...d.entries()]; }"
    )
    for number in range(settings.LEAD_RATE_LIMIT_PER_MOBILE_HOUR):
        data = {name: value for name, value in body if name != "idempotency_key"}
        data["idempotency_key"] = f"hammer-{number}"
        response = phone_page.request.post(
            live_server.url + "/needs/new/", form=data, max_redirects=0
        )
        assert response.status in (302, 303)
    stored = Lead.objects.count()

    # When the form is submitted once more
    response = _submit(phone_page)

    # Then it is refused with a Chinese message, nothing new is stored, and the input stays
    assert response.status == 429
    assert phone_page.get_by_role("alert").filter(has_text="提交太频繁").is_visible()
    assert Lead.objects.count() == stored
    assert phone_page.locator("#id_mobile").input_value() == mobile
    assert phone_page.locator("#id_area_min").input_value() == "3000"


def test_script_stored_in_a_lead_runs_nothing_on_the_park_officers_pages(
    fast_passwords, live_server, browser, park_a, investment_officer
):
    from yuanqu.accounts.tests.factories import PASSWORD, make_lead

    # Given a lead for park A whose every text field holds script and javascript: links
    lead = make_lead(
        park=park_a, company=PAYLOAD[:100], contact_name=PAYLOAD[:50], need_text=PAYLOAD
    )
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(8000)
    opened: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: _record(opened, dialog))
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("用户名").fill(investment_officer.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()

        # When park A's officer opens it, on the staff page and in the admin
        for path in (
            f"/needs/staff/{lead.pk}/",
            "/admin/leads/lead/",
            f"/admin/leads/lead/{lead.pk}/change/",
        ):
            response = page.goto(live_server.url + path)

            # Then each page shows the text as text and runs nothing
            assert response.status == 200, path
            assert page.locator("a[href^='javascript']").count() == 0, path
            assert page.locator("[onerror]").count() == 0, path
            assert not page.evaluate(
                "() => [...document.scripts].some(s => s.textContent.includes('alert('))"
            ), path
            assert "alert(1)" in page.locator("body").inner_text() or path.endswith("/lead/"), path
        assert opened == []
    finally:
        context.close()
