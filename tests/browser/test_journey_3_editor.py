"""Journey 3: an editor writes an article in the admin, previews it and publishes it."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record(opened: list[str], dialog) -> None:
    """Note an alert/confirm/prompt the page opened, and close it."""
    opened.append(dialog.message)
    dialog.dismiss()


DESK = {"width": 1280, "height": 900}
EDITOR = ".ProseMirror[contenteditable=true]"  # django-prose-editor's editing area
TITLE = "徐州经开区智能装备产业园二期竣工"
# What Word puts on the clipboard (trimmed): its own classes, styles, conditional comments
# and <o:p> tags around a table, an inline image, and something nasty.
PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
WORD_CELL = "<td width=184 valign=top style='width:138.25pt;border:solid windowtext 1.0pt'>"
WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>'
    "p.MsoNormal{margin:0cm;font-size:10.5pt}</style></head><body lang=ZH-CN>"
    "<!--StartFragment--><p class=MsoNormal>园区二期新建标准厂房十二栋,总建筑面积八万平方米。"
    "<o:p></o:p></p>"
    "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 "
    "style='border-collapse:collapse;mso-yfti-tbllook:1184'>"
    f"<tr style='mso-yfti-irow:0'>{WORD_CELL}<p class=MsoNormal>厂房<o:p></o:p></p></td>"
    f"{WORD_CELL}<p class=MsoNormal>面积(㎡)<o:p></o:p></p></td></tr>"
    f"<tr>{WORD_CELL}<p class=MsoNormal>A1</p></td>{WORD_CELL}<p class=MsoNormal>6,000</p></td></tr>"
    f"<tr>{WORD_CELL}<p class=MsoNormal>A2</p></td>{WORD_CELL}<p class=MsoNormal>8,000</p></td></tr>"
    "</table>"
    "<![if !supportLists]><p class=MsoListParagraph>·入驻企业可享受租金减免</p><![endif]>"
    f'<p class=MsoNormal><img width=1 height=1 src="{PIXEL}" alt="二期鸟瞰图"></p>'
    "<script>alert('xss')</script>"
    '<p class=MsoNormal><a href="javascript:alert(2)">点击查看</a> 欢迎装备制造企业入驻。</p>'
    "<!--EndFragment--></body></html>"
)


@pytest.fixture
def fast_passwords(settings):
    """Hash passwords quickly (Argon2 costs ~0.25 s per hash and per check); the login still
    goes through the real form and authentication backend."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_page(fast_passwords, browser, live_server, editor):
    """A desktop page signed in through the login form as a news editor (no OTP for editors)."""
    from yuanqu.accounts.tests.factories import PASSWORD

    context = browser.new_context(viewport=DESK, locale="zh-CN")
    context.set_default_timeout(8000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/admin/")
    page.get_by_label("用户名").fill(editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


def _write_article(page, live_server, *, publish: bool) -> int:
    """Fill the admin's add form, pasting the Word content into the editor; returns the id."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: _record(dialogs, dialog))
    page.goto(live_server.url + "/admin/news/article/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_category").select_option(label="园区动态")
    editor = page.locator(EDITOR)
    editor.click()
    page.evaluate(
        """html => navigator.clipboard.write([new ClipboardItem({
            'text/html': new Blob([html], {type: 'text/html'}),
            'text/plain': new Blob(['pasted'], {type: 'text/plain'}),
        })])""",
        WORD_HTML,
    )
    page.keyboard.press("Control+V")
    editor.locator("table").wait_for()
    page.locator("#id_status").select_option("published" if publish else "draft")
    page.locator("input[name=_save]").click()
    page.get_by_text("成功").first.wait_for()
    assert not dialogs
    from yuanqu.news.models import Article

    return Article.objects.get(title=TITLE).pk


def test_a_draft_pasted_from_word_previews_with_its_table_and_image_but_without_script(
    live_server, editor_page, browser, screenshot_dir
):
    from yuanqu.news.models import Article
    from yuanqu.news.tests.factories import make_category

    # Given a news category
    make_category(name="园区动态", slug="park-news")

    # When the editor pastes Word content into a new draft and opens its preview
    article_id = _write_article(editor_page, live_server, publish=False)
    dialogs: list[str] = []
    editor_page.on("dialog", lambda dialog: _record(dialogs, dialog))
    editor_page.goto(f"{live_server.url}/news/{article_id}/preview/")

    # Then the preview says it is a draft and shows the table and the image
    assert editor_page.get_by_role("status").filter(has_text="草稿").is_visible()
    body = editor_page.locator(".news-body")
    assert body.locator("table td").filter(has_text="6,000").count() == 1
    image = body.locator("img")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1
    # and nothing of the script or the javascript: link survived, in the page or the database
    assert body.locator("script").count() == 0
    assert "javascript:" not in body.inner_html()
    stored = Article.objects.get(pk=article_id).body
    assert "<script" not in stored and "javascript:" not in stored and "alert" not in stored
    # the Word table is saved as a table, without Word's classes and styles
    assert re.search(r"<table>.*<td>(<p>)?6,000(</p>)?</td>.*</table>", stored, re.S)
    assert "Mso" not in stored and "style=" not in stored and "o:p" not in stored
    assert not dialogs
    editor_page.screenshot(path=str(screenshot_dir / "journey3-preview-desk.png"), full_page=True)

    # and the public sees neither the draft nor its preview
    visitor = browser.new_context(locale="zh-CN")
    try:
        page = visitor.new_page()
        assert page.goto(f"{live_server.url}/news/{article_id}/").status == 404
        assert page.goto(f"{live_server.url}/news/{article_id}/preview/").status == 404
        page.goto(live_server.url + "/")
        assert TITLE not in page.locator("main").inner_text()
    finally:
        visitor.close()


def test_a_published_article_is_on_the_home_page_in_search_rss_and_sitemap(
    live_server, editor_page, browser, screenshot_dir
):
    from yuanqu.news.tests.factories import make_category

    # Given the editor publishes the article
    make_category(name="园区动态", slug="park-news")
    article_id = _write_article(editor_page, live_server, publish=True)

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = visitor.new_page()
        page.set_default_timeout(8000)
        # Then a visitor finds it on the home page
        page.goto(live_server.url + "/")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_url(re.compile(rf"/news/{article_id}/"))
        assert page.get_by_role("heading", level=1).inner_text() == TITLE
        page.screenshot(path=str(screenshot_dir / "journey3-published-phone.png"), full_page=True)
        # in the site search
        page.goto(live_server.url + "/search/?q=智能装备产业园")
        assert page.get_by_role("link", name=TITLE).first.is_visible()
        # in the RSS feed
        feed = page.request.get(live_server.url + "/news/feed/")
        assert feed.ok
        titles = [
            item.findtext("title") for item in ElementTree.fromstring(feed.body()).iter("item")
        ]
        assert TITLE in titles
        # and in sitemap.xml
        sitemap = page.request.get(live_server.url + "/sitemap.xml")
        assert sitemap.ok
        assert re.search(rf"<loc>[^<]*/news/{article_id}/[^<]*</loc>", sitemap.text())
    finally:
        visitor.close()


def test_related_articles_appear_under_a_newly_published_article(live_server, editor_page, browser):
    from django.core.management import call_command

    from tests.browser.data import seed_articles

    # Given earlier articles about the zone's plants
    earlier = {article.title for article in seed_articles()}

    # When the editor publishes a new one and the background worker has run
    article_id = _write_article(editor_page, live_server, publish=True)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # Then its page lists related articles from the earlier ones
    editor_page.goto(f"{live_server.url}/news/{article_id}/")
    related = editor_page.locator("section.news-related a.news-item-title").all_inner_texts()
    assert related and set(related) <= earlier


def test_a_body_sent_back_with_a_form_error_is_sanitised_even_without_the_csp(
    fast_passwords, browser, live_server, editor
):
    from yuanqu.accounts.tests.factories import PASSWORD
    from yuanqu.news.tests.factories import make_category

    make_category(name="园区动态", slug="park-news")
    context = browser.new_context(viewport=DESK, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(8000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: _record(dialogs, dialog))
    page.goto(live_server.url + "/accounts/login/?next=/admin/news/article/add/")
    page.get_by_label("用户名").fill(editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/news/article/add/$"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_category").select_option(label="园区动态")
    page.locator("#id_source_url").fill("http://")  # refused: the form comes back
    page.locator(EDITOR).wait_for()
    # The body as a crafted POST (or a browser without JavaScript) would send it.
    page.locator("#id_body").evaluate(
        """(textarea, html) => { textarea.value = html; }""",
        '<p>正文</p><img src="x" onerror="document.title=\'XSS\';alert(1)">',
    )
    page.locator("input[name=_save]").click()
    page.locator(".errorlist").first.wait_for()
    page.locator(EDITOR).wait_for()
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert page.title() != "XSS" and not dialogs
    assert "onerror" not in page.locator("#id_body").input_value()
    assert "onerror" not in page.locator(EDITOR).inner_html()
    assert "正文" in page.locator(EDITOR).inner_text()
    context.close()
