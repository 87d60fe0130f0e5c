"""Workbench pages of 招商 projects (/workbench/projects/): board, table, export, the project
page and its actions, and the 预警 list.

Who: 招商专员 and park managers work their parks' projects (managers also assign); leadership
reads its region and changes nothing (every POST: 403); another park's project, milestone or
problem answers 404 and writes a security event. A failed action re-renders the project page
with the form's errors beside its fields (status 400) and saves nothing; a change against an
older version of the project answers 409 with a conflict message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.accounts import gates
from yuanqu.accounts.models import SecurityEvent
from yuanqu.core import spreadsheets
from yuanqu.leads.models import Lead
from yuanqu.pipeline import selectors, services
from yuanqu.pipeline.forms import (
    AssignForm,
    FollowUpForm,
    FundingForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProblemForm,
    ProblemUpdateForm,
    ProjectForm,
    StageMoveForm,
)
from yuanqu.pipeline.models import Milestone, Problem, Project, ProjectAlert, Stage

PAGE_SIZE = 50
EXPORT_LIMIT = 5000


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _context(section: str = "projects", **values: Any) -> dict[str, Any]:
    return {"wb_section": section, **values}


def _add_service_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_messages)


def _filter_parts(request: HttpRequest) -> dict[str, Any]:
    filters = selectors.project_filters_from_query(request.GET, user=request.user)
    query = filters.as_query()
    return {
        "filters": filters,
        "query_string": urlencode(query),
        "parks": gates.parks_for_user(request.user).order_by("name"),
        "stages": Stage.choices,
        "alert_kinds": ProjectAlert.Kind.choices,
        "key_levels": [(value, label) for value, label in Project.KeyLevel.choices if value],
        "export_url": reverse("pipeline:export") + (f"?{urlencode(query)}" if query else ""),
        "can_create": gates.editable_parks_for_user(request.user).exists(),
    }


# --- board, table, export, alerts ------------------------------------------------------


@require_GET
@gates.staff_required
def project_board(request: HttpRequest) -> HttpResponse:
    parts = _filter_parts(request)
    columns = selectors.project_board_for_user(user=request.user, filters=parts["filters"])
    context = _context(columns=columns, view="board", **parts)
    return _private(render(request, "pipeline/project_board.html", context))


@require_GET
@gates.staff_required
def project_table(request: HttpRequest) -> HttpResponse:
    parts = _filter_parts(request)
    queryset = selectors.project_list_for_user(user=request.user, filters=parts["filters"])
    queryset = queryset.select_related(None).select_related("park", "officer")
    page = Paginator(queryset.only(*selectors.TABLE_FIELDS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = _context(page=page, projects=page.object_list, view="table", **parts)
    return _private(render(request, "pipeline/project_table.html", context))


EXPORT_HEADERS = (
    "项目名称", "投资方", "统一社会信用代码", "园区", "行业", "阶段", "协议投资(亿元)",
    "预计年产值(万元)", "预计年税收(万元)", "就业人数", "土地(亩)", "重点项目", "负责人",
    "包挂领导", "签约日期", "约定开工日期", "拿地日期", "开工日期", "投产日期", "未解除预警",
)  # fmt: skip


@require_GET
@gates.staff_required
def project_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.project_filters_from_query(request.GET, user=request.user)
    queryset = selectors.project_list_for_user(user=request.user, filters=filters)

    def rows() -> Any:
        for project in queryset[:EXPORT_LIMIT].iterator(chunk_size=500):
            yield (
                project.name, project.investor_name, project.investor_credit_code,
                project.park.name, project.industry.name if project.industry else "",
                project.get_stage_display(), project.agreed_investment_yi,
                project.expected_output_wan, project.expected_tax_wan, project.jobs,
                project.land_mu, project.get_key_level_display() if project.key_level else "",
                project.officer.get_full_name() or project.officer.username
                if project.officer else "",
                project.leader_name, project.signed_on, project.planned_start_on,
                project.land_on, project.started_on, project.producing_on,
                project.open_alert_count,  # type: ignore[attr-defined]
            )  # fmt: skip

    workbook = spreadsheets.build_workbook(title="招商项目", headers=EXPORT_HEADERS, rows=rows())
    filename = f"招商项目-{timezone.localdate():%Y%m%d}.xlsx"
    return spreadsheets.xlsx_response(workbook, filename=filename)


@require_GET
@gates.staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in ProjectAlert.Kind.values else ""
    alerts = selectors.alerts_for_user(user=request.user, kind=kind)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.alert_counts_for_user(user=request.user)
    context = _context(
        "alerts",
        page=page,
        alerts=page.object_list,
        kind=kind,
        tabs=[(value, label, counts.get(value, 0)) for value, label in ProjectAlert.Kind.choices],
        query_string=urlencode({"kind": kind}) if kind else "",
    )
    return _private(render(request, "pipeline/alert_list.html", context))


# --- create ----------------------------------------------------------------------------


def _record_forged_park(request: HttpRequest, form: ProjectForm) -> None:
    raw = str(form.data.get("park") or "")
    if "park" in form.errors and raw.isdigit():
        from yuanqu.parks.models import Park

        if Park.objects.filter(pk=int(raw)).exists():
            gates.record_security_event(
                user=request.user,
                kind=SecurityEvent.Kind.TAMPERED_FIELD,
                target="pipeline.project:new",
                detail=f"park={raw}",
                request=request,
            )


@require_http_methods(["GET", "POST"])
@gates.staff_required
def project_new(request: HttpRequest) -> HttpResponse:
    parks = gates.editable_parks_for_user(request.user).order_by("name")
    if not parks.exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, parks=parks)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.data_for_service()
            try:
                project = services.project_create(
                    actor=request.user, park=data.pop("park"), met_on=data.pop("met_on"), **data
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("项目已建立(在谈)。"))
                return redirect("pipeline:detail", project_id=project.pk)
        _record_forged_park(request, form)
        status = 400
    return render(
        request, "pipeline/project_form.html", _context(form=form, project=None), status=status
    )


@require_http_methods(["GET", "POST"])
@gates.staff_required
def project_create_from_lead(request: HttpRequest, lead_id: int) -> HttpResponse:
    """One step: GET shows what will be carried over, POST creates the project."""
    lead = gates.lead_for_user_or_404(request.user, lead_id, for_change=True)
    existing = Project.objects.filter(lead=lead).first()
    if existing is not None:
        messages.info(request, _("该线索已转为项目。"))
        return redirect("pipeline:detail", project_id=existing.pk)
    error = ""
    if request.method == "POST":
        try:
            project = services.project_create_from_lead(actor=request.user, lead=lead)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("已转为招商项目,线索状态为“已转项目”。"))
            return redirect("pipeline:detail", project_id=project.pk)
    lead = Lead.objects.select_related("park", "industry").get(pk=lead.pk)
    return _private(
        render(
            request,
            "pipeline/project_from_lead.html",
            _context(lead=lead, error=error),
            status=400 if error else 200,
        )
    )


# --- the project page ------------------------------------------------------------------


def _detail_forms(project: Project, request: HttpRequest) -> dict[str, Any]:
    version = {"version": project.version}
    forms: dict[str, Any] = {
        "move_form": StageMoveForm(project=project, initial=version),
        "funding_form": FundingForm(initial={"received_on": timezone.localdate()}),
        "milestone_form": MilestoneForm(),
        "problem_form": ProblemForm(initial={"raised_on": timezone.localdate()}),
        "follow_up_form": FollowUpForm(),
    }
    if gates.can_assign_in_park(request.user, project.park_id):
        forms["assign_form"] = AssignForm(
            officers=gates.assignable_officers(project.park_id),
            initial={"officer": project.officer_id, **version},
        )
    return forms


def _render_detail(
    request: HttpRequest, project: Project, *, status: int = 200, **bound: Any
) -> HttpResponse:
    project = Project.objects.select_related(
        "park", "officer", "industry", "carrier", "enterprise", "lead"
    ).get(pk=project.pk)
    can_edit = gates.user_can_edit_park(request.user, project.park_id)
    context = _context(
        project=project,
        can_edit=can_edit and project.is_live,
        timeline=selectors.project_timeline(project),
        today=timezone.localdate(),
        problem_statuses=Problem.Status.choices,
        open_bound=next(iter(bound), ""),
        **selectors.project_detail_context(project=project),
    )
    if can_edit:
        context.update(_detail_forms(project, request))
        context.update(bound)
    return _private(render(request, "pipeline/project_detail.html", context, status=status))


@require_GET
@gates.staff_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return _render_detail(request, gates.project_for_user_or_404(request.user, project_id))


def _conflict(request: HttpRequest, project: Project, form_name: str, form: Any) -> HttpResponse:
    form.add_error(None, _("该项目已被他人修改,请查看最新内容后重试(您的修改尚未保存)。"))
    return _render_detail(request, project, status=409, **{form_name: form})


def _child_or_404(model: type[Model], pk: int, project: Project, request: HttpRequest) -> Any:
    """A milestone or problem of this project; one of another project is answered 404 (and
    logged when it exists: an id was tried against the wrong project)."""
    child = model._default_manager.filter(pk=pk, project=project).first()  # type: ignore[misc]
    if child is None:
        if model._default_manager.filter(pk=pk).exists():
            gates.record_security_event(
                user=request.user,
                kind=SecurityEvent.Kind.FORBIDDEN_OBJECT,
                target=f"{model._meta.label_lower}:{pk}",
                detail=f"via project {project.pk}",
                request=request,
            )
        raise Http404
    return child


def project_action(
    form_name: str,
) -> Callable[[Callable[..., HttpResponse | None]], Callable[..., HttpResponse]]:
    """POST-only, staff, the project fetched for change (404/403 via gates); a ValidationError
    from the service lands on the form named `form_name`, a conflict answers 409."""

    def decorate(action: Callable[..., HttpResponse | None]) -> Callable[..., HttpResponse]:
        @require_POST
        @gates.staff_required
        @wraps(action)
        def view(request: HttpRequest, project_id: int, **kwargs: Any) -> HttpResponse:
            project = gates.project_for_user_or_404(request.user, project_id, for_change=True)
            holder: dict[str, Any] = {}
            try:
                response = action(request, project, holder, **kwargs)
            except services.ProjectConflict:
                return _conflict(request, project, form_name, holder["form"])
            except ValidationError as error:
                form = holder["form"]
                _add_service_errors(form, error)
                return _render_detail(request, project, status=400, **{form_name: form})
            if response is None:
                return _render_detail(request, project, status=400, **{form_name: holder["form"]})
            return response

        return view

    return decorate


def _done(request: HttpRequest, project: Project, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    url = reverse("pipeline:detail", kwargs={"project_id": project.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_http_methods(["GET", "POST"])
@gates.staff_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = gates.project_for_user_or_404(request.user, project_id, for_change=True)
    form = ProjectForm(request.POST or None, instance=project)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.data_for_service()
            try:
                services.project_update(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                    **data,
                )
            except services.ProjectConflict:
                form.add_error(None, _("该项目已被他人修改,请刷新后重试(您的修改尚未保存)。"))
                status = 409
            except ValidationError as error:
                _add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("已保存。"))
                return redirect("pipeline:detail", project_id=project.pk)
        else:
            status = 400
    return render(
        request,
        "pipeline/project_form.html",
        _context(form=form, project=project),
        status=status,
    )


@project_action("move_form")
def project_move(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    form = holder["form"] = StageMoveForm(request.POST, project=project)
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    moved = services.project_move_to_stage(
        actor=request.user,
        project=project,
        to_stage=data.pop("to_stage"),
        expected_version=data.pop("version"),
        reason=data.pop("reason") or "",
        evidence=data,
    )
    return _done(
        request, moved, _("阶段已变更为“%(stage)s”。") % {"stage": moved.get_stage_display()}
    )


@project_action("assign_form")
def project_assign(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    if not gates.can_assign_in_park(request.user, project.park_id):
        raise PermissionDenied
    form = holder["form"] = AssignForm(
        request.POST, officers=gates.assignable_officers(project.park_id)
    )
    if not form.is_valid():
        return None
    services.project_assign(
        actor=request.user,
        project=project,
        officer=form.cleaned_data["officer"],
        expected_version=form.cleaned_data["version"],
    )
    return _done(request, project, _("负责人已更新。"))


@project_action("funding_form")
def funding_add(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    form = holder["form"] = FundingForm(request.POST)
    if not form.is_valid():
        return None
    services.funding_entry_add(actor=request.user, project=project, **form.cleaned_data)
    return _done(request, project, _("到位资金已登记。"), "funding")


@project_action("milestone_form")
def milestone_add(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    form = holder["form"] = MilestoneForm(request.POST)
    if not form.is_valid():
        return None
    services.milestone_add(actor=request.user, project=project, **form.cleaned_data)
    return _done(request, project, _("节点已添加。"), "milestones")


@project_action("milestone_done_form")
def milestone_done(
    request: HttpRequest, project: Project, holder: dict, milestone_id: int
) -> HttpResponse | None:
    milestone = _child_or_404(Milestone, milestone_id, project, request)
    form = holder["form"] = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        return None
    services.milestone_complete(
        actor=request.user, milestone=milestone, done_on=form.cleaned_data["done_on"]
    )
    return _done(request, project, _("节点已完成。"), "milestones")


@project_action("problem_form")
def problem_add(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    form = holder["form"] = ProblemForm(request.POST)
    if not form.is_valid():
        return None
    services.problem_add(actor=request.user, project=project, **form.cleaned_data)
    return _done(request, project, _("问题已登记。"), "problems")


@project_action("problem_update_form")
def problem_update(
    request: HttpRequest, project: Project, holder: dict, problem_id: int
) -> HttpResponse | None:
    problem = _child_or_404(Problem, problem_id, project, request)
    form = holder["form"] = ProblemUpdateForm(request.POST)
    if not form.is_valid():
        return None
    services.problem_update(actor=request.user, problem=problem, **form.cleaned_data)
    return _done(request, project, _("问题状态已更新。"), "problems")


@project_action("follow_up_form")
def follow_up_add(request: HttpRequest, project: Project, holder: dict) -> HttpResponse | None:
    form = holder["form"] = FollowUpForm(request.POST)
    if not form.is_valid():
        return None
    services.project_follow_up_add(actor=request.user, project=project, **form.cleaned_data)
    return _done(request, project, _("跟进已记录。"), "follow-ups")
