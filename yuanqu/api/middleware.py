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


class ApiTokenUserMiddleware:
    """On API paths, a valid `Authorization: Bearer` token makes its user the request's user
    before the audit log's middleware reads it, so a change made with a token is logged under
    the same actor as the same change made in the workbench. TokenAuth then checks the
    token's scope and role and answers 401 for a missing or bad one."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        header = request.headers.get("Authorization", "")
        if request.path.startswith(API_PREFIX) and header[:7].lower() == "bearer ":
            from yuanqu.api.tokens import token_authenticate

            token = token_authenticate(header[7:].strip())
            request.api_token = token  # type: ignore[attr-defined]
            if token is not None:
                request.user = token.user
        return self.get_response(request)
