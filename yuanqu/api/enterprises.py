"""The enterprise registry for staff tokens: the registry page's list with its filters, and
one enterprise with its cultivation flags and the projects it came from."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from yuanqu.accounts import gates
from yuanqu.api import pagination
from yuanqu.api.auth import STAFF_ERRORS, staff_throttle, token_auth
from yuanqu.api.errors import ApiError
from yuanqu.api.formdata import as_form_data, form_refused, validation_refused
from yuanqu.api.schemas import Id
from yuanqu.enterprises import selectors, services
from yuanqu.enterprises.forms import EnterpriseForm
from yuanqu.enterprises.models import Enterprise

router = Router(tags=["企业库(需令牌)"], auth=token_auth, throttle=[staff_throttle()])


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str = Field(description="统一社会信用代码")
    park_id: int
    park_name: str
    industry_code: str | None = Field(description="GB/T 4754-2017")
    industry_name: str | None
    address: str
    high_tech_certified_on: date | None
    high_tech_expires_on: date | None
    tech_sme_since: date | None
    above_scale_type: str
    above_scale_since: date | None
    specialised_level: str
    specialised_since: date | None
    gazelle_since: date | None
    unicorn_since: date | None
    is_sample: bool


class ProjectRef(Schema):
    id: int
    name: str
    stage: str


class EnterpriseDetailOut(EnterpriseOut):
    high_tech_held: bool
    high_tech_expiring: bool = Field(description="高企证书 90 天内到期")
    projects: list[ProjectRef] = Field(description="投产后落为本企业的项目")


class EnterpriseQuery(Schema):
    park: Id | None = None
    flag: str | None = Field(None, description="如 high_tech、above_scale:industry、specialised")
    industry: str | None = Field(None, description="GB/T 4754 门类字母或两位大类代码")
    q: str | None = Field(None, max_length=100, description="名称、地址或统一社会信用代码")
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


def _readers_only(request: HttpRequest) -> None:
    if not gates.may_read_registry(request.user):
        raise ApiError(403, "forbidden", _("你的角色不能查看企业库。"))


def _enterprise(enterprise: Enterprise) -> dict[str, Any]:
    industry = enterprise.industry
    return {
        **{name: getattr(enterprise, name) for name in EnterpriseOut.model_fields
           if hasattr(enterprise, name)},
        "park_name": enterprise.park.name,
        "industry_code": industry.code if industry else None,
        "industry_name": industry.name if industry else None,
    }  # fmt: skip


@router.get(
    "/enterprises",
    response={200: pagination.Page[EnterpriseOut], **STAFF_ERRORS},
    summary="企业库",
)
def enterprise_list(request: HttpRequest, query: Query[EnterpriseQuery]) -> dict[str, Any]:
    """The registry page's list: its filters (unknown values ignored, as there), by name."""
    _readers_only(request)
    filters = selectors.enterprise_filters_from_query(request.GET, user=request.user)
    rows = selectors.enterprise_list_for_user(user=request.user, filters=filters)
    page, next_cursor = pagination.keyset_page(
        rows, scope=f"enterprises:{request.user.pk}:{sorted(filters.as_query().items())}",
        keyset=pagination.Keyset("name", descending=False), cursor=query.cursor,
        limit=query.limit,
    )  # fmt: skip
    return {"items": [_enterprise(e) for e in page], "next_cursor": next_cursor}


@router.get(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, **STAFF_ERRORS},
    summary="企业详情",
)
def enterprise_detail(request: HttpRequest, enterprise_id: Id) -> dict[str, Any]:
    _readers_only(request)
    found = gates.enterprise_for_user_or_404(request.user, enterprise_id)
    enterprise = Enterprise.objects.select_related("park", "industry").get(pk=found.pk)
    context = selectors.enterprise_detail_context(user=request.user, enterprise=enterprise)
    return {
        **_enterprise(enterprise),
        "high_tech_held": context["high_tech_held"],
        "high_tech_expiring": context["high_tech_expiring"],
        "projects": [{"id": p.pk, "name": p.name, "stage": p.stage} for p in context["projects"]],
    }


# --- writes: the registry page's form and services ----------------------------------------


class EnterpriseChangeIn(Schema):
    """The registry form's fields by its names; dates as YYYY-MM-DD, null or "" to clear.
    Checked by the form and the service the page uses (credit code check character,
    duplicates, certificate dates)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=100)
    credit_code: str | None = Field(None, max_length=40)
    park: Id | None = None
    industry_code: str | None = Field(None, max_length=4, description="GB/T 4754-2017")
    address: str | None = Field(None, max_length=200)
    high_tech_certified_on: str | None = None
    high_tech_certificate_no: str | None = Field(None, max_length=40)
    high_tech_expires_on: str | None = None
    tech_sme_since: str | None = None
    above_scale_type: str | None = None
    above_scale_since: str | None = None
    specialised_level: str | None = None
    specialised_since: str | None = None
    gazelle_since: str | None = None
    unicorn_since: str | None = None


class EnterpriseCreateIn(EnterpriseChangeIn):
    name: str = Field(max_length=100)  # type: ignore[assignment]
    credit_code: str = Field(max_length=40, description="统一社会信用代码")  # type: ignore[assignment]
    park: Id  # type: ignore[assignment]


def _writers_only(request: HttpRequest) -> None:
    _readers_only(request)
    if gates.is_read_only_staff(request.user):
        raise ApiError(403, "forbidden", _("你的角色只能查看企业库。"))


def _saved(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    return enterprise_detail(request, enterprise_id)


@router.post(
    "/enterprises", response={200: EnterpriseDetailOut, **STAFF_ERRORS}, summary="登记企业"
)
def enterprise_new(request: HttpRequest, payload: EnterpriseCreateIn) -> dict[str, Any]:
    _writers_only(request)
    form = EnterpriseForm(
        as_form_data(payload.model_dump()), parks=gates.editable_parks_for_user(request.user)
    )
    if not form.is_valid():
        raise form_refused(form)
    try:
        enterprise = services.enterprise_create(actor=request.user, data=form.data_for_service())
    except ValidationError as error:
        raise validation_refused(error) from None
    return _saved(request, enterprise.pk)


@router.patch(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, **STAFF_ERRORS},
    summary="修改企业(只改给出的字段)",
)
def enterprise_change(
    request: HttpRequest, enterprise_id: Id, payload: EnterpriseChangeIn
) -> dict[str, Any]:
    _writers_only(request)
    enterprise = gates.enterprise_for_user_or_404(request.user, enterprise_id, for_change=True)
    parks = gates.editable_parks_for_user(request.user)
    current = EnterpriseForm(parks=parks, instance=enterprise).initial
    given = payload.model_dump(exclude_unset=True)
    form = EnterpriseForm(
        as_form_data({**current, **{k: "" if v is None else v for k, v in given.items()}}),
        parks=parks,
        instance=enterprise,
    )
    if not form.is_valid():
        raise form_refused(form)
    try:
        services.enterprise_update(
            actor=request.user, enterprise=enterprise, data=form.data_for_service()
        )
    except ValidationError as error:
        raise validation_refused(error) from None
    return _saved(request, enterprise.pk)
