"""The article page's cached parts (news.views._article_extras) never show stale content.

The whole-page cache is turned off here, so each request renders the page from the article
row plus its cached parts, as the bench does (issue 4).
"""

import pytest
from django.db.models import F
from django.test import Client

from yuanqu.news.models import Article, Tag
from yuanqu.news.related import related_recompute_all, related_refresh_for_article
from yuanqu.news.tests.factories import make_article, make_category
from yuanqu.news.tests.test_related import corpus, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NEWS_PAGE_CACHE = False


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_article_shows_its_new_title_and_text_at_once(client):
    article = make_article(title="旧标题", body="<p>旧正文</p>")
    page(client, article)

    article.title = "新标题"
    article.body = "<p>新正文</p>"
    article.save()
    html = page(client, article)

    assert "新标题" in html and "新正文" in html
    assert "旧标题" not in html and "旧正文" not in html


def test_refreshing_related_articles_shows_the_new_list_at_once(client):
    story, reworded, _traditional = corpus()
    related_recompute_all()
    newcomer = make_story(
        ("经开区封装测试项目投产", "<p>晶圆封装测试项目投产,年封装芯片十亿颗。</p>")
    )
    assert "相关文章" not in page(client, newcomer)

    related_refresh_for_article(article_id=newcomer.pk)
    html = page(client, newcomer)

    assert "相关文章" in html
    assert story.title in html or reworded.title in html


def test_recomputing_all_related_articles_shows_the_new_lists_at_once(client):
    story, reworded, _traditional = corpus()
    assert "相关文章" not in page(client, story)

    related_recompute_all()

    assert reworded.title in page(client, story)


def test_renaming_the_category_shows_the_new_name_at_once(client):
    category = make_category(name="旧栏目", slug="lanmu")
    article = make_article(category=category)
    page(client, article)

    category.name = "新栏目"
    category.save()

    assert "新栏目" in page(client, article)


def test_tagging_an_article_shows_the_tag_at_once(client):
    article = make_article()
    page(client, article)

    article.tags.add(Tag.objects.create(name="集成电路"))

    assert "集成电路" in page(client, article)


def test_the_view_count_is_current_while_the_rest_of_the_page_is_cached(client):
    article = make_article()
    page(client, article)

    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 42)

    assert "阅读 42" in page(client, article)


def test_an_unpublished_article_is_gone_at_once(client):
    article = make_article()
    page(client, article)

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_repeat_anonymous_request_reads_only_the_article_row(client, django_assert_num_queries):
    article = make_article()
    page(client, article)

    with django_assert_num_queries(1):
        page(client, article)


def test_renaming_a_linked_park_shows_the_new_name_at_once(client):
    from yuanqu.parks.tests.factories import make_park

    park = make_park(name="旧名园区", short_name="")
    article = make_article()
    article.parks.add(park)
    assert "旧名园区" in page(client, article)

    park.name = "新名园区"
    park.save()

    html = page(client, article)
    assert "新名园区" in html and "旧名园区" not in html


def test_renaming_a_linked_industry_shows_the_new_name_at_once(client):
    from yuanqu.core.models import Industry

    industry = Industry.objects.create(code="3514", name="旧行业名称", level=Industry.Level.CLASS)
    article = make_article()
    article.industries.add(industry)
    assert "旧行业名称" in page(client, article)

    industry.name = "新行业名称"
    industry.save()

    assert "新行业名称" in page(client, article)
