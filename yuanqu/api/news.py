"""Articles and categories: the public news pages' selectors, as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from yuanqu.api import pagination
from yuanqu.api.schemas import ERRORS, Id, absolute, iso, last_modified
from yuanqu.core import search as search_engine
from yuanqu.news import selectors
from yuanqu.news.content import sanitize_html
from yuanqu.news.models import Article

router = Router(tags=["资讯"])


class CategoryOut(Schema):
    slug: str
    name: str
    description: str


class NamedCode(Schema):
    code: str
    name: str


class ParkRef(Schema):
    slug: str
    name: str
    short_name: str


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: CategoryOut | None
    published_at: str | None
    url: str
    cover_url: str | None
    view_count: int
    is_sample: bool


class ArticleDetailOut(ArticleOut):
    body_html: str = Field(description="净化后的正文 HTML(与网页相同的白名单)")
    author: str
    source_name: str
    source_url: str
    updated_at: str | None
    tags: list[str]
    parks: list[ParkRef]
    industries: list[NamedCode]
    related: list[ArticleOut]


class ArticleFilters(Schema):
    category: str | None = Field(None, max_length=60, description="分类的 slug")
    tag: str | None = Field(None, max_length=30, description="标签名")
    q: str | None = Field(None, max_length=search_engine.MAX_QUERY_CHARS, description="全文搜索")
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


def _category(article: Article) -> dict[str, str] | None:
    category = article.category
    if category is None:
        return None
    return {"slug": category.slug, "name": category.name, "description": category.description}


def _summary(article: Article) -> dict[str, Any]:
    cover = article.cover_thumbnail or article.cover
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "category": _category(article),
        "published_at": iso(article.published_at),
        "url": absolute(article.get_absolute_url()),
        "cover_url": absolute(cover.url) if cover else None,
        "view_count": article.view_count,
        "is_sample": article.is_sample,
    }


@router.get("/categories", response={200: list[CategoryOut]}, summary="资讯分类")
def categories(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"slug": c.slug, "name": c.name, "description": c.description}
        for c in selectors.category_list()
    ]


def _load(keyset_value: Any) -> datetime:
    return datetime.fromisoformat(keyset_value)


LATEST = pagination.Keyset("published_at", dump=lambda value: value.isoformat(), load=_load)


@router.get(
    "/articles", response={200: pagination.Page[ArticleOut], **ERRORS}, summary="资讯列表与搜索"
)
def articles(request: HttpRequest, filters: Query[ArticleFilters]) -> dict[str, Any]:
    """Newest first; with `q`, ranked by the site search (the same engine as /search/)."""
    category = selectors.category_get(slug=filters.category) if filters.category else None
    if filters.category and category is None:
        return {"items": [], "next_cursor": None}
    if filters.q and filters.q.strip():
        return _search(filters, category)
    rows = selectors.article_list_published(category=category)
    if filters.tag:
        rows = rows.filter(tags__name=filters.tag)
    page, next_cursor = pagination.keyset_page(
        rows.select_related("category"), scope="articles", keyset=LATEST,
        cursor=filters.cursor, limit=filters.limit,
    )  # fmt: skip
    return {"items": [_summary(a) for a in page], "next_cursor": next_cursor}


def _search(filters: ArticleFilters, category: Any) -> dict[str, Any]:
    scope = f"articles-search:{filters.limit}"
    offset = pagination.offset_position(scope, filters.cursor)
    results = search_engine.search(
        kind="article",
        query=filters.q or "",
        page=offset // filters.limit + 1,
        per_page=filters.limit,
        category=str(category.pk) if category else None,
        visible_at=timezone.now(),
    )
    if offset // filters.limit + 1 > results.num_pages:
        return {"items": [], "next_cursor": None}
    found = {
        article.pk: article
        for article in Article.objects.published()
        .filter(pk__in=results.object_ids)
        .select_related("category")
    }
    if filters.tag:
        tagged = set(
            Article.objects.filter(pk__in=found, tags__name=filters.tag).values_list(
                "pk", flat=True
            )
        )
        found = {pk: article for pk, article in found.items() if pk in tagged}
    items = [_summary(found[pk]) for pk in results.object_ids if pk in found]
    next_cursor = pagination.offset_next(
        scope, offset=offset, limit=filters.limit, total=results.total
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/articles/{article_id}",
    response={200: ArticleDetailOut, **ERRORS},
    summary="资讯详情(含相关文章)",
)
def article(request: HttpRequest, article_id: Id, response: HttpResponse) -> dict[str, Any]:
    visible = selectors.article_get_public(pk=article_id)
    if visible is None:
        raise Http404
    found = (
        Article.objects.select_related("category")
        .prefetch_related("tags", "parks", "industries")
        .get(pk=visible.pk)
    )
    related = selectors.related_for_article(article=found, limit=8)
    last_modified(response, found.updated_at)
    return {
        **_summary(found),
        "body_html": sanitize_html(found.body),
        "author": found.author,
        "source_name": found.source_name,
        "source_url": found.source_url,
        "updated_at": iso(found.updated_at),
        "tags": [tag.name for tag in found.tags.all()],
        "parks": [
            {"slug": p.slug, "name": p.name, "short_name": p.short_name} for p in found.parks.all()
        ],
        "industries": [{"code": i.code, "name": i.name} for i in found.industries.all()],
        "related": [_summary(item.article) for item in related],
    }
