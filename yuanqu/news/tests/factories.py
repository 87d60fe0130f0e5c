"""Plain factory functions for news."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from yuanqu.news.models import Article, Category

_sequence = itertools.count(1)


def make_category(*, name: str | None = None, slug: str | None = None) -> Category:
    number = next(_sequence)
    return Category.objects.create(name=name or f"分类{number}", slug=slug or f"category-{number}")


def make_article(
    *,
    title: str | None = None,
    body: str = "<p>园区新建标准厂房,欢迎企业入驻。</p>",
    category: Category | None = None,
    status: str = Article.Status.PUBLISHED,
    published_at: datetime | None = None,
    days_ago: float = 1,
    **fields,
) -> Article:
    number = next(_sequence)
    if published_at is None and status == Article.Status.PUBLISHED:
        published_at = timezone.now() - timedelta(days=days_ago)
    return Article.objects.create(
        title=title or f"测试资讯{number}",
        body=body,
        category=category or make_category(),
        status=status,
        published_at=published_at,
        **fields,
    )
