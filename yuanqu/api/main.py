"""The API instance: version 1 at /api/v1/, its routers, error shape and throttles."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from yuanqu.api import (
    carriers,
    enterprises,
    errors,
    indicators,
    needs,
    news,
    parks,
    reference,
    staff,
)
from yuanqu.api.throttling import AnonymousRate


class ChineseJSONRenderer(JSONRenderer):
    """Chinese as UTF-8, not \\u escapes: a third of the bytes, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="园区招商与载体对接平台 API",
    version="1",
    description=(
        "公开接口:资讯、园区、载体、行业与区划参考数据、需求识别。"
        '错误统一为 {"error": {"code", "message", "fields"}};'
        "列表用 cursor 翻页(`next_cursor`);公开读取带 ETag 与 Last-Modified,可用 304。"
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[AnonymousRate()],
)
errors.install(api)
api.add_router("/", news.router)
api.add_router("/", parks.router)
api.add_router("/", carriers.router)
api.add_router("/", reference.router)
api.add_router("/", needs.router)
api.add_router("/", staff.router)
api.add_router("/", indicators.router)
api.add_router("/", enterprises.router)
