from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from yuanqu.news.importer import Refused, import_path, parse_page, resolve_date
from yuanqu.news.models import Article

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = date(2026, 11, 25)


def parse(name, as_of=AS_OF):
    path = FIXTURES / name
    return parse_page(path.read_text(encoding="utf-8"), as_of=as_of, is_html=name.endswith(".html"))


def test_a_text_page_yields_title_category_author_and_views():
    parsed = parse("page_relative_date.txt")

    assert parsed.title == "示范园区新建标准厂房二期交付 首批企业进场装修"
    assert parsed.category == "园区动态"
    assert parsed.author == "editor"
    assert parsed.view_count == 42


def test_a_relative_date_with_month_day_resolves_against_the_as_of_date():
    parsed = parse("page_relative_date.txt")

    assert timezone.localtime(parsed.published_at).date() == date(2026, 8, 15)


def test_ten_months_ago_with_a_month_day_lands_in_the_previous_year():
    resolved = resolve_date("10个月前 (09-24)", as_of=date(2026, 7, 30))

    assert resolved is not None
    assert resolved.date() == date(2025, 9, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3天前", date(2026, 11, 22)), ("2周前", date(2026, 11, 11)), ("刚刚", AS_OF),
     ("2024-05-06 09:30", date(2024, 5, 6)), ("2023年7月21日", date(2023, 7, 21))],
)  # fmt: skip
def test_other_date_forms_resolve(text, expected):
    resolved = resolve_date(text, as_of=AS_OF)

    assert resolved is not None
    assert resolved.date() == expected


def test_the_body_starts_with_the_first_paragraph():
    parsed = parse("page_relative_date.txt")

    assert parsed.paragraphs[0].startswith("7月下旬")
    assert len(parsed.paragraphs) == 3


def test_the_body_leaves_out_contact_block_copyright_share_and_related_list():
    body = parse("page_relative_date.txt").html()

    for boilerplate in ("微信", "13800000000", "版权声明", "分享给朋友", "相关文章", "不应该出现"):
        assert boilerplate not in body


def test_an_absolute_date_page_reads_its_source_url_line():
    parsed = parse("page_absolute_date.txt")

    assert parsed.source_url == "https://example.com/news/200.html"
    assert parsed.view_count == 128
    assert parsed.category == "招商政策"


def test_an_html_page_yields_the_same_fields_and_keeps_images():
    parsed = parse("page.html")

    assert parsed.title == "示范园区举办项目集中签约活动"
    assert parsed.category == "项目建设"
    assert parsed.view_count == 305
    assert parsed.source_url == "https://example.com/index.php/post/77.html"
    assert '<img src="https://example.com/uploads/sign.jpg"' in parsed.html()
    assert "微信" not in parsed.html()
    assert "tracking" not in parsed.html()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing_share.txt", "分享给朋友"),
        ("no_breadcrumb.txt", "面包屑"),
    ],
)
def test_pages_without_the_markers_are_refused_with_the_reason(name, reason):
    with pytest.raises(Refused, match=reason):
        parse(name)


def test_a_page_cut_before_its_footer_is_taken_to_the_end_of_its_text():
    parsed = parse("cut_before_footer.txt")
    assert parsed.warnings == ["未找到版权声明,正文取到文末,请核对"]
    assert "三年租金减免" in parsed.html() and "微信" not in parsed.html()


def test_a_page_without_copyright_but_with_the_share_widget_ends_there():
    parsed = parse("missing_copyright.txt")
    assert "正文内容在这里" in parsed.html() and parsed.warnings


def test_the_report_of_a_cut_page_carries_the_warning():
    report = import_path(FIXTURES / "cut_before_footer.txt", as_of=AS_OF)
    assert not report.refused and "请核对" in report.line()


def test_a_cut_page_without_a_date_is_still_refused():
    with pytest.raises(Refused):
        parse("cut_without_date.txt")


def test_importing_a_page_creates_a_published_article():
    report = import_path(FIXTURES / "page_relative_date.txt", as_of=AS_OF)

    article = Article.objects.get()
    assert not report.refused
    assert article.is_public()
    assert article.category.name == "园区动态"
    assert article.view_count == 42


def test_importing_the_same_page_twice_updates_instead_of_duplicating():
    import_path(FIXTURES / "page_relative_date.txt", as_of=AS_OF)

    report = import_path(FIXTURES / "page_relative_date.txt", as_of=AS_OF)

    assert Article.objects.count() == 1
    assert "更新" in report.line()


def test_a_page_with_a_source_url_is_matched_by_it():
    import_path(FIXTURES / "page_absolute_date.txt", as_of=AS_OF)
    Article.objects.update(title="编辑改过的标题")

    import_path(FIXTURES / "page_absolute_date.txt", as_of=AS_OF)

    assert Article.objects.count() == 1


def test_a_refused_file_writes_nothing():
    report = import_path(FIXTURES / "missing_share.txt", as_of=AS_OF)

    assert report.refused
    assert Article.objects.count() == 0


def test_a_wordpress_export_imports_published_posts_only():
    report = import_path(FIXTURES / "export.xml", as_of=AS_OF)

    article = Article.objects.get()
    assert article.title == "示范园区召开企业服务座谈会"
    assert article.source_url == "https://example.com/index.php/post/501.html"
    assert article.view_count == 88
    assert [tag.name for tag in article.tags.all()] == ["企业服务"]
    assert "<table>" in article.body and "<script>" not in article.body
    assert "草稿" in report.line()


def test_a_malformed_export_is_refused():
    report = import_path(FIXTURES / "broken.xml", as_of=AS_OF)

    assert report.refused
    assert "XML" in report.line()


def test_the_command_reports_every_file(tmp_path):
    out = StringIO()

    call_command(
        "import_articles",
        str(FIXTURES / "page_relative_date.txt"),
        str(FIXTURES / "missing_share.txt"),
        str(tmp_path / "absent.txt"),
        "--as-of",
        "2026-11-25",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert "[完成]" in lines[0]
    assert "[拒绝]" in lines[1] and "分享给朋友" in lines[1]
    assert "[拒绝]" in lines[2] and "文件不存在" in lines[2]
    assert "1 个文件已导入,2 个被拒绝" in lines[3]


def test_the_command_rejects_a_malformed_as_of_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_articles", str(FIXTURES / "page.html"), "--as-of", "25/11/2026")


def test_an_html_page_keeps_its_tables_lists_and_captioned_images_sanitised():
    body = parse("page_with_table.html").html()
    assert "<table>" in body and "<td>6,000</td>" in body and "onclick" not in body
    assert "<li>层高 9 米</li>" in body
    assert (
        "<figcaption>A1 厂房外景</figcaption>" in body
        and 'src="https://example.com/uploads/a1.jpg"' in body
    )
    assert "style=" not in body
