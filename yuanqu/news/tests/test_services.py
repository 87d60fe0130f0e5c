from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.core import search
from yuanqu.news.models import Article, ArticleViewEvent
from yuanqu.news.services import (
    article_create,
    article_publish,
    article_unpublish,
    article_view_record,
    article_views_flush,
    is_bot,
)
from yuanqu.news.tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0"


def test_creating_a_published_article_without_a_date_publishes_it_now():
    article = article_create(
        title="标准厂房", category=make_category(), status=Article.Status.PUBLISHED
    )

    assert article.published_at is not None
    assert article.is_public()


def test_an_article_gets_a_pinyin_slug():
    article = article_create(title="徐州经开区", category=make_category())

    assert article.slug == "xu-zhou-jing-kai-qu"


def test_saving_sanitises_the_body():
    article = article_create(
        title="标题", category=make_category(), body='<p onclick="x()">字</p><script>bad()</script>'
    )

    assert article.body == "<p>字</p>"


def test_scheduling_keeps_the_article_hidden_until_its_time():
    article = make_article(status=Article.Status.DRAFT)

    article_publish(article=article, at=timezone.now() + timedelta(hours=2))

    assert not article.is_public()
    assert article.is_public(now=timezone.now() + timedelta(hours=3))


def test_publishing_puts_the_article_in_the_search_index():
    article = make_article(title="集成电路封装项目", status=Article.Status.DRAFT)
    assert search.indexed_ids(kind="article") == set()

    article_publish(article=article)

    assert search.indexed_ids(kind="article") == {article.pk}


def test_unpublishing_takes_the_article_out_of_the_search_index():
    article = make_article(title="集成电路封装项目")

    article_unpublish(article=article)

    assert search.indexed_ids(kind="article") == set()


def test_editing_the_title_updates_the_index():
    article = make_article(title="光伏组件项目")

    article.title = "锂电池项目"
    article.save()

    assert search.matching_ids(kind="article", query="锂电池") == [article.pk]
    assert search.matching_ids(kind="article", query="光伏组件") == []


def test_deleting_an_article_removes_it_from_the_index():
    article = make_article(title="光伏组件项目")

    article.delete()

    assert search.indexed_ids(kind="article") == set()


def test_publishing_queues_a_related_articles_refresh_after_commit(
    django_capture_on_commit_callbacks,
):
    article = make_article(status=Article.Status.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks:
        article_publish(article=article)

    assert len(callbacks) == 1


def test_saving_a_draft_queues_no_related_refresh(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        article_create(title="草稿", category=make_category())

    assert callbacks == []


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "Googlebot/2.1",
        "curl/8.0",
        "python-requests/2.31",
    ],
)
def test_known_bots_are_recognised(agent):
    assert is_bot(agent)


def test_a_phone_browser_is_not_a_bot():
    assert not is_bot(BROWSER)


def test_a_real_view_is_buffered():
    article = make_article()

    counted = article_view_record(article_id=article.pk, ip="10.0.0.1", user_agent=BROWSER)

    assert counted
    assert ArticleViewEvent.objects.filter(article=article).count() == 1


def test_a_repeat_view_from_the_same_client_is_not_counted():
    article = make_article()
    article_view_record(article_id=article.pk, ip="10.0.0.1", user_agent=BROWSER)

    counted = article_view_record(article_id=article.pk, ip="10.0.0.1", user_agent=BROWSER)

    assert not counted
    assert ArticleViewEvent.objects.count() == 1


def test_views_from_two_clients_both_count():
    article = make_article()

    article_view_record(article_id=article.pk, ip="10.0.0.1", user_agent=BROWSER)
    article_view_record(article_id=article.pk, ip="10.0.0.2", user_agent=BROWSER)

    assert ArticleViewEvent.objects.count() == 2


def test_a_bot_view_is_not_counted():
    article = make_article()

    assert not article_view_record(article_id=article.pk, ip="10.0.0.1", user_agent="Googlebot/2.1")
    assert ArticleViewEvent.objects.count() == 0


def test_flushing_adds_buffered_views_to_the_counter_and_empties_the_buffer():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(view_count=5)
    ArticleViewEvent.objects.bulk_create([ArticleViewEvent(article=article) for _ in range(3)])

    folded = article_views_flush(batch_size=2)

    article.refresh_from_db()
    assert folded == 3
    assert article.view_count == 8
    assert ArticleViewEvent.objects.count() == 0


def test_flushing_twice_never_counts_a_view_twice():
    article = make_article()
    ArticleViewEvent.objects.create(article=article)
    article_views_flush()

    article_views_flush()

    article.refresh_from_db()
    assert article.view_count == 1
