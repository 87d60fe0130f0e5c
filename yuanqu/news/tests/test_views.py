import json
import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yuanqu.news.models import Article, ArticleViewEvent, RelatedArticle
from yuanqu.news.tests.factories import make_article, make_category
from yuanqu.parks.tests.factories import make_industry, make_park

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36"


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def article():
    category = make_category(name="园区动态", slug="yuanqu-dongtai")
    return make_article(title="经开区标准厂房交付", category=category, author="编辑部")


def link_related(article, count):
    for position in range(count):
        other = make_article(title=f"相关{position}", category=article.category)
        RelatedArticle.objects.create(article=article, related=other, score=0.5, position=position)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


# --- home and lists ---------------------------------------------------------------------------


def test_home_shows_latest_articles_search_box_and_entry_points(client, article):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert article.title in html
    assert 'action="/search/"' in html
    for entry in ('href="/parks/"', 'href="/carriers/"', 'href="/needs/new/"'):
        assert entry in html


def test_home_does_not_list_drafts_or_scheduled_articles(client):
    make_article(title="草稿文章", status=Article.Status.DRAFT)
    make_article(title="明天发布", published_at=timezone.now() + timedelta(days=1))

    html = client.get("/").content.decode()

    assert "草稿文章" not in html
    assert "明天发布" not in html


def test_category_page_paginates_with_the_page_in_the_path(client):
    category = make_category(slug="zhengce")
    for number in range(20):
        make_article(title=f"政策{number:02d}", category=category, days_ago=number + 1)

    response = client.get("/news/category/zhengce/page/2/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "政策15" in html
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/news/category/zhengce/page/2/">' in html
    )
    assert '<link rel="prev" href="/news/category/zhengce/">' in html


def test_category_page_accepts_the_page_as_a_query_parameter(client):
    category = make_category(slug="zhengce")
    for _ in range(20):
        make_article(category=category)

    response = client.get("/news/category/zhengce/?page=2")

    assert '/news/category/zhengce/page/2/"' in response.content.decode()


def test_a_page_past_the_end_is_not_found(client, article):
    assert client.get("/news/page/9/").status_code == 404


def test_unknown_category_is_not_found(client):
    assert client.get("/news/category/nope/").status_code == 404


def test_list_page_queries_do_not_grow_with_the_number_of_articles(client):
    category = make_category(slug="c")
    make_article(category=category)
    few = count_queries(client, "/news/category/c/")
    for _ in range(10):
        make_article(category=category)

    many = count_queries(client, "/news/category/c/")

    assert many == few


def test_a_category_page_counts_an_article_published_after_it_was_shown(client):
    category = make_category(slug="c")
    for _ in range(15):
        make_article(category=category)
    assert client.get("/news/category/c/page/2/").status_code == 404

    make_article(category=category)

    assert client.get("/news/category/c/page/2/").status_code == 200


def test_a_category_page_counts_a_scheduled_article_once_its_time_has_come(client, monkeypatch):
    category = make_category(slug="c")
    for _ in range(15):
        make_article(category=category)
    make_article(category=category, published_at=timezone.now() + timedelta(minutes=2))
    assert client.get("/news/category/c/page/2/").status_code == 404

    # Three minutes on, for the pages and for the cache's expiry alike.
    later, offset = timezone.now() + timedelta(minutes=3), 180
    real_time = time.time
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: real_time() + offset)

    assert client.get("/news/category/c/page/2/").status_code == 200


def test_list_pages_advertise_their_rss_feed(client, article):
    html = client.get("/news/category/yuanqu-dongtai/").content.decode()

    assert 'type="application/rss+xml"' in html
    assert "/news/category/yuanqu-dongtai/feed/" in html


# --- article page ---------------------------------------------------------------------------


def test_article_page_shows_breadcrumb_title_author_date_and_views(client, article):
    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "首页" in html and "园区动态" in html and "正文" in html
    assert "<h1>经开区标准厂房交付</h1>" in html
    assert "编辑部" in html
    assert timezone.localtime(article.published_at).strftime("%Y年") in html
    assert "阅读 0" in html


def test_article_page_has_canonical_open_graph_and_news_article_json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    canonical = f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title


def test_json_ld_cannot_be_broken_out_of_by_the_title(client):
    article = make_article(title="</script><script>alert(1)</script>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html


def test_the_id_alone_redirects_to_the_canonical_url(client, article):
    response = client.get(f"/news/{article.pk}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_a_wrong_slug_redirects_to_the_canonical_url(client, article):
    response = client.get(f"/news/{article.pk}/wrong-slug/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_article_shows_the_404_page_with_a_search_box(client):
    response = client.get("/news/999999/")

    assert response.status_code == 404
    assert 'action="/search/"' in response.content.decode()


def test_a_draft_is_not_found_for_the_public(client):
    draft = make_article(status=Article.Status.DRAFT)

    assert client.get(f"/news/{draft.pk}/").status_code == 404


def test_a_scheduled_article_is_not_found_before_its_time(client):
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))

    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_editors_can_preview_a_draft(login_as, editor):
    draft = make_article(title="待审稿件", status=Article.Status.DRAFT)

    response = login_as(editor).get(f"/news/{draft.pk}/preview/")

    assert response.status_code == 200
    assert "待审稿件" in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_the_public_cannot_preview_a_draft(client):
    draft = make_article(status=Article.Status.DRAFT)

    assert client.get(f"/news/{draft.pk}/preview/").status_code == 404


def test_staff_without_news_rights_cannot_preview(login_as, park_manager):
    draft = make_article(status=Article.Status.DRAFT)

    assert login_as(park_manager).get(f"/news/{draft.pk}/preview/").status_code == 404


def test_article_page_links_parks_industries_and_prefills_the_need_form(client, article):
    park = make_park(name="徐州经济技术开发区")
    industry = make_industry("3514", "建筑工程用机械制造")
    article.parks.add(park)
    article.industries.add(industry)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "徐州经济技术开发区" in html
    assert "建筑工程用机械制造" in html
    assert (
        f"/needs/new/?park={park.pk}&amp;industry=3514&amp;source=%2Fnews%2F{article.pk}%2F" in html
    )


def test_article_page_lists_related_articles_with_excerpts(client, article):
    other = make_article(title="工业园区厂房交付", body="<p>一期厂房已经交付使用。</p>")
    RelatedArticle.objects.create(article=article, related=other, score=0.4, position=0)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "相关文章" in html
    assert "工业园区厂房交付" in html
    assert "一期厂房已经交付使用。" in html


def test_related_articles_that_were_unpublished_are_not_shown(client, article):
    other = make_article(title="已撤回的文章")
    RelatedArticle.objects.create(article=article, related=other, score=0.4, position=0)
    Article.objects.filter(pk=other.pk).update(status=Article.Status.DRAFT)

    assert "已撤回的文章" not in client.get(article.get_absolute_url()).content.decode()


def test_article_page_queries_do_not_grow_with_related_articles(login_as, editor, article):
    # Signed-in users skip the page cache, so every request renders.
    client = login_as(editor)
    link_related(article, 1)
    one = count_queries(client, article.get_absolute_url())
    RelatedArticle.objects.filter(article=article).delete()
    link_related(article, 8)

    eight = count_queries(client, article.get_absolute_url())

    assert eight == one


def test_anonymous_article_pages_are_served_from_the_cache(client, article):
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as context:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert len(context) == 0


def test_editing_an_article_refreshes_its_cached_page(client, article):
    client.get(article.get_absolute_url())

    article.title = "新标题"
    article.save()

    assert "新标题" in client.get(article.get_absolute_url()).content.decode()


def test_the_page_loads_the_view_beacon_script(client, article):
    assert "news/article.js" in client.get(article.get_absolute_url()).content.decode()


def test_the_beacon_counts_a_view_even_when_the_page_came_from_cache(client, article):
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())  # served from cache

    response = client.post(f"/news/{article.pk}/view")

    assert response.status_code == 204
    assert ArticleViewEvent.objects.filter(article=article).count() == 1


def test_the_beacon_ignores_bots(article):
    bot = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Baiduspider/2.0)")

    bot.post(f"/news/{article.pk}/view")

    assert ArticleViewEvent.objects.count() == 0


def test_the_beacon_ignores_drafts(client):
    draft = make_article(status=Article.Status.DRAFT)

    client.post(f"/news/{draft.pk}/view")

    assert ArticleViewEvent.objects.count() == 0


def test_the_beacon_refuses_get(client, article):
    assert client.get(f"/news/{article.pk}/view").status_code == 405


def test_the_article_page_refuses_post(client, article):
    assert client.post(article.get_absolute_url()).status_code == 405


def test_qr_code_is_an_svg_of_the_canonical_url(client, article):
    response = client.get(f"/news/{article.pk}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_article_page_offers_copy_link_and_qr(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert "复制链接" in html
    assert f"/news/{article.pk}/qr.svg" in html


# --- search -----------------------------------------------------------------------------------


def test_search_finds_articles_and_highlights_the_terms(client, article):
    response = client.get("/search/", {"q": "标准厂房"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>标准厂房</mark>" in html
    assert article.get_absolute_url() in html


def test_search_with_no_results_shows_a_useful_empty_state(client, article):
    html = client.get("/search/", {"q": "月球基地"}).content.decode()

    assert "没有找到" in html
    assert "/needs/new/" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 300,
        "!!!???",
        '" OR 1=1 --',
        "NEAR(厂房",
        "厂房*",
        "AND",
        "標準廠房 标准",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_search_queries_return_a_normal_page(client, article, query):
    response = client.get("/search/", {"q": query, "page": "abc", "from": "2020-99-99"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_filters_by_category(client):
    wanted = make_article(title="厂房出租政策", category=make_category(slug="zc"))
    other = make_article(title="厂房出租动态", category=make_category(slug="dt"))

    html = client.get("/search/", {"q": "厂房", "category": "zc"}).content.decode()

    assert wanted.get_absolute_url() in html
    assert other.get_absolute_url() not in html


def test_search_filters_by_date(client):
    recent = make_article(title="厂房新闻甲", days_ago=2)
    old = make_article(title="厂房新闻乙", days_ago=100)

    html = client.get("/search/", {"q": "厂房新闻", "since": "30"}).content.decode()

    assert recent.get_absolute_url() in html
    assert old.get_absolute_url() not in html


def test_search_park_tab_lists_parks(client):
    park = make_park(name="徐州工业园区", description="标准厂房约100万平方米")

    html = client.get("/search/", {"q": "工业园区", "type": "park"}).content.decode()

    assert "<mark>工业园区</mark>" in html
    assert park.get_absolute_url() in html


def test_search_returns_the_results_fragment_to_htmx(client, article):
    response = client.get("/search/", {"q": "标准厂房"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'id="results"' in html
    assert "<html" not in html


# --- feeds, sitemap, robots -----------------------------------------------------------------------


def test_the_rss_feed_lists_published_articles_only(client, article):
    make_article(title="定时稿", published_at=timezone.now() + timedelta(hours=1))

    xml = client.get("/news/feed/").content.decode()

    assert article.title in xml
    assert "定时稿" not in xml


def test_each_category_has_its_own_feed(client, article):
    make_article(title="别的分类文章")

    xml = client.get("/news/category/yuanqu-dongtai/feed/").content.decode()

    assert article.title in xml
    assert "别的分类文章" not in xml


def test_sitemap_lists_articles_and_categories(client, article):
    xml = client.get("/sitemap.xml").content.decode()

    assert article.get_absolute_url() in xml
    assert "/news/category/yuanqu-dongtai/" in xml


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_robots_txt_lets_the_need_form_be_crawled_but_not_a_persons_results(client):
    from urllib.robotparser import RobotFileParser

    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())

    assert robots.can_fetch("*", "/needs/new/")
    assert not robots.can_fetch("*", "/needs/r/0b7e6c1e-5f7a-4c55-9a43-2f1f3c1d7e90/")


def test_a_scheduled_article_appears_once_its_time_has_come(client):
    scheduled = make_article(title="九点发布", published_at=timezone.now() + timedelta(hours=1))
    assert "九点发布" not in client.get("/").content.decode()

    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    from django.core.cache import cache

    cache.clear()  # what the cache timeout (capped at the scheduled time) does by itself

    assert "九点发布" in client.get("/").content.decode()


def test_a_repeat_view_is_caught_by_the_cookie_even_on_another_worker(client, article):
    from django.core.cache import cache

    client.post(f"/news/{article.pk}/view")
    cache.clear()  # another worker process: its local-memory cache never saw this client

    client.post(f"/news/{article.pk}/view")

    assert ArticleViewEvent.objects.count() == 1


def test_a_forged_seen_cookie_is_ignored_when_malformed(client, article):
    client.cookies["yq_seen"] = "x.y-;;-99999999999999999999"

    response = client.post(f"/news/{article.pk}/view")

    assert response.status_code == 204
    assert ArticleViewEvent.objects.count() == 1


def test_sitemap_lists_parks_when_their_detail_pages_exist(client, article):
    park = make_park(name="示范工业园区")

    assert park.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_search_filters_by_an_explicit_date_range(client):
    inside = make_article(title="厂房新闻丙", days_ago=20)
    outside = make_article(title="厂房新闻丁", days_ago=3)
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    end = (timezone.localdate() - timedelta(days=10)).isoformat()

    html = client.get("/search/", {"q": "厂房新闻", "from": start, "to": end}).content.decode()

    assert inside.get_absolute_url() in html
    assert outside.get_absolute_url() not in html
    assert f'value="{start}"' in html
