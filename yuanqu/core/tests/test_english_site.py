"""The public site in English (/en/): every page renders with no untranslated interface text.

The content is made with ASCII names (park, region, industry, carrier, article), so any
Chinese character left in an English page's visible text or its labelling attributes is an
interface string that missed the catalogue. The only Chinese allowed is what is marked as
Chinese (`lang="zh-…"`, e.g. the language switch's 中文).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import translation

from yuanqu.leads.models import Lead

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
LABEL_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "value", "content")
SKIPPED_TAGS = {"script", "style", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}  # fmt: skip


class _ChineseFinder(HTMLParser):
    """Chinese text outside elements marked lang="zh…" (and outside scripts and styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped here or above)
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        skipping = (
            self._skipping()
            or tag in SKIPPED_TAGS
            or (values.get("lang") or "").lower().startswith("zh")
        )
        if not skipping:
            # A <meta> is shown text only as the description (others hold URLs, titles).
            shown = tag != "meta" or values.get("name") == "description"
            for name in LABEL_ATTRIBUTES:
                if shown and values.get(name) and CJK.search(values[name] or ""):
                    self.found.append(f"<{tag} {name}={values[name]!r}>")
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipping))

    def handle_endtag(self, tag) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data) -> None:
        if not self._skipping() and CJK.search(data):
            self.found.append(data.strip())


def chinese_left_in(html: str) -> list[str]:
    finder = _ChineseFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def english_content(settings):
    """A park, a carrier, an article and their reference rows, all named in English."""
    from yuanqu.core.models import Industry, Region
    from yuanqu.listings.tests.factories import make_carrier
    from yuanqu.news.tests.factories import make_article, make_category
    from yuanqu.parks.tests.factories import make_park

    settings.NEWS_PAGE_CACHE = False
    cache.clear()
    city = Region.objects.create(code="320300", name="Xuzhou", level=Region.Level.PREFECTURE)
    county = Region.objects.create(
        code="320312", name="Tongshan", level=Region.Level.COUNTY, parent=city
    )
    section = Industry.objects.create(code="C", name="Manufacturing", level=Industry.Level.SECTION, section="C")  # fmt: skip
    industry = Industry.objects.create(
        code="35", name="Special machinery", level=Industry.Level.DIVISION, parent=section, section="C"
    )  # fmt: skip
    park = make_park(
        name="Test Zone", short_name="Test Zone", slug="test-zone", region=county,
        coord_source="region:320312", industry_note="Machinery", established="1992",
        contact_address="1 Test Road",
    )  # fmt: skip
    park.leading_industries.add(industry)
    carrier = make_carrier(
        park=park, title="Unit A", description="A bright hall", address="1 Test Road"
    )
    category = make_category(name="Park news", slug="park-news")
    article = make_article(
        title="Plant opens", body="<p>A new plant opened.</p>", category=category,
        summary="Plant", author="Desk", source_name="Desk",
    )  # fmt: skip
    article.parks.add(park)
    return {"park": park, "carrier": carrier, "article": article, "category": category}


PUBLIC_PAGES = [
    "/en/",
    "/en/news/",
    "/en/news/category/park-news/",
    "/en/search/?q=plant",
    "/en/parks/",
    "/en/parks/test-zone/",
    "/en/carriers/",
    "/en/carriers/?view=map",
    "/en/carriers/compare/",
    "/en/needs/new/",
    "/en/needs/privacy/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_english_page_has_no_untranslated_interface_text(client, english_content, path):
    response = client.get(path)

    assert response.status_code == 200
    assert chinese_left_in(response.content.decode()) == []


def test_an_english_carrier_page_has_no_untranslated_interface_text(client, english_content):
    response = client.get(f"/en/carriers/{english_content['carrier'].pk}/")

    assert response.status_code == 200
    assert chinese_left_in(response.content.decode()) == []


def test_an_english_article_page_has_no_untranslated_interface_text(client, english_content):
    with translation.override("en"):
        path = english_content["article"].get_absolute_url()

    response = client.get(path)

    assert response.status_code == 200
    assert chinese_left_in(response.content.decode()) == []


def test_the_english_need_results_page_has_no_untranslated_interface_text(client, english_content):
    response = client.post(
        "/en/needs/new/",
        {
            "kind": "factory", "deal": "rent", "area_min": "1000", "area_max": "3000",
            "area_unit": "m2", "parks": [english_content["park"].pk], "mobile": "13812341234",
            "company": "Acme", "contact_name": "Ann", "consent": "on",
            "idempotency_key": "9b6d3c1e-1111-4a2b-9c3d-000000000001",
        },
    )  # fmt: skip
    assert response.status_code == 302, chinese_left_in(response.content.decode())
    assert response["Location"].startswith("/en/needs/r/")

    page = client.get(response["Location"])

    assert Lead.objects.count() == 1
    assert chinese_left_in(page.content.decode()) == []


def test_the_english_need_results_page_says_how_many_submissions_were_merged(
    client, english_content
):
    lead = Lead.objects.create(
        kind="factory", deal="rent", mobile="13812341234", submission_count=3
    )

    page = client.get(f"/en/needs/r/{lead.access_token}/")

    assert "3 submissions merged" in page.content.decode()


def test_an_english_404_page_has_no_untranslated_interface_text(client, english_content):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert chinese_left_in(response.content.decode()) == []
