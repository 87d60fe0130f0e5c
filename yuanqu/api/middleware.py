"""HTTP conventions of the API that sit around every endpoint: a body-size cap, and for public
reads ETag / Last-Modified with 304 answers and a short public Cache-Control."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control

from yuanqu.api.errors import error_response

API_PREFIX = "/api/v1/"


class ApiHttpMiddleware(ConditionalGetMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        if request.path.startswith(API_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_BYTES:
                return error_response(
                    413,
                    "body_too_large",
                    f"请求体过大:最多 {settings.API_MAX_BODY_BYTES // 1024} KB。",
                )
        return super().__call__(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return response
        public_read = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and "HTTP_AUTHORIZATION" not in request.META
            and not response.has_header("Cache-Control")
        )
        if not public_read:
            return response
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return super().process_response(request, response)
