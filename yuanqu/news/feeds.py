from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from yuanqu.news import selectors
from yuanqu.news.content import excerpt, html_to_text
from yuanqu.news.models import Article, Category

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "园区动态、招商政策、项目建设与产业资讯。"

    def title(self) -> str:
        return f"{settings.SITE_NAME} · 资讯"

    def link(self) -> str:
        return reverse("news:list")

    def items(self):
        return selectors.article_list_published().only(
            "id",
            "title",
            "slug",
            "summary",
            "body",
            "published_at",
            "author",
            "category",
            "category__name",
        )[:FEED_ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or excerpt(html_to_text(item.body), 200)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_author_name(self, item: Article) -> str:
        return item.author

    def item_categories(self, item: Article):
        return [item.category.name]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:  # type: ignore[override]
        category = selectors.category_get(slug=slug)
        if category is None:
            raise Http404("no such category")
        return category

    def title(self, obj: Category) -> str:  # type: ignore[override]
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj: Category) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def items(self, obj: Category):  # type: ignore[override]
        return selectors.article_list_published(category=obj).only(
            "id",
            "title",
            "slug",
            "summary",
            "body",
            "published_at",
            "author",
            "category",
            "category__name",
        )[:FEED_ITEMS]
