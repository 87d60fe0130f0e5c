from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from yuanqu.news.models import Article, Category


class BilingualSitemap(Sitemap):
    """Pages offered in Chinese and English: each listed in both, with hreflang alternates
    (x-default: the Chinese page, the site's default language)."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["news:home", "news:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    """Chinese only: an article's English page is its text in the English chrome, and names
    the Chinese page as canonical."""

    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item: Article):
        return item.updated_at


class CategorySitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Category.objects.all()


class _ModelSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def __init__(self, queryset) -> None:
        self.queryset = queryset

    def items(self):
        return self.queryset


def _routable(model) -> bool:
    """Only list models whose detail pages exist (other apps may not route them yet)."""
    if not hasattr(model, "get_absolute_url"):
        return False
    sample = model.objects.order_by("pk").first()
    if sample is None:
        return False
    try:
        sample.get_absolute_url()
    except NoReverseMatch:
        return False
    return True


def site_sitemaps() -> dict[str, Sitemap]:
    sitemaps: dict[str, Sitemap] = {
        "static": StaticSitemap(),
        "categories": CategorySitemap(),
        "articles": ArticleSitemap(),
    }
    from yuanqu.parks.models import Park

    if _routable(Park):
        sitemaps["parks"] = _ModelSitemap(Park.objects.filter(is_active=True).order_by("pk"))
    from yuanqu.listings.models import Carrier

    if _routable(Carrier):
        try:
            from yuanqu.listings.selectors import carrier_public_queryset

            carriers = carrier_public_queryset().order_by("pk")
        except ImportError:  # pragma: no cover
            carriers = Carrier.objects.filter(published_at__isnull=False).order_by("pk")
        sitemaps["carriers"] = _ModelSitemap(carriers)
    return sitemaps
