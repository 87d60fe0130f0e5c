"""Writes for news: articles, publishing, view counts. One transaction each."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from yuanqu.core.models import Industry
from yuanqu.news.content import make_thumbnail, validate_cover
from yuanqu.news.models import Article, ArticleViewEvent, Category, Tag
from yuanqu.parks.models import Park

REPEAT_VIEW_SECONDS = 30 * 60
FLUSH_THROTTLE_SECONDS = 60
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|baiduspider|bingpreview|yandex|sogou|360spider|bytespider|"
    r"petalbot|facebookexternalhit|headless|python-requests|curl|wget|httpclient|scrapy|"
    r"wrk|lighthouse|pingdom|uptime|monitor",
    re.IGNORECASE,
)


def _schedule_related_refresh(article: Article) -> None:
    from yuanqu.news.tasks import refresh_related_articles

    article_id = article.pk
    transaction.on_commit(lambda: refresh_related_articles.enqueue(article_id))


def article_save(
    *,
    article: Article,
    tags: Iterable[str] | None = None,
    parks: Iterable[Park] | None = None,
    industries: Iterable[Industry] | None = None,
) -> Article:
    """Save an article (new or edited) with its links; refresh its related list after commit."""
    with transaction.atomic():
        if article.status == Article.Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
        article.save()
        if tags is not None:
            article.tags.set(tag_get_or_create_many(names=tags))
        if parks is not None:
            article.parks.set(list(parks))
        if industries is not None:
            article.industries.set(list(industries))
        if article.status == Article.Status.PUBLISHED:
            _schedule_related_refresh(article)
    return article


def article_create(
    *,
    title: str,
    category: Category,
    body: str = "",
    summary: str = "",
    author: str = "",
    source_name: str = "",
    source_url: str = "",
    status: str = Article.Status.DRAFT,
    published_at: datetime | None = None,
    tags: Iterable[str] = (),
    parks: Iterable[Park] = (),
    industries: Iterable[Industry] = (),
    is_sample: bool = False,
) -> Article:
    article = Article(
        title=title,
        category=category,
        body=body,
        summary=summary,
        author=author,
        source_name=source_name,
        source_url=source_url,
        status=status,
        published_at=published_at,
        is_sample=is_sample,
    )
    return article_save(article=article, tags=tags, parks=parks, industries=industries)


def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or schedule for `at` (a future time keeps it hidden until then)."""
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    return article_save(article=article)


def article_unpublish(*, article: Article) -> Article:
    article.status = Article.Status.DRAFT
    return article_save(article=article)


def article_set_cover(*, article: Article, upload) -> Article:
    """Validate (sniffed type, bytes, pixels) and store a cover with its thumbnail."""
    validate_cover(upload)
    with transaction.atomic():
        article.cover.save(getattr(upload, "name", "cover.jpg"), upload, save=False)
        article.cover_thumbnail.save(
            f"thumb-{article.pk or 'new'}.jpg", make_thumbnail(upload), save=False
        )
        article.save()
    return article


def tag_get_or_create_many(*, names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        name = name.strip()[:30]
        if name:
            tags.append(Tag.objects.get_or_create(name=name)[0])
    return tags


# --- view counting --------------------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def viewer_key(*, article_id: int, ip: str, user_agent: str) -> str:
    """A hashed, salted client key: no IP or user agent is stored in clear."""
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}|{article_id}|{ip}|{user_agent}".encode()
    ).hexdigest()[:32]
    return f"news:viewed:{digest}"


def article_view_record(*, article_id: int, ip: str, user_agent: str) -> bool:
    """Count one real view: bots and repeats within 30 minutes are ignored. True if counted.

    One narrow INSERT into the event buffer; the article row is only touched by the batched
    flush, so readers never wait on a hot counter row.
    """
    if is_bot(user_agent):
        return False
    if not cache.add(
        viewer_key(article_id=article_id, ip=ip, user_agent=user_agent), 1, REPEAT_VIEW_SECONDS
    ):
        return False
    ArticleViewEvent.objects.create(article_id=article_id)
    if cache.add("news:view-flush-queued", 1, FLUSH_THROTTLE_SECONDS):
        from yuanqu.news.tasks import flush_article_views

        transaction.on_commit(lambda: flush_article_views.enqueue())
    return True


def article_views_flush(*, batch_size: int = 5000) -> int:
    """Fold buffered view events into Article.view_count; returns how many were folded."""
    folded = 0
    while True:
        with transaction.atomic():
            ids = list(
                ArticleViewEvent.objects.order_by("id").values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return folded
            counts = (
                ArticleViewEvent.objects.filter(id__in=ids)
                .values("article_id")
                .annotate(views=Count("id"))
            )
            for row in counts:
                Article.objects.filter(pk=row["article_id"]).update(
                    view_count=F("view_count") + row["views"]
                )
            ArticleViewEvent.objects.filter(id__in=ids).delete()
            folded += len(ids)
