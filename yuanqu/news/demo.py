"""Demo news: short items in our own words, each built from facts of a public source.

Idempotent: articles are matched by title, categories by slug. Every article is flagged
`is_sample` (shown as 示例内容 in the UI) and keeps its source URL and date.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from yuanqu.core.models import Industry
from yuanqu.news.models import Article, Category
from yuanqu.news.services import article_save
from yuanqu.parks.models import Park

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_articles.json"
FULL_RECOMPUTE_LIMIT = 5000


def load_demo(*, stdout) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    created = updated = 0
    demo_ids: list[int] = []
    with transaction.atomic():
        categories = {}
        for item in data["categories"]:
            # Matched by name first: the importer may have created the category already.
            category = (
                Category.objects.filter(name=item["name"]).first()
                or Category.objects.filter(slug=item["slug"]).first()
                or Category(slug=item["slug"])
            )
            category.name = item["name"]
            category.position = item["position"]
            category.description = category.description or item["description"]
            category.save()
            categories[category.name] = category
        for item in data["articles"]:
            published = date.fromisoformat(item["date"])
            article = Article.objects.filter(title=item["title"]).first()
            created += article is None
            updated += article is not None
            article = article or Article(title=item["title"])
            article.category = categories[item["category"]]
            article.summary = item["body"][0][:300]
            article.body = "\n".join(
                f"<p>{html.escape(paragraph)}</p>" for paragraph in item["body"]
            )
            article.author = "编辑部"
            article.source_name = "公开资料整理"
            article.source_url = item["source"]
            article.status = Article.Status.PUBLISHED
            article.published_at = datetime(
                published.year,
                published.month,
                published.day,
                9,
                0,
                tzinfo=ZoneInfo(settings.TIME_ZONE),
            )
            article.is_sample = True
            article_save(
                article=article,
                tags=[],
                parks=Park.objects.filter(name__in=item["parks"]),
                industries=Industry.objects.filter(code__in=item["industries"]),
            )
            demo_ids.append(article.pk)
    stdout.write(f"news: {created} demo articles created, {updated} updated")
    from yuanqu.news.related import related_recompute_all, related_refresh_for_article

    if Article.objects.count() <= FULL_RECOMPUTE_LIMIT:
        stdout.write(f"news: related articles computed for {related_recompute_all()} articles")
        return
    # A large corpus (the 100k bench): refresh only the demo articles; the nightly job
    # recomputes the rest.
    for article_id in demo_ids:
        related_refresh_for_article(article_id=article_id)
    stdout.write(f"news: related articles refreshed for {len(demo_ids)} demo articles")
