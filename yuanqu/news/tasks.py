from django_tasks import task


@task()
def refresh_related_articles(article_id: int) -> int:
    """Recompute one article's stored related list (queued when it is published or edited)."""
    from yuanqu.news.related import related_refresh_for_article

    return len(related_refresh_for_article(article_id=article_id))


@task()
def flush_article_views() -> int:
    """Fold buffered view events into the articles' counters."""
    from yuanqu.news.services import article_views_flush

    return article_views_flush()
