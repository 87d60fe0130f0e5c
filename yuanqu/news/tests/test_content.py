import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yuanqu.news.content import (
    html_to_text,
    make_thumbnail,
    pinyin_slug,
    sanitize_html,
    validate_cover,
)


def test_sanitising_removes_scripts_with_their_content():
    assert sanitize_html("<p>正文</p><script>alert(1)</script>") == "<p>正文</p>"


def test_sanitising_removes_event_handlers():
    assert "onerror" not in sanitize_html('<img src="https://a.cn/x.png" onerror="alert(1)">')


def test_sanitising_removes_javascript_links():
    assert "javascript" not in sanitize_html('<a href="javascript:alert(1)">点我</a>')


def test_sanitising_removes_style_attributes_and_style_elements():
    cleaned = sanitize_html('<p style="color:red">字</p><style>p{}</style>')

    assert "style" not in cleaned
    assert "字" in cleaned


def test_sanitising_keeps_tables_from_word():
    pasted = (
        '<table class="MsoTableGrid" style="border:1px"><tr><td colspan="2" style="x">'
        "<p class=MsoNormal>产值<o:p></o:p></p></td></tr></table>"
    )

    cleaned = sanitize_html(pasted)

    assert '<td colspan="2">' in cleaned
    assert "产值" in cleaned
    assert "Mso" not in cleaned


def test_sanitising_keeps_images_including_pasted_data_images():
    data_image = "data:image/png;base64,iVBORw0KGgo="

    cleaned = sanitize_html(f'<img src="https://a.cn/x.png" alt="图"><img src="{data_image}">')

    assert 'src="https://a.cn/x.png"' in cleaned
    assert data_image in cleaned


def test_sanitising_drops_data_urls_outside_images():
    assert "data:" not in sanitize_html('<a href="data:text/html,<script>alert(1)</script>">x</a>')


def test_sanitising_drops_html_comments_such_as_word_conditionals():
    assert "if gte" not in sanitize_html("<!--[if gte mso 9]><xml></xml><![endif]--><p>字</p>")


def test_html_to_text_keeps_one_line_per_block():
    assert html_to_text("<p>第一段</p><p>第二&amp;段</p>") == "第一段\n第二&段"


def test_pinyin_slug_spells_the_chinese_title():
    assert pinyin_slug("徐州经开区") == "xu-zhou-jing-kai-qu"


def test_pinyin_slug_is_capped_at_a_word_boundary():
    slug = pinyin_slug("徐州" * 40, max_length=20)

    assert len(slug) <= 20
    assert not slug.endswith("-")


def image_file(*, size=(800, 450), image_format="PNG", name="cover.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 170)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_real_image_passes_cover_validation():
    assert validate_cover(image_file()) == "PNG"


def test_a_zip_named_like_an_image_is_refused():
    fake = SimpleUploadedFile("cover.jpg", b"PK\x03\x04" + b"0" * 500, content_type="image/jpeg")

    with pytest.raises(ValidationError):
        validate_cover(fake)


def test_a_tiny_image_is_refused():
    with pytest.raises(ValidationError):
        validate_cover(image_file(size=(50, 50)))


def test_an_image_with_too_many_pixels_is_refused():
    with pytest.raises(ValidationError):
        validate_cover(image_file(size=(6000, 4100)))


def test_an_oversized_file_is_refused_before_decoding():
    upload = image_file()
    upload.size = 6 * 1024 * 1024

    with pytest.raises(ValidationError):
        validate_cover(upload)


def test_thumbnail_fits_the_thumbnail_box():
    thumbnail = make_thumbnail(image_file(size=(1600, 900)))

    with Image.open(thumbnail) as image:
        assert image.size == (480, 270)
        assert image.format == "JPEG"
