"""Bearer personal access tokens for the staff endpoints: the request then runs as the
token's user, through the same gates as the workbench."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from yuanqu.accounts import gates
from yuanqu.api.errors import ApiError
from yuanqu.api.models import AccessToken
from yuanqu.api.schemas import ERRORS, ErrorOut
from yuanqu.api.throttling import TokenRate
from yuanqu.api.tokens import token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
STAFF_ERRORS = {**ERRORS, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer yq_…`. Unknown, expired and revoked tokens get 401; a token
    whose user no longer holds a staff role gets 403; a read-only token may only read."""

    openapi_description = "个人访问令牌(在工作台“API 令牌”页面创建)"

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        # The middleware has looked the token up already (for the audit log's actor).
        found = getattr(request, "api_token", None) or token_authenticate(token)
        if found is None:
            return None
        user: Any = found.user
        if not gates.is_staff_member(user):
            raise ApiError(403, "forbidden", "该令牌的用户已没有工作台权限。")
        if request.method not in SAFE_METHODS and found.scope != AccessToken.Scope.READ_WRITE:
            raise ApiError(403, "read_only_token", "只读令牌不能修改数据,请使用读写令牌。")
        request.user = user
        return found


token_auth = TokenAuth()


def staff_throttle() -> TokenRate:
    return TokenRate()
