"""Bench-only settings and URLs for bench/bench_news.py (never used by the site).

DJANGO_SETTINGS_MODULE=bench.news_reference runs the real project with:
- ROOT_URLCONF adding `/bench/ref/<pk>/`: the minimal reference view of issue 4 (fetch one
  article by primary key, render a bare template), so both run in the same process;
- the cache chosen by NEWS_BENCH_CACHE (dummy = no page cache, locmem, redis);
- plain static storage, so DEBUG can stay off without collectstatic.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES, REDIS_URL

ROOT_URLCONF = "bench.news_reference"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING_CONFIG = None  # keep gunicorn workers quiet (no per-request 404/warning noise)

# "Without page cache" = the article-page response cache off; data caches stay on.
NEWS_PAGE_CACHE = os.environ.get("NEWS_BENCH_PAGE_CACHE", "1") == "1"

# Ranked candidates of capped (very common) queries kept 60 s, as in production, or not at all.
SEARCH_CAPPED_CACHE_SECONDS = 60 if os.environ.get("NEWS_BENCH_SEARCH_CACHE", "1") == "1" else 0

_cache = os.environ.get("NEWS_BENCH_CACHE", "locmem")
if _cache == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif _cache == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL or "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": "newsbench",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _reference_view(request, pk):
    from django.http import Http404, HttpResponse
    from django.template import engines

    from yuanqu.news.models import Article

    article = Article.objects.filter(pk=pk).only("title", "body").first()
    if article is None:
        raise Http404
    template = engines["django"].from_string(
        "<!doctype html><title>{{ a.title }}</title><h1>{{ a.title }}</h1>{{ a.body|safe }}"
    )
    return HttpResponse(template.render({"a": article}))


def _urlpatterns():
    from django.urls import path

    from config import urls

    # The site's own patterns, not include()d: i18n_patterns must sit in the root URLconf.
    return [path("bench/ref/<int:pk>/", _reference_view), *urls.urlpatterns]


_patterns: list = []


def __getattr__(name: str):
    # Resolved lazily: this module is imported as settings before the apps are ready.
    if name == "urlpatterns":
        if not _patterns:
            _patterns.extend(_urlpatterns())
        return _patterns
    raise AttributeError(name)
