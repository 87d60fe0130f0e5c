"""One error shape for every 4xx and 5xx answer of the API:

    {"error": {"code": "machine_code", "message": "中文说明", "fields": {"name": ["…"]}}}

`code` is stable for programs; `message` is for people; `fields` names the inputs at fault
(query parameters, body fields, headers) when there are any.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from yuanqu.core.middleware import RETRY_AFTER_SECONDS

logger = logging.getLogger("yuanqu.api")


class ApiError(Exception):
    """Raised by an endpoint for a refusal it explains: `code`, a Chinese `message`, the HTTP
    status and the fields at fault."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, str(message)
        self.fields = fields or {}
        self.headers = headers or {}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response = JsonResponse(
        error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Pydantic's error types, said in Chinese ({…} from the error's context).
MESSAGES = {
    "missing": "必填。",
    "extra_forbidden": "不认识的字段。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "float_parsing": "应为数字。",
    "float_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "decimal_type": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文字。",
    "string_too_short": "至少 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "literal_error": "应为以下之一:{expected}。",
    "enum": "应为以下之一:{expected}。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "不是有效的 JSON。",
    "date_parsing": "应为日期(YYYY-MM-DD)。",
    "date_from_datetime_parsing": "应为日期(YYYY-MM-DD)。",
    "datetime_parsing": "应为 ISO 8601 时间。",
    "too_long": "最多 {max_length} 项。",
    "value_error": "{error}",
}


def _message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("type", ""))
    if template is None:
        return "格式不正确。"
    context = dict(error.get("ctx") or {})
    if "error" in context:
        context["error"] = str(context["error"]).removeprefix("Value error, ")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return "格式不正确。"


def _field_name(location: Any) -> str:
    # ("query", "limit") → "limit"; ("body", "payload", "area_min_m2") → "area_min_m2";
    # ("body", "payload") (the whole body) → "body".
    parts = [str(part) for part in (location or ()) if str(part) not in {"query", "path", "header"}]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    return ".".join(parts) or "request"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc")), []).append(_message(error))
    return fields


def install(api: NinjaAPI) -> None:
    """Answer every failure in the error shape, in Chinese; never a traceback."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_fields(list(exc.errors))
        if "body" in fields and any("JSON" in m for m in fields["body"]):
            return error_response(400, "invalid_json", "请求体不是有效的 JSON。", fields)
        return error_response(400, "invalid", "请求参数有误,请按 fields 中的说明修改。", fields)

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = max(1, math.ceil(getattr(exc, "wait", None) or 1))
        return error_response(
            429,
            "rate_limited",
            f"请求过于频繁,请 {wait} 秒后再试。",
            headers={"Retry-After": str(wait)},
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "unauthenticated", "需要有效的访问令牌。")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, "forbidden", "您没有进行此操作的权限。")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found", "没有找到,或无权查看。")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            return error_response(400, "invalid_json", "请求体不是有效的 JSON。")
        return error_response(exc.status_code, "http_error", "请求无法处理。")

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("database unavailable on %s: %s", request.path, exc)
        return error_response(
            503,
            "service_unavailable",
            "数据库暂时无法连接,请求没有完成,请稍后重试(提交需求时请带同一个 Idempotency-Key)。",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @api.exception_handler(Exception)
    def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("api error on %s", request.path)
        return error_response(500, "server_error", "服务器出错,请稍后再试。")
