"""Needs (招商需求): submitting one (answered at once with its matches, as the form is) and
parsing a pasted message into the need form's fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from ninja import Header, Router, Schema
from pydantic import ConfigDict, Field

from yuanqu.accounts import gates
from yuanqu.api.errors import ApiError
from yuanqu.api.formdata import as_form_data, form_refused
from yuanqu.api.schemas import ERRORS, ErrorOut, Id, absolute
from yuanqu.leads.forms import NeedForm, initial_from_text
from yuanqu.leads.models import Lead
from yuanqu.leads.services import LeadSubmitRefused, lead_submission_matches, lead_submit
from yuanqu.matching.selectors import lead_results_context

router = Router(tags=["需求"])


class ParseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="一段需求文字,如微信消息")


class ParseOut(Schema):
    fields: dict[str, Any] = Field(description="需求表单会填入的字段(表单字段名)")
    filled: list[str] = Field(description="由文字读出的字段名,供用户核对")


@router.post(
    "/needs/parse",
    response={200: ParseOut, **ERRORS},
    summary="从一段文字读出需求字段",
)
def parse(request: HttpRequest, payload: ParseIn) -> dict[str, Any]:
    """The need form's 粘贴识别: the same parser, the same field names and values."""
    fields, filled = initial_from_text(payload.text, {})
    fields.pop("need_text", None)
    return {"fields": fields, "filled": filled}


class NeedIn(Schema):
    """The need form's fields, by the form's names; checked by the form itself."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "factory", "deal": "rent", "mobile": "13912345678", "consent": True,
                    "area_min": "1000", "area_max": "3000", "company": "徐州某机械有限公司",
                    "need_text": "求租单层厂房,层高 8 米以上,带 10 吨行车",
                }
            ]
        },
    )  # fmt: skip

    kind: str = Field(description="factory、land、office、warehouse …(与表单相同)")
    deal: str = Field(description="rent、sale …(与表单相同)")
    mobile: str = Field(max_length=30, description="手机号")
    consent: bool = Field(description="已阅读并同意个人信息处理规则")
    need_text: str | None = Field(None, max_length=2000)
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    area_unit: str | None = Field(None, description="m2(默认)或 mu")
    regions: list[str] = Field([], description="区县代码")
    parks: list[int] = Field([], description="园区 id")
    industry: str | None = Field(None, max_length=4, description="GB/T 4754 代码")
    company: str | None = Field(None, max_length=100)
    contact_name: str | None = Field(None, max_length=50)
    intended_use: str | None = Field(None, max_length=200)
    budget_value: Decimal | None = None
    budget_unit: str | None = None
    insist_location: bool = False
    power_kva: Decimal | None = None
    height_m: Decimal | None = None
    load_t_m2: Decimal | None = None
    crane_t: Decimal | None = None
    eia_required: bool = False
    fire_hazard_class: str | None = None
    timing: str | None = None
    investment_wan: Decimal | None = None
    annual_tax_wan: Decimal | None = None
    jobs: int | None = None
    source: str | None = Field(None, max_length=300, description="来源页面路径")
    carrier: Id | None = Field(None, description="从哪个载体页发起")


class NeedOut(Schema):
    reference: str = Field(description="需求编号,如 XQ20261206-0001")
    results_token: str = Field(description="私密结果链接的令牌:凭它查看、撤回或删除本需求")
    results_url: str
    created: bool
    merged: bool = Field(description="并入了同一手机号在合并时限内的相同需求")
    replayed: bool = Field(description="同一 Idempotency-Key 的重复提交:没有新存任何内容")
    matches: list[dict[str, Any]] = Field(description="匹配的载体及逐项理由(与结果页相同)")
    near_misses: list[dict[str, Any]]
    parks: list[dict[str, Any]]


def _form_data(payload: NeedIn, key: str) -> QueryDict:
    data = as_form_data(payload.model_dump())
    data["idempotency_key"] = key
    return data


IDEMPOTENCY_HELP = "同一需求重试时带同一个键(≤ 64 个字符),只会存一次"


@router.post(
    "/needs",
    response={200: NeedOut, 409: ErrorOut, **ERRORS},
    summary="提交需求并立即得到匹配结果",
)
def submit(
    request: HttpRequest,
    payload: NeedIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description=IDEMPOTENCY_HELP, examples=["5f0c2b9e-need-1"]
    ),
) -> dict[str, Any]:
    """The need form's submission: the same validation, consent, rate limits and
    exactly-once rule. Send an `Idempotency-Key` header; the same key answers with the same
    lead, and the same key with a different need is refused (409)."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ApiError(400, "idempotency_key_required", "请在 Idempotency-Key 头中给出本次提交的唯一键(1–64 个字符)。",
                       {"Idempotency-Key": [IDEMPOTENCY_HELP]})  # fmt: skip
    form = NeedForm(_form_data(payload, key))
    if not form.is_valid():
        raise form_refused(form, "需求填写有误,请按 fields 中的说明修改。")
    data = form.lead_data()
    if not lead_submission_matches(idempotency_key=key, data=data):
        raise ApiError(409, "idempotency_key_reused", "这个 Idempotency-Key 已用于另一条不同的需求,请换一个键。",
                       {"Idempotency-Key": [IDEMPOTENCY_HELP]})  # fmt: skip
    try:
        outcome = lead_submit(data=data, idempotency_key=key, ip=gates.client_ip(request))
    except LeadSubmitRefused as refused:
        if refused.reason == "rate_limited":
            raise ApiError(429, "rate_limited", "提交太频繁,请一小时后再试,或直接致电园区。",
                           headers={"Retry-After": "3600"}) from None  # fmt: skip
        raise ApiError(400, "refused", "提交未被接受,请检查后重试。") from None
    lead = Lead.objects.only("reference", "access_token", "match_snapshot").get(pk=outcome.lead.pk)
    results = lead_results_context(lead)
    response["Cache-Control"] = "private, no-store"
    return {
        "reference": lead.reference,
        "results_token": str(lead.access_token),
        "results_url": absolute(reverse("leads:results", args=[lead.access_token])),
        "created": outcome.created,
        "merged": outcome.merged,
        "replayed": outcome.replayed,
        "matches": results["carriers"],
        "near_misses": results["near_misses"],
        "parks": results["parks"],
    }
