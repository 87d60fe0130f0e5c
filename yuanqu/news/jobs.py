from yuanqu.core.scheduler import periodic_job


@periodic_job("news.flush_views", every="hourly")
def flush_views(*, period_key: str) -> str:
    """Safety net beside the throttled flush task the beacon queues."""
    from yuanqu.news.services import article_views_flush

    return f"folded {article_views_flush()} buffered article views"


@periodic_job("news.recompute_related", every="daily")
def recompute_related(*, period_key: str) -> str:
    """Nightly full recompute, so older articles also pick up newer related ones."""
    from yuanqu.news.related import related_recompute_all

    return f"recomputed related articles for {related_recompute_all()} articles"
