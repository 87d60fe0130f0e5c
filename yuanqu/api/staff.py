"""Staff endpoints, with a personal access token: the workbench's leads, projects and the
indicators, acting exactly as the token's user would there — the same gates (another park's
object: 404; leadership writing: 403), the same forms and services, the same audit rows.
Mobiles are masked; the number comes only from the reveal endpoint, which writes the access
log as the lead page's button does."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from yuanqu.accounts import gates
from yuanqu.accounts.forms import RevealForm
from yuanqu.accounts.pii import mask_mobile
from yuanqu.api import pagination
from yuanqu.api.auth import STAFF_ERRORS, staff_throttle, token_auth
from yuanqu.api.errors import ApiError
from yuanqu.api.formdata import as_form_data, form_refused, validation_refused
from yuanqu.api.schemas import Id, iso, person
from yuanqu.leads import selectors as lead_selectors
from yuanqu.leads import services as lead_services
from yuanqu.leads.inbox_forms import LeadAssignForm, LeadFollowUpForm
from yuanqu.leads.models import Lead
from yuanqu.pipeline import selectors as project_selectors
from yuanqu.pipeline import services as project_services
from yuanqu.pipeline.forms import StageMoveForm
from yuanqu.pipeline.models import Project

router = Router(tags=["工作台(需令牌)"], auth=token_auth, throttle=[staff_throttle()])


# --- leads ---------------------------------------------------------------------------


class LeadOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    kind: str
    deal: str
    company: str
    mobile_masked: str = Field(description="打码的手机号;完整号码只能通过 reveal 接口取得")
    intended_use: str
    industry_code: str | None
    area_min_m2: Any
    area_max_m2: Any
    park_id: int | None
    owner: dict[str, Any] | None
    created_at: str | None
    last_activity_at: str | None
    next_follow_up_on: str | None
    submission_count: int


class FollowUpOut(Schema):
    channel: str
    happened_at: str | None
    outcome: str
    notes: str
    next_follow_up_on: str | None
    author: dict[str, Any] | None


class LeadDetailOut(LeadOut):
    contact_name: str
    need_text: str
    follow_ups: list[FollowUpOut]


class LeadQuery(Schema):
    status: str | None = None
    owner: str | None = Field(None, description="me、none 或用户 id")
    park: Id | None = None
    industry: str | None = None
    kind: str | None = None
    deal: str | None = None
    q: str | None = Field(None, max_length=100)
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


def _lead(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "reference": lead.reference,
        "status": lead.status,
        "status_label": lead.get_status_display(),
        "kind": lead.kind,
        "deal": lead.deal,
        "company": lead.company,
        "mobile_masked": mask_mobile(lead.mobile) if lead.mobile else "",
        "intended_use": lead.intended_use,
        "industry_code": lead.industry_id,
        "area_min_m2": lead.area_min_m2,
        "area_max_m2": lead.area_max_m2,
        "park_id": lead.park_id,
        "owner": person(lead.owner),
        "created_at": iso(lead.created_at),
        "last_activity_at": iso(lead.last_activity_at),
        "next_follow_up_on": lead.next_follow_up_on.isoformat() if lead.next_follow_up_on else None,
        "submission_count": lead.submission_count,
    }


@router.get("/leads", response={200: pagination.Page[LeadOut], **STAFF_ERRORS}, summary="需求线索")
def leads(request: HttpRequest, query: Query[LeadQuery]) -> dict[str, Any]:
    """The inbox's list, its filters (unknown values ignored, as the inbox does), newest first."""
    filters = lead_selectors.with_search_done(
        lead_selectors.lead_filters_from_query(request.GET, user=request.user), user=request.user
    )
    rows = lead_selectors.lead_list_for_user(user=request.user, filters=filters)
    scope = f"leads:{request.user.pk}"
    offset = pagination.offset_position(scope, query.cursor)
    page = list(rows[offset : offset + query.limit + 1])
    next_cursor = (
        pagination.encode(scope, offset + query.limit) if len(page) > query.limit else None
    )
    return {"items": [_lead(lead) for lead in page[: query.limit]], "next_cursor": next_cursor}


def _lead_detail(lead: Lead) -> dict[str, Any]:
    follow_ups = lead.follow_ups.select_related("author").order_by("-happened_at", "-id")
    return {
        **_lead(lead),
        "contact_name": lead.contact_name,
        "need_text": lead.need_text,
        "follow_ups": [
            {
                "channel": f.channel,
                "happened_at": iso(f.happened_at),
                "outcome": f.outcome,
                "notes": f.notes,
                "author": person(f.author),
                "next_follow_up_on": f.next_follow_up_on.isoformat()
                if f.next_follow_up_on
                else None,
            }
            for f in follow_ups
        ],  # fmt: skip
    }


@router.get("/leads/{lead_id}", response={200: LeadDetailOut, **STAFF_ERRORS}, summary="线索详情")
def lead(request: HttpRequest, lead_id: Id) -> dict[str, Any]:
    return _lead_detail(gates.lead_for_user_or_404(request.user, lead_id, for_change=False))


class RevealIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200, description="查看理由(写入访问日志)")


class RevealOut(Schema):
    mobile: str = Field(description="E.164")


@router.post(
    "/leads/{lead_id}/reveal",
    response={200: RevealOut, **STAFF_ERRORS},
    summary="查看完整手机号(记入访问日志)",
)
def lead_reveal(
    request: HttpRequest, lead_id: Id, payload: RevealIn, response: HttpResponse
) -> dict[str, str]:
    lead = gates.lead_for_user_or_404(request.user, lead_id, for_change=True)
    form = RevealForm(as_form_data(payload.model_dump()))
    if not form.is_valid():
        raise form_refused(form)
    try:
        mobile = lead_services.lead_mobile_reveal_recorded(
            user=request.user, lead=lead, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as error:
        raise validation_refused(error) from None
    response["Cache-Control"] = "private, no-store"
    return {"mobile": mobile}


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    channel: str
    happened_at: str = Field(description="ISO 8601,如 2026-12-06T10:30")
    outcome: str
    notes: str = Field(max_length=2000)
    next_follow_up_on: str | None = Field(None, description="YYYY-MM-DD")


@router.post(
    "/leads/{lead_id}/follow-ups",
    response={200: LeadDetailOut, **STAFF_ERRORS},
    summary="记录一次跟进",
)
def lead_follow_up(request: HttpRequest, lead_id: Id, payload: FollowUpIn) -> dict[str, Any]:
    lead = gates.lead_for_user_or_404(request.user, lead_id, for_change=True)
    form = LeadFollowUpForm(as_form_data(payload.model_dump()))
    if not form.is_valid():
        raise form_refused(form)
    try:
        lead_services.lead_follow_up_record(actor=request.user, lead=lead, **form.cleaned_data)
    except ValidationError as error:
        raise validation_refused(error) from None
    return _lead_detail(gates.lead_for_user_or_404(request.user, lead_id, for_change=False))


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    owner: Id = Field(description="跟进人的用户 id(该线索所属园区的招商人员);给自己即领取")


@router.post(
    "/leads/{lead_id}/assign",
    response={200: LeadDetailOut, **STAFF_ERRORS},
    summary="分配或领取线索",
)
def lead_assign(request: HttpRequest, lead_id: Id, payload: AssignIn) -> dict[str, Any]:
    lead = gates.lead_for_user_or_404(request.user, lead_id, for_change=True)
    form = LeadAssignForm(
        as_form_data(payload.model_dump()), officers=gates.assignable_officers(lead.park_id or 0)
    )
    if not form.is_valid():
        raise form_refused(form)
    try:
        lead_services.lead_assign(actor=request.user, lead=lead, owner=form.cleaned_data["owner"])
    except ValidationError as error:
        raise validation_refused(error) from None
    return _lead_detail(gates.lead_for_user_or_404(request.user, lead_id, for_change=False))


# --- projects ------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    name: str
    investor_name: str
    stage: str
    stage_label: str
    park_id: int
    officer: dict[str, Any] | None
    industry_code: str | None
    key_level: str
    agreed_investment_yi: Any = Field(description="协议投资(亿元)")
    signed_on: str | None
    planned_start_on: str | None
    land_on: str | None
    started_on: str | None
    producing_on: str | None
    version: int = Field(description="变更阶段时须带上,防止覆盖别人的修改")


class ProjectQuery(Schema):
    stage: str | None = None
    park: Id | None = None
    officer: str | None = None
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _project(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "investor_name": project.investor_name,
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "park_id": project.park_id,
        "officer": person(project.officer),
        "industry_code": project.industry_id,
        "key_level": project.key_level,
        "agreed_investment_yi": project.agreed_investment_yi,
        "signed_on": _day(project.signed_on),
        "planned_start_on": _day(project.planned_start_on),
        "land_on": _day(project.land_on),
        "started_on": _day(project.started_on),
        "producing_on": _day(project.producing_on),
        "version": project.version,
    }


@router.get(
    "/projects", response={200: pagination.Page[ProjectOut], **STAFF_ERRORS}, summary="招商项目"
)
def projects(request: HttpRequest, query: Query[ProjectQuery]) -> dict[str, Any]:
    filters = project_selectors.project_filters_from_query(request.GET, user=request.user)
    rows = project_selectors.project_list_for_user(user=request.user, filters=filters)
    page, next_cursor = pagination.keyset_page(
        rows, scope=f"projects:{request.user.pk}", keyset=pagination.Keyset("id"),
        cursor=query.cursor, limit=query.limit,
    )  # fmt: skip
    return {"items": [_project(p) for p in page], "next_cursor": next_cursor}


@router.get(
    "/projects/{project_id}", response={200: ProjectOut, **STAFF_ERRORS}, summary="项目详情"
)
def project(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    return _project(gates.project_for_user_or_404(request.user, project_id, for_change=False))


class StageMoveIn(Schema):
    """The project page's 阶段变更 form: the stage, the version read, and the evidence the
    stage asks for (dates, land, carrier, enterprise), as that form names them."""

    model_config = ConfigDict(extra="allow")

    to_stage: str
    version: int


@router.post(
    "/projects/{project_id}/stage",
    response={200: ProjectOut, **STAFF_ERRORS},
    summary="变更项目阶段(与项目页相同的依据规则)",
)
def project_move(request: HttpRequest, project_id: Id, payload: StageMoveIn) -> dict[str, Any]:
    found = gates.project_for_user_or_404(request.user, project_id, for_change=True)
    sent = json.loads(request.body or b"{}")
    form = StageMoveForm(as_form_data(sent), project=found)
    unknown = sorted(set(sent) - set(form.fields))
    if unknown:
        raise ApiError(
            400, "invalid", "有不认识的字段。", {name: ["不认识的字段。"] for name in unknown}
        )
    if not form.is_valid():
        raise form_refused(form)
    data = dict(form.cleaned_data)
    try:
        moved = project_services.project_move_to_stage(
            actor=request.user, project=found, to_stage=data.pop("to_stage"),
            expected_version=data.pop("version"), reason=data.pop("reason") or "", evidence=data,
        )  # fmt: skip
    except project_services.ProjectConflict:
        raise ApiError(409, "version_conflict", "项目已被他人修改,请重新读取后再提交。") from None
    except ValidationError as error:
        raise validation_refused(error) from None
    return _project(moved)
