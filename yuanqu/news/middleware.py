"""Serve anonymous article pages from the cache before the rest of the middleware stack.

Article pages are the most read pages and, for anonymous readers, identical for everyone.
Answering them here skips sessions, CSRF, auth, OTP, audit, CSP and the view: the whole
response (with the headers the inner middleware added) was stored on the way out of the
first request. Views are still counted: the page posts a beacon (news.views).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

ARTICLE_PATH = re.compile(r"^(?:/en)?/news/\d+/(?:[-a-z0-9]+/)?$")  # Chinese or English page
RESPONSE_KEY = "news:response:{version}:{path}"


def page_cache_version() -> int:
    """Bumped on every article save/delete (news.signals), so cached pages never go stale."""
    return cache.get_or_set("news:page-version", 1, None) or 1


def cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and "HTTP_HX_REQUEST" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and bool(ARTICLE_PATH.match(request.path_info))
    )


class CachedArticleMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not getattr(settings, "NEWS_PAGE_CACHE", True) or not cacheable_request(request):
            return self.get_response(request)
        key = RESPONSE_KEY.format(version=page_cache_version(), path=request.path_info)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        seconds = getattr(request, "news_cache_seconds", None)
        if seconds and response.status_code == 200 and not response.cookies:
            cache.set(key, response, seconds)
        return response
