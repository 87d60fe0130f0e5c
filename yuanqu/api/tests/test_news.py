"""Articles and categories through the API: the same articles the news pages show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.news.models import Article, Tag
from yuanqu.news.tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def ids(body):
    return [item["id"] for item in body["items"]]


def test_categories_in_display_order(api):
    make_category(name="政策", slug="zhengce")
    _status, body = api.get("/categories")
    assert [c["slug"] for c in body] == ["zhengce"]


def test_articles_newest_first_across_pages_without_overlap(api):
    by_age = {days: make_article(days_ago=days).pk for days in (3, 1, 2, 5, 4)}
    newest_first = [by_age[days] for days in sorted(by_age)]
    _status, first = api.get("/articles", limit=2)
    _status, second = api.get("/articles", limit=2, cursor=first["next_cursor"])
    _status, third = api.get("/articles", limit=2, cursor=second["next_cursor"])
    assert ids(first) + ids(second) + ids(third) == newest_first
    assert third["next_cursor"] is None


def test_articles_of_the_same_minute_are_neither_lost_nor_repeated(api):
    moment = timezone.now()
    made = [make_article(published_at=moment) for _ in range(3)]
    _status, first = api.get("/articles", limit=2)
    _status, second = api.get("/articles", limit=2, cursor=first["next_cursor"])
    assert sorted(ids(first) + ids(second)) == sorted(a.pk for a in made)


def test_drafts_and_scheduled_articles_stay_out(api):
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(days=1))
    _status, body = api.get("/articles")
    assert body["items"] == []


def test_articles_of_one_category(api):
    policy = make_category(name="政策", slug="zhengce")
    wanted = make_article(category=policy)
    make_article()
    assert ids(api.get("/articles", category="zhengce")[1]) == [wanted.pk]


def test_articles_of_one_tag(api):
    wanted, _other = make_article(), make_article()
    wanted.tags.add(Tag.objects.create(name="专精特新"))
    assert ids(api.get("/articles", tag="专精特新")[1]) == [wanted.pk]


def test_search_ranks_with_the_site_search(api):
    wanted = make_article(title="徐工集团新建挖掘机产线", body="<p>挖掘机</p>")
    make_article(title="光伏组件项目签约")
    assert ids(api.get("/articles", q="挖掘机")[1]) == [wanted.pk]


def test_the_detail_has_the_sanitised_body_tags_and_related(api):
    article = make_article(body='<p>厂房<a href="https://example.cn" onclick="x()">链接</a></p>')
    status, body = api.get(f"/articles/{article.pk}")
    assert status == 200 and "onclick" not in body["body_html"] and "厂房" in body["body_html"]
    assert body["published_at"].endswith("+08:00") and body["url"].startswith("http")
    assert body["related"] == []


def test_a_draft_is_not_found(api):
    draft = make_article(status=Article.Status.DRAFT)
    status, body = api.get(f"/articles/{draft.pk}")
    assert status == 404 and body["error"]["code"] == "not_found"
