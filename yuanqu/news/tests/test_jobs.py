import pytest

from yuanqu.news.jobs import flush_views, recompute_related
from yuanqu.news.models import Article, ArticleViewEvent
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_hourly_job_folds_buffered_views():
    article = make_article()
    ArticleViewEvent.objects.create(article=article)

    summary = flush_views(period_key="2026-11-25T09")

    assert summary == "folded 1 buffered article views"
    assert Article.objects.get(pk=article.pk).view_count == 1


def test_the_daily_job_recomputes_related_articles():
    make_article()

    assert (
        recompute_related(period_key="2026-11-25") == "recomputed related articles for 1 articles"
    )
