import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yuanqu.news.models import Article
from yuanqu.news.tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

WORD_PASTE = (
    '<p class="MsoNormal" style="mso-line-height:1"><span lang="ZH-CN">一季度产值</span></p>'
    '<table class="MsoTableGrid" border="1" style="border:none"><tr><td width="100" style="x">'
    "<p>园区</p></td><td><p>产值</p></td></tr></table>"
    '<img src="data:image/png;base64,iVBORw0KGgo=" width="200">'
    '<a href="javascript:alert(1)" onmouseover="x()">链接</a><script>steal()</script>'
)


def form_data(category, **overrides):
    data = {
        "title": "一季度园区产值", "category": category.pk, "tag_names": "产值, 园区",
        "summary": "", "body": WORD_PASTE, "author": "编辑部", "source_name": "", "source_url": "",
        "status": "draft", "published_at_0": "", "published_at_1": "", "slug": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def png_upload(size=(800, 450)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def test_an_editor_saves_pasted_word_content_with_tables_and_images_kept(login_as, editor):
    client = login_as(editor)

    response = client.post("/admin/news/article/add/", form_data(make_category()))

    assert response.status_code == 302
    article = Article.objects.get()
    assert "<table" in article.body and "<td>" in article.body
    assert "data:image/png" in article.body
    for removed in ("<script", "javascript:", "onmouseover", "style=", "Mso"):
        assert removed not in article.body
    assert sorted(t.name for t in article.tags.all()) == ["产值", "园区"]


def test_an_uploaded_cover_gets_a_thumbnail(login_as, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login_as(editor)

    client.post("/admin/news/article/add/", {**form_data(make_category()), "cover": png_upload()})

    article = Article.objects.get()
    assert article.cover_thumbnail.name.endswith(".jpg")


def test_a_fake_image_cover_is_refused_with_a_message(login_as, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("cover.png", b"PK\x03\x04not an image", content_type="image/png")

    response = login_as(editor).post(
        "/admin/news/article/add/", {**form_data(make_category()), "cover": fake}
    )

    assert response.status_code == 200
    assert Article.objects.count() == 0


def test_the_publish_action_publishes_drafts(login_as, editor):
    draft = make_article(status=Article.Status.DRAFT)

    login_as(editor).post(
        "/admin/news/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.is_public()


def test_the_unpublish_action_turns_articles_back_into_drafts(login_as, editor):
    article = make_article()

    login_as(editor).post(
        "/admin/news/article/", {"action": "unpublish", "_selected_action": [article.pk]}
    )

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_article_form_uses_the_prose_editor_from_its_package(login_as, editor):
    html = login_as(editor).get("/admin/news/article/add/").content.decode()

    assert "data-django-prose-editor-configurable" in html
    assert "/static/django_prose_editor/editor.js" in html


def test_the_editors_import_map_carries_the_responses_csp_nonce(login_as, editor):
    import re

    response = login_as(editor).get("/admin/news/article/add/")

    policy = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert policy is not None
    assert f'<script type="importmap" nonce="{policy.group(1)}">' in response.content.decode()


def test_a_body_sent_back_with_a_form_error_is_sanitised_in_the_editors_textarea(login_as, editor):
    data = form_data(make_category())
    data.update(source_url="http://", body='<p>正文</p><img src="x" onerror="alert(1)">')

    response = login_as(editor).post("/admin/news/article/add/", data)

    assert response.status_code == 200  # the form came back with its error
    html = response.content.decode()
    assert "onerror" not in html and "&lt;p&gt;正文&lt;/p&gt;" in html


def test_the_editors_dialogs_are_translated_into_chinese(login_as, editor):
    # locale/zh_Hans/LC_MESSAGES/djangojs.po, compiled by scripts/messages.sh (make test)
    catalog = login_as(editor).get("/admin/jsi18n/").content.decode()

    assert '"Insert Table": "\\u63d2\\u5165\\u8868\\u683c"' in catalog  # 插入表格
