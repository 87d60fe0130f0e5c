from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.news import selectors
from yuanqu.news.models import Article
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_list_leaves_out_drafts_and_future_articles():
    visible = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(hours=1))

    assert list(selectors.article_list_published()) == [visible]


def test_most_read_orders_by_view_count():
    quiet = make_article()
    popular = make_article()
    Article.objects.filter(pk=popular.pk).update(view_count=50)

    assert selectors.article_list_most_read(limit=2) == [popular, quiet]


def test_page_caches_expire_when_the_next_scheduled_article_goes_public():
    make_article(published_at=timezone.now() + timedelta(seconds=90))

    seconds = selectors.cache_seconds_until_next_publication(default=300)

    assert 80 <= seconds <= 91


def test_page_caches_use_the_default_lifetime_without_scheduled_articles():
    make_article()

    assert selectors.cache_seconds_until_next_publication(default=300) == 300


def test_scheduling_an_article_resets_the_cached_next_publication_time():
    assert selectors.next_scheduled_at() is None
    scheduled = make_article(published_at=timezone.now() + timedelta(minutes=5))

    assert selectors.next_scheduled_at() == scheduled.published_at


def test_preview_finds_drafts_but_public_get_does_not():
    draft = make_article(status=Article.Status.DRAFT)

    assert selectors.article_get_public(pk=draft.pk) is None
    assert selectors.article_get_for_preview(pk=draft.pk) == draft
