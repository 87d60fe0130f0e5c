"""Writes to 招商 projects. Every change goes through one of these functions, inside one
transaction, with the project row locked and its version checked (two officers editing at
once: the second gets ProjectConflict, nothing is overwritten).

The stage moves only through `project_move_to_stage`, which enforces what each stage needs:
签约 needs 协议投资 and 签约日期, 拿地 needs 土地面积 (亩) and 拿地日期 (or a rented carrier),
开工 needs 开工日期, 投产 needs 投产日期; skipping a stage needs the skipped stage's data too;
going back needs a reason; no date lies in the future or before the previous stage's date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.accounts import gates
from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.listings.models import Carrier
from yuanqu.pipeline.models import (
    STAGE_ORDER,
    FundingEntry,
    Milestone,
    Problem,
    Project,
    ProjectFollowUp,
    Stage,
    StageChange,
)

# The date each stage sets when reached, and the data it needs beyond that date.
STAGE_DATE_FIELDS: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.LAND: "land_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.TERMINATED: "terminated_on",
}
# Fields a project's own form may change; the stage, its dates and the version are not here.
EDITABLE_FIELDS = (
    "name", "investor_name", "investor_credit_code", "industry", "carrier_kind", "area_m2",
    "land_parcel", "agreed_investment_yi", "expected_output_wan", "expected_tax_wan", "jobs",
    "key_level", "leader_name", "planned_start_on",
)  # fmt: skip
MAX_AMOUNT_YI = Decimal("100000")


class ProjectConflict(Exception):
    """The project changed since the user opened it (its version moved on)."""

    def __init__(self, project: Project) -> None:
        super().__init__(_("该项目已被他人修改,请刷新后重试(您的修改尚未保存)。"))
        self.project = project


@dataclass(frozen=True)
class StageEvidence:
    """What a stage move may carry; the move form cleans raw input into this."""

    effective_on: date | None = None
    agreed_investment_yi: Decimal | None = None
    planned_start_on: date | None = None
    land_mode: str = ""
    land_mu: Decimal | None = None
    land_parcel: str = ""
    carrier_id: int | None = None
    enterprise_credit_code: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> StageEvidence:
        fields: dict[str, Any] = {name: data.get(name) for name in cls.__dataclass_fields__}
        for text_field in ("land_mode", "land_parcel", "enterprise_credit_code"):
            fields[text_field] = (fields[text_field] or "").strip()
        return cls(**fields)


# --- helpers ---------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _locked(project: Project, expected_version: int | None) -> Project:
    """The project row, locked for this transaction, at the version the user saw."""
    current = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and current.version != expected_version:
        raise ProjectConflict(current)
    return current


def _require_change(actor: Any, project: Project) -> None:
    if not gates.user_can_edit_park(actor, project.park_id):
        raise PermissionDenied(_("您没有修改该项目的权限。"))


def _refuse_terminated(project: Project) -> None:
    if project.stage == Stage.TERMINATED:
        raise ValidationError(_("项目已终止,不能再修改。"), code="terminated")


def _not_future(value: date | None, field: str, errors: dict[str, str]) -> None:
    if value is not None and value > _today():
        errors.setdefault(field, _("日期不能晚于今天。"))


def _touch(project: Project, *, now: datetime | None = None, fields: tuple[str, ...] = ()) -> None:
    project.last_activity_at = now or timezone.now()
    project.version += 1
    project.save(update_fields=["last_activity_at", "version", "updated_at", *fields])


def _positive_amount(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("请填写数字。")
        return None
    if amount <= 0:
        errors[field] = _("金额必须大于 0。")
    elif amount > MAX_AMOUNT_YI:
        errors[field] = _("金额过大,请以亿元为单位填写。")
    return amount


def _reindex(project_id: int) -> None:
    from yuanqu.pipeline.search_index import projects_index_on_commit

    projects_index_on_commit(project_ids=[project_id])


def _refresh_alerts(project_id: int) -> None:
    from yuanqu.pipeline.alerts import alerts_refresh_for

    transaction.on_commit(lambda: alerts_refresh_for(project_ids=[project_id]))


# --- creating and editing --------------------------------------------------------------


def _check_project_fields(fields: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("请填写项目名称。")
    if not (fields.get("investor_name") or "").strip():
        errors["investor_name"] = _("请填写投资方。")
    code = (fields.get("investor_credit_code") or "").strip()
    if code:
        from yuanqu.enterprises.credit_code import CreditCodeError, parse

        try:
            parse(code)
        except CreditCodeError as error:
            errors["investor_credit_code"] = str(error)
    if "agreed_investment_yi" in fields:
        _positive_amount(fields["agreed_investment_yi"], "agreed_investment_yi", errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *, actor: Any, park: Any, met_on: date | None = None, lead: Lead | None = None, **fields: Any
) -> Project:
    """A new project in 在谈. `met_on` is when talks began (default today)."""
    if not gates.user_can_edit_park(actor, park):
        raise PermissionDenied(_("您不能在该园区新建项目。"))
    met_on = met_on or _today()
    if met_on > _today():
        raise ValidationError({"met_on": _("日期不能晚于今天。")})
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"source", "officer"}
    if unknown:
        raise TypeError(f"not project fields: {sorted(unknown)}")
    _check_project_fields(fields)
    fields.setdefault("source", Project.Source.LEAD if lead else Project.Source.OTHER)
    fields.setdefault("officer", actor if gates.user_can_edit_park(actor, park) else None)
    now = timezone.now()
    project = Project.objects.create(
        park=park,
        lead=lead,
        stage=Stage.NEGOTIATING,
        stage_changed_at=now,
        last_activity_at=now,
        **fields,
    )
    StageChange.objects.create(
        project=project, from_stage="", to_stage=Stage.NEGOTIATING, effective_on=met_on, actor=actor
    )
    _reindex(project.pk)
    return project


def _wan_to_yi(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value / Decimal(10000)).quantize(Decimal("0.0001"))


@transaction.atomic
def project_create_from_lead(*, actor: Any, lead: Lead, **overrides: Any) -> Project:
    """One step from a lead: its company, industry, park, kind, area and expected investment,
    tax and jobs carried over; the lead becomes 已转项目 and links to the project."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.park_id is None:
        raise ValidationError(_("线索尚未分配园区,不能转为项目。"), code="no_park")
    if not gates.user_can_edit_park(actor, lead.park_id):
        raise PermissionDenied(_("您没有处理该线索的权限。"))
    if lead.status == Lead.Status.CONVERTED or Project.objects.filter(lead=lead).exists():
        raise ValidationError(_("该线索已转为项目。"), code="already_converted")
    if not lead.is_open:
        raise ValidationError(_("只有新线索或跟进中的线索可以转为项目。"), code="closed")
    company = lead.company or _("(未留公司名)")
    fields: dict[str, Any] = {
        "name": _("%(company)s 项目") % {"company": company},
        "investor_name": company,
        "industry": lead.industry,
        "carrier_kind": lead.kind,
        "area_m2": lead.area_max_m2 or lead.area_min_m2,
        "agreed_investment_yi": _wan_to_yi(lead.investment_wan),
        "expected_tax_wan": lead.annual_tax_wan,
        "jobs": lead.jobs,
        "source": Project.Source.LEAD,
        "officer": lead.owner or actor,
    }
    fields.update(overrides)
    project = project_create(actor=actor, park=lead.park, lead=lead, **fields)
    old_status = lead.status
    lead.status = Lead.Status.CONVERTED
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=["status", "last_activity_at", "updated_at"])
    LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.CONVERTED,
        actor=actor,
        note=project.name[:300],
        data={"project_id": project.pk, "from": old_status},
    )
    return project


@transaction.atomic
def project_update(
    *, actor: Any, project: Project, expected_version: int, **fields: Any
) -> Project:
    _require_change(actor, project)
    project = _locked(project, expected_version)
    _refuse_terminated(project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    merged = {name: getattr(project, name) for name in ("name", "investor_name")} | fields
    _check_project_fields(merged)
    for name, value in fields.items():
        setattr(project, name, value)
    project.version += 1
    project.save(update_fields=[*fields, "version", "updated_at"])
    _reindex(project.pk)
    _refresh_alerts(project.pk)
    return project


@transaction.atomic
def project_assign(
    *, actor: Any, project: Project, officer: Any, expected_version: int | None = None
) -> Project:
    """Park managers hand a project to an officer of its park; an officer may take it."""
    _require_change(actor, project)
    taking_it = officer is not None and officer.pk == actor.pk
    if not (gates.can_assign_in_park(actor, project.park_id) or taking_it):
        raise PermissionDenied(_("只有园区管理员可以分配项目。"))
    if (
        officer is not None
        and not gates.assignable_officers(project.park_id).filter(pk=officer.pk).exists()
    ):
        raise ValidationError({"officer": _("只能分配给该园区的招商人员。")})
    project = _locked(project, expected_version)
    _refuse_terminated(project)
    project.officer = officer
    project.version += 1
    project.save(update_fields=["officer", "version", "updated_at"])
    return project


# --- the stage -------------------------------------------------------------------------


def _stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage)


def _check_forward(
    project: Project, to_stage: str, evidence: StageEvidence, errors: dict[str, str]
) -> dict[str, Any]:
    """Validate a forward move and return the field values it sets (every passed stage's)."""
    values: dict[str, Any] = {}
    passing = STAGE_ORDER[_stage_index(project.stage) + 1 : _stage_index(to_stage) + 1]
    skipped = [str(Stage(stage).label) for stage in passing[:-1]]
    needs = _("跳过“%(stages)s”需同时填写其数据。") % {"stages": "、".join(skipped)}

    def required(field: str, value: Any, message: str, stage: str) -> None:
        if value in (None, ""):
            errors.setdefault(field, message if stage == to_stage else f"{message}{needs}")

    for stage in passing:
        if stage == Stage.SIGNED:
            amount = _positive_amount(
                evidence.agreed_investment_yi or project.agreed_investment_yi,
                "agreed_investment_yi",
                errors,
            )
            required("agreed_investment_yi", amount, _("签约需填写协议投资额(亿元)。"), stage)
            values["agreed_investment_yi"] = amount
            if evidence.planned_start_on:
                values["planned_start_on"] = evidence.planned_start_on
        elif stage == Stage.LAND:
            values.update(_land_values(project, evidence, errors, required))
        # A skipped stage is reached on the target's day (the form carries one date).
        values[STAGE_DATE_FIELDS[stage]] = evidence.effective_on
    return values


def _land_values(
    project: Project, evidence: StageEvidence, errors: dict[str, str], required: Any
) -> dict[str, Any]:
    mode = evidence.land_mode or project.land_mode or Project.LandMode.GRANT
    if mode not in Project.LandMode.values:
        errors["land_mode"] = _("请选择用地方式。")
        return {}
    values: dict[str, Any] = {"land_mode": mode}
    if mode == Project.LandMode.GRANT:
        land_mu = _positive_amount(evidence.land_mu or project.land_mu, "land_mu", errors)
        if "land_mu" in errors and errors["land_mu"] == _("金额必须大于 0。"):
            errors["land_mu"] = _("土地面积必须大于 0 亩。")
        required("land_mu", land_mu, _("拿地需填写土地面积(亩)。"), Stage.LAND)
        values["land_mu"] = land_mu
        if evidence.land_parcel:
            values["land_parcel"] = evidence.land_parcel
    else:
        carrier_id = evidence.carrier_id or project.carrier_id
        carrier = (
            Carrier.objects.filter(pk=carrier_id, park_id=project.park_id).first()
            if carrier_id
            else None
        )
        if carrier is None:
            errors.setdefault("carrier_id", _("租赁载体需关联本园区的载体。"))
        values["carrier"] = carrier
    return values


def _previous_stage_date(project: Project, to_stage: str) -> tuple[date | None, str]:
    """The latest date of a stage before `to_stage` (a stage's date may not precede it)."""
    earlier = (
        STAGE_ORDER[1 : _stage_index(to_stage)] if to_stage in STAGE_ORDER else STAGE_ORDER[1:]
    )
    for stage in reversed(earlier):
        on = getattr(project, STAGE_DATE_FIELDS[stage])
        if on is not None:
            return on, str(Stage(stage).label)
    first = project.stage_changes.order_by("recorded_at", "id").first()
    return (first.effective_on, str(Stage.NEGOTIATING.label)) if first else (None, "")


def _park_enterprise(project: Project, raw_code: str, errors: dict[str, str]) -> Any:
    from yuanqu.enterprises import credit_code
    from yuanqu.enterprises.models import Enterprise

    try:
        code = credit_code.parse(raw_code).value
    except credit_code.CreditCodeError as error:
        errors["enterprise_credit_code"] = str(error)
        return None
    enterprise = Enterprise.objects.filter(credit_code=code, park_id=project.park_id).first()
    if enterprise is None:
        errors["enterprise_credit_code"] = _(
            "企业库中没有本园区该统一社会信用代码的企业,请先登记。"
        )
    return enterprise


def _evidence_json(values: Mapping[str, Any]) -> dict[str, Any]:
    json: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Carrier):
            json["carrier_id"] = value.pk
        elif isinstance(value, models.Model):
            json[f"{name}_id"] = value.pk
        elif value is not None and value != "":
            json[name] = str(value)
    return json


@transaction.atomic
def project_move_to_stage(
    *,
    actor: Any,
    project: Project,
    to_stage: str,
    expected_version: int,
    evidence: StageEvidence | Mapping[str, Any],
    reason: str = "",
) -> Project:
    """Move the project to `to_stage`, recording who, when and the evidence.

    Raises ValidationError (a dict keyed by form field) when the evidence is missing or
    inconsistent, ProjectConflict when the version moved on, PermissionDenied without
    the right to change the project.
    """
    if not isinstance(evidence, StageEvidence):
        evidence = StageEvidence.from_mapping(evidence)
    _require_change(actor, project)
    project = _locked(project, expected_version)
    _refuse_terminated(project)
    reason = " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("请选择阶段。")})
    if to_stage == project.stage:
        raise ValidationError({"to_stage": _("项目已处于该阶段。")})
    if len(reason) > 200:
        errors["reason"] = _("原因不能超过 200 字。")

    backwards = to_stage in STAGE_ORDER and _stage_index(to_stage) < _stage_index(project.stage)
    effective_on = evidence.effective_on
    if to_stage == Stage.TERMINATED or backwards:
        effective_on = effective_on or _today()
    if effective_on is None:
        errors["effective_on"] = _("请填写%(stage)s日期。") % {"stage": Stage(to_stage).label}
    _not_future(effective_on, "effective_on", errors)
    evidence = StageEvidence(**{**evidence.__dict__, "effective_on": effective_on})

    values: dict[str, Any] = {}
    if to_stage == Stage.TERMINATED:
        if not reason:
            errors["reason"] = _("终止项目需填写原因。")
        values = {"terminated_on": effective_on, "terminated_reason": reason}
    elif backwards:
        if not reason:
            errors["reason"] = _("退回上一阶段需填写原因。")
        # Dates of the stages undone are cleared: the project has not reached them (yet).
        for stage in STAGE_ORDER[_stage_index(to_stage) + 1 :]:
            values[STAGE_DATE_FIELDS[stage]] = None
    else:
        values = _check_forward(project, to_stage, evidence, errors)

    if not backwards and effective_on is not None and "effective_on" not in errors:
        previous_on, previous_label = _previous_stage_date(project, to_stage)
        if previous_on is not None and effective_on < previous_on:
            errors["effective_on"] = _("日期不能早于%(stage)s日期(%(date)s)。") % {
                "stage": previous_label,
                "date": previous_on.isoformat(),
            }
    enterprise = None
    if to_stage == Stage.PRODUCING and evidence.enterprise_credit_code:
        enterprise = _park_enterprise(project, evidence.enterprise_credit_code, errors)
    if errors:
        raise ValidationError(errors)

    from_stage = project.stage
    if effective_on is None:  # unreachable: checked above
        effective_on = _today()
    for name, value in values.items():
        setattr(project, name, value)
    if enterprise is not None:
        project.enterprise = enterprise
        values["enterprise"] = enterprise
    now = timezone.now()
    project.stage = to_stage
    project.stage_changed_at = now
    StageChange.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        effective_on=effective_on,
        actor=actor,
        evidence=_evidence_json(values),
        reason=reason,
    )
    _touch(project, now=now, fields=("stage", "stage_changed_at", *values))
    _refresh_alerts(project.pk)
    return project


# --- funds, milestones, problems, follow-ups -------------------------------------------


@transaction.atomic
def funding_entry_add(
    *, actor: Any, project: Project, received_on: date, amount_yi: Any, note: str = ""
) -> FundingEntry:
    _require_change(actor, project)
    project = _locked(project, None)
    _refuse_terminated(project)
    errors: dict[str, str] = {}
    amount = _positive_amount(amount_yi, "amount_yi", errors)
    if amount is None and "amount_yi" not in errors:
        errors["amount_yi"] = _("请填写到位资金(亿元)。")
    _not_future(received_on, "received_on", errors)
    if project.signed_on is None:
        errors["received_on"] = _("项目签约后才能登记到位资金。")
    elif received_on is not None and received_on < project.signed_on:
        errors["received_on"] = _("到位日期不能早于签约日期。")
    if errors or amount is None:
        raise ValidationError(errors)
    entry = FundingEntry.objects.create(
        project=project, received_on=received_on, amount_yi=amount, note=note.strip(), actor=actor
    )
    _touch(project)
    _refresh_alerts(project.pk)
    return entry


@transaction.atomic
def milestone_add(
    *, actor: Any, project: Project, title: str, due_on: date, note: str = ""
) -> Milestone:
    _require_change(actor, project)
    _refuse_terminated(project)
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写节点名称。")})
    milestone = Milestone.objects.create(
        project=project, title=title.strip(), due_on=due_on, note=note.strip()
    )
    _refresh_alerts(project.pk)
    return milestone


@transaction.atomic
def milestone_complete(*, actor: Any, milestone: Milestone, done_on: date) -> Milestone:
    _require_change(actor, milestone.project)
    errors: dict[str, str] = {}
    _not_future(done_on, "done_on", errors)
    if errors:
        raise ValidationError(errors)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    project = _locked(milestone.project, None)
    _touch(project)
    _refresh_alerts(project.pk)
    return milestone


@transaction.atomic
def problem_add(
    *, actor: Any, project: Project, description: str, department: str, raised_on: date
) -> Problem:
    _require_change(actor, project)
    _refuse_terminated(project)
    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = _("请描述问题。")
    if not (department or "").strip():
        errors["department"] = _("请填写责任部门。")
    _not_future(raised_on, "raised_on", errors)
    if errors:
        raise ValidationError(errors)
    problem = Problem.objects.create(
        project=project,
        description=description.strip(),
        department=department.strip(),
        raised_on=raised_on,
    )
    _refresh_alerts(project.pk)
    return problem


@transaction.atomic
def problem_update(
    *,
    actor: Any,
    problem: Problem,
    status: str,
    resolution: str = "",
    resolved_on: date | None = None,
) -> Problem:
    _require_change(actor, problem.project)
    errors: dict[str, str] = {}
    resolution = (resolution or "").strip()
    if status not in Problem.Status.values:
        errors["status"] = _("请选择状态。")
    if status == Problem.Status.RESOLVED:
        if not resolution:
            errors["resolution"] = _("标记已解决需填写解决情况。")
        resolved_on = resolved_on or _today()
        _not_future(resolved_on, "resolved_on", errors)
        if resolved_on < problem.raised_on:
            errors["resolved_on"] = _("解决日期不能早于提出日期。")
    else:
        resolved_on = None
    if errors:
        raise ValidationError(errors)
    problem.status = status
    problem.resolution = resolution
    problem.resolved_on = resolved_on
    problem.save(update_fields=["status", "resolution", "resolved_on", "updated_at"])
    _touch(_locked(problem.project, None))
    _refresh_alerts(problem.project_id)
    return problem


@transaction.atomic
def project_follow_up_add(
    *, actor: Any, project: Project, channel: str, happened_at: datetime, notes: str
) -> ProjectFollowUp:
    _require_change(actor, project)
    project = _locked(project, None)
    _refuse_terminated(project)
    errors: dict[str, str] = {}
    if channel not in ProjectFollowUp.Channel.values:
        errors["channel"] = _("请选择跟进方式。")
    if not (notes or "").strip():
        errors["notes"] = _("请填写跟进记录。")
    if happened_at is not None and happened_at > timezone.now():
        errors["happened_at"] = _("跟进时间不能晚于现在。")
    if errors:
        raise ValidationError(errors)
    follow_up = ProjectFollowUp.objects.create(
        project=project, channel=channel, happened_at=happened_at, notes=notes.strip(), author=actor
    )
    _touch(project, now=max(happened_at, project.last_activity_at or happened_at))
    _refresh_alerts(project.pk)
    return follow_up
