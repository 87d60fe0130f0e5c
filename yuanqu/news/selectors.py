"""Reads for news pages. Each returns what one screen needs, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from yuanqu.news.content import excerpt, html_to_text
from yuanqu.news.models import Article, Category, RelatedArticle

LIST_FIELDS = (
    "id", "title", "slug", "summary", "published_at", "view_count", "category_id", "is_sample",
    "cover_thumbnail", "category", "category__name", "category__slug",
)  # fmt: skip
DEFAULT_CACHE_SECONDS = 300


def category_list() -> list[Category]:
    return list(Category.objects.all())


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def article_list_published(*, category: Category | None = None, now=None) -> QuerySet[Article]:
    queryset = Article.objects.published(now=now).select_related("category").only(*LIST_FIELDS)
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset.order_by("-published_at", "-id")


def article_list_most_read(*, limit: int = 8) -> list[Article]:
    return list(
        Article.objects.published()
        .select_related("category")
        .only(*LIST_FIELDS)
        .order_by("-view_count", "-published_at")[:limit]
    )


def article_get_public(*, pk: int) -> Article | None:
    """The article if the public may see it (published and its time has come)."""
    return _article_for_page(Article.objects.published()).filter(pk=pk).first()


def article_get_for_preview(*, pk: int) -> Article | None:
    """Any article, drafts and scheduled ones included (editors' preview)."""
    return _article_for_page(Article.objects.all()).filter(pk=pk).first()


def _article_for_page(queryset: QuerySet[Article]) -> QuerySet[Article]:
    # Tags, parks and industries are read by the view only when its cached extras miss.
    return queryset.select_related("category")


@dataclass
class RelatedItem:
    article: Article
    score: float
    excerpt: str


def related_for_article(*, article: Article, limit: int = 8) -> list[RelatedItem]:
    """Stored related articles that are public now, best first (one query).

    Visibility is checked in Python on the few stored links: a SQL filter on the related
    article's status/date lets SQLite's planner start from the 100k-row status index.
    """
    now = timezone.now()
    links = (
        RelatedArticle.objects.filter(article=article)
        .select_related("related", "related__category")
        .order_by("position")[: limit + 4]
    )
    return [
        RelatedItem(
            article=link.related,
            score=link.score,
            excerpt=link.related.summary or excerpt(html_to_text(link.related.body), 90),
        )
        for link in links
        if link.related.is_public(now=now)
    ][:limit]


def next_scheduled_at(*, now: datetime | None = None) -> datetime | None:
    """When the next scheduled article goes public (cached briefly: list caches use it)."""
    now = now or timezone.now()
    key = "news:next-scheduled"
    cached = cache.get(key)
    if cached is not None:
        value = cached or None
        if value is None or value > now:
            return value
    value = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    cache.set(key, value or "", 60)
    return value


def cache_seconds_until_next_publication(*, default: int = DEFAULT_CACHE_SECONDS) -> int:
    """A page cache lifetime that ends when the next scheduled article goes public."""
    upcoming = next_scheduled_at()
    if upcoming is None:
        return default
    seconds = int((upcoming - timezone.now()).total_seconds()) + 1
    return max(1, min(default, seconds))
