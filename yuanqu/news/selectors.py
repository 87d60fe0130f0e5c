"""Reads for news pages. Each returns what one screen needs, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, override

from yuanqu.news.content import excerpt, html_to_text
from yuanqu.news.models import Article, Category, RelatedArticle

LIST_FIELDS = (
    "id", "title", "slug", "summary", "published_at", "view_count", "category_id", "is_sample",
    "cover_thumbnail", "category", "category__name", "category__slug",
)  # fmt: skip
DEFAULT_CACHE_SECONDS = 300


def category_list() -> list[Category]:
    """All categories in display order, cached per page version.

    Every page with a category menu or filter reads them (the search page on each request);
    a category save or delete bumps the page version (news.signals), so the list is never stale.
    """
    from yuanqu.news.middleware import page_cache_version

    key = f"news:categories:{page_cache_version()}"
    categories = cache.get(key)
    if categories is None:
        categories = list(Category.objects.all())
        cache.set(key, categories, DEFAULT_CACHE_SECONDS)
    return categories


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def article_list_published(*, category: Category | None = None, now=None) -> QuerySet[Article]:
    queryset = Article.objects.published(now=now).select_related("category").only(*LIST_FIELDS)
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset.order_by("-published_at", "-id")


def article_count_published(*, category: Category | None = None) -> int:
    """How many articles the list (or a category) shows, cached per news page version until
    the next scheduled article goes public: counting a category's 25k rows cost PostgreSQL
    16 ms on every list page (docs/bench/scenarios.md)."""
    from yuanqu.news.middleware import page_cache_version

    key = f"news:count:{category.pk if category else 'all'}:{page_cache_version()}"
    count = cache.get(key)
    if count is None:
        count = article_list_published(category=category).count()
        cache.set(key, count, cache_seconds_until_next_publication())
    return count


def article_list_most_read(*, limit: int = 8) -> list[Article]:
    return list(
        Article.objects.published()
        .select_related("category")
        .only(*LIST_FIELDS)
        .order_by("-view_count", "-published_at")[:limit]
    )


# What the article page reads on every request: visibility, address, version and the view
# count. The rest of the page is cached per version (news.views), so the text is loaded only
# when that cache misses.
PAGE_CHECK_FIELDS = ("id", "slug", "status", "published_at", "updated_at", "view_count")


def article_get_public(*, pk: int) -> Article | None:
    """The article if the public may see it (published and its time has come).

    Only PAGE_CHECK_FIELDS are loaded; load the whole article with article_get_for_preview.
    Visibility is checked in Python (the same test as Article.objects.published()): the plain
    primary-key query is cheaper to build, and this is the most read page (issue 4 budget).
    """
    found = articles_by_ids([pk], fields=PAGE_CHECK_FIELDS)
    article = found[0] if found else None
    return article if article is not None and article.is_public() else None


def articles_by_ids(ids: list[int], *, fields: tuple[str, ...]) -> list[Article]:
    """Articles with only `fields` loaded (no related objects), in no particular order.

    One plain SQL statement: for a handful of primary keys the ORM takes longer to build the
    query than the database takes to answer it (issue 4: article and search pages). Values go
    through the same conversions as the ORM's: SQLite keeps datetimes as naive UTC.
    """
    if not ids:
        return []
    model_fields = [f for f in Article._meta.concrete_fields if f.attname in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(f.column) for f in model_fields)}"
            f" FROM {quote(Article._meta.db_table)} WHERE {quote(Article._meta.pk.column)}"
            f" IN ({', '.join(['%s'] * len(ids))})",
            list(ids),
        )
        rows = cursor.fetchall()
    stamps = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "DateTimeField"]
    names = [f.attname for f in model_fields]  # Model.from_db wants them in the model's order
    articles = []
    for row in rows:
        values = list(row)
        for index in stamps:
            value = values[index]
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            if value is not None and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            values[index] = value
        articles.append(Article.from_db(connection.alias, names, values))
    return articles


def article_get_for_preview(*, pk: int) -> Article | None:
    """Any article with its category, drafts and scheduled ones included (editors' preview).

    Tags, parks and industries are read by the view only when its cached parts miss.
    """
    found = list(Article.objects.select_related("category").filter(pk=pk).order_by())
    return found[0] if found else None


def article_extras_key(article_id: int, *, updated_at: datetime | None) -> str:
    """Cache key of an article page's fixed parts (news.views), per version and language.

    The page version changes on any article save or delete; the update time makes an edit
    show at once even where that version is not shared (one local-memory cache per worker).
    """
    from yuanqu.news.middleware import page_cache_version

    stamp = updated_at.timestamp() if updated_at else 0
    language = get_language() or settings.LANGUAGE_CODE
    return f"news:article-extras:{page_cache_version()}:{language}:{article_id}:{stamp}"


def article_extras_forget(*, article_id: int) -> None:
    """Drop one article page's fixed parts, e.g. after its related list was recomputed."""
    updated_at = Article.objects.filter(pk=article_id).values_list("updated_at", flat=True).first()
    keys = []
    for language, _name in settings.LANGUAGES:
        with override(language):
            keys.append(article_extras_key(article_id, updated_at=updated_at))
    cache.delete_many(keys)


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
