"""Workbench pages of the enterprise registry (/workbench/enterprises/).

Who: park managers and 招商专员 read and change their parks' enterprises; only park managers
(and site admins) set cultivation targets (judgement call: targets are the park's plan, like
its profile); leadership reads its region; editors and signed-in users without a park or
region role get 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from yuanqu.accounts import gates
from yuanqu.accounts.models import SecurityEvent
from yuanqu.core import spreadsheets
from yuanqu.enterprises import importing, selectors, services
from yuanqu.enterprises.forms import (
    PARK_REFUSED,
    EnterpriseFilterForm,
    EnterpriseForm,
    ImportForm,
    TargetsForm,
)
from yuanqu.enterprises.models import Enterprise
from yuanqu.parks.models import Park

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _refuse_read_only(request: HttpRequest) -> None:
    if gates.is_read_only_staff(request.user):
        raise PermissionDenied


def _context(**values: Any) -> dict[str, Any]:
    return {"wb_section": "enterprises", **values}


def _add_service_errors(form: Any, error: ValidationError) -> None:
    for name, field_messages in error.message_dict.items():
        target = "industry_code" if name == "industry" else name
        form.add_error(target if target in form.fields else None, field_messages)


def _record_forged_park(request: HttpRequest, form: EnterpriseForm, target: str) -> None:
    forged = form.forged_park_value()
    if forged is not None:
        gates.record_security_event(
            user=request.user,
            kind=SecurityEvent.Kind.TAMPERED_FIELD,
            target=target,
            detail=f"park={forged}",
            request=request,
        )


# --- list, detail ----------------------------------------------------------------------


@require_GET
@gates.registry_required
def enterprise_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = selectors.enterprise_filters_from_query(request.GET, user=request.user)
    queryset = selectors.enterprise_list_for_user(user=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    parks = gates.parks_for_user(request.user).order_by("name")
    query = filters.as_query()
    context = _context(
        page=page,
        enterprises=page.object_list,
        filters=filters,
        filter_form=EnterpriseFilterForm(request.GET or None, parks=parks),
        query_string=urlencode(query),
        export_url=reverse("enterprises:export") + (f"?{urlencode(query)}" if query else ""),
        can_edit=not gates.is_read_only_staff(request.user),
        today=timezone.localdate(),
        expiring_days=selectors.EXPIRING_DAYS,
    )
    template = "enterprises/enterprise_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
@gates.registry_required
def enterprise_detail(request: HtmxHttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = gates.enterprise_for_user_or_404(request.user, enterprise_id)
    enterprise = Enterprise.objects.select_related("park", "industry").get(pk=enterprise.pk)
    context = _context(
        enterprise=enterprise,
        can_edit=gates.user_can_edit_park(request.user, enterprise.park_id),
        **selectors.enterprise_detail_context(user=request.user, enterprise=enterprise),
    )
    return render(request, "enterprises/enterprise_detail.html", context)


# --- create, edit ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@gates.registry_required
def enterprise_new(request: HtmxHttpRequest) -> HttpResponse:
    _refuse_read_only(request)
    parks = gates.editable_parks_for_user(request.user).order_by("name")
    form = EnterpriseForm(request.POST or None, parks=parks)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                enterprise = services.enterprise_create(
                    actor=request.user, data=form.data_for_service()
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("企业已登记。"))
                return redirect("enterprises:detail", enterprise_id=enterprise.pk)
        _record_forged_park(request, form, "enterprises.enterprise:new")
        status = 400
    return render(
        request,
        "enterprises/enterprise_form.html",
        _context(form=form, enterprise=None),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@gates.registry_required
def enterprise_edit(request: HtmxHttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = gates.enterprise_for_user_or_404(request.user, enterprise_id, for_change=True)
    parks = gates.editable_parks_for_user(request.user).order_by("name")
    form = EnterpriseForm(request.POST or None, parks=parks, instance=enterprise)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.enterprise_update(
                    actor=request.user, enterprise=enterprise, data=form.data_for_service()
                )
            except ValidationError as error:
                enterprise.refresh_from_db()  # the service may have set values before refusing
                _add_service_errors(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("enterprises:detail", enterprise_id=enterprise.pk)
        _record_forged_park(request, form, f"enterprises.enterprise:{enterprise.pk}")
        status = 400
    return render(
        request,
        "enterprises/enterprise_form.html",
        _context(form=form, enterprise=enterprise),
        status=status,
    )


# --- Excel -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@gates.registry_required
def enterprise_import(request: HtmxHttpRequest) -> HttpResponse:
    _refuse_read_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = services.enterprises_import(
                actor=request.user, upload=form.cleaned_data["file"]
            )
            if report.ok:
                messages.success(
                    request,
                    _("导入完成:新增 %(created)d 家,更新 %(updated)d 家。")
                    % {"created": len(report.created), "updated": len(report.updated)},
                )
                return redirect("enterprises:list")
        status = 400
    return render(
        request,
        "enterprises/enterprise_import.html",
        _context(
            form=form,
            report=report,
            max_rows=importing.MAX_ROWS,
            max_mb=importing.MAX_BYTES // (1024 * 1024),
            columns=importing.COLUMNS,
            required_headers=importing.REQUIRED_HEADERS,
        ),
        status=status,
    )


@require_GET
@gates.registry_required
def enterprise_import_template(request: HtmxHttpRequest) -> HttpResponse:
    return spreadsheets.xlsx_response(importing.template_workbook(), filename="企业导入模板.xlsx")


@require_GET
@gates.registry_required
def enterprise_export(request: HtmxHttpRequest) -> HttpResponse:
    """The list as filtered, every row (not just the page), in the import format."""
    filters = selectors.enterprise_filters_from_query(request.GET, user=request.user)
    queryset = selectors.enterprise_list_for_user(user=request.user, filters=filters)
    filename = f"企业库-{timezone.localdate():%Y%m%d}.xlsx"
    return spreadsheets.xlsx_response(
        importing.export_workbook(enterprises=queryset), filename=filename
    )


# --- cultivation targets ---------------------------------------------------------------


def _year(raw: Any) -> int:
    text = str(raw or "")
    if text.isdigit() and services.MIN_YEAR <= int(text) <= services.MAX_YEAR:
        return int(text)
    return timezone.localdate().year


@require_http_methods(["GET", "POST"])
@gates.registry_required
def enterprise_targets(request: HtmxHttpRequest) -> HttpResponse:
    """Targets and progress of the visible parks for a year; park managers edit theirs."""
    source = request.POST if request.method == "POST" else request.GET
    year = _year(source.get("year"))
    raw_park = str(request.GET.get("park") or "")
    park_filter = int(raw_park) if raw_park.isdigit() else None
    bound: TargetsForm | None = None
    bound_park_id: int | None = None
    status = 200
    if request.method == "POST":
        _refuse_read_only(request)
        bound = TargetsForm(request.POST)
        if bound.is_valid():
            park = Park.objects.filter(pk=bound.cleaned_data["park"]).first()
            if park is None:
                raise Http404
            bound_park_id = park.pk
            try:
                services.targets_set(
                    actor=request.user,
                    park=park,
                    year=year,
                    targets=bound.targets(),
                    notes=bound.notes(),
                )
            except ValidationError as error:
                for name, field_messages in error.message_dict.items():
                    target = f"target_{name}" if f"target_{name}" in bound.fields else None
                    bound.add_error(target, field_messages)
            else:
                messages.success(
                    request,
                    _("已保存%(park)s %(year)d 年培育目标。") % {"park": park.name, "year": year},
                )
                return redirect(f"{reverse('enterprises:targets')}?{urlencode({'year': year})}")
        status = 400
        messages.error(request, _("培育目标未保存,请按提示修改。"))
    parks = selectors.target_progress_for_user(user=request.user, year=year, park_id=park_filter)
    forms = {}
    for item in parks:
        if not item.can_edit:
            continue
        if bound is not None and bound_park_id == item.park.pk:
            forms[item.park.pk] = bound
            continue
        initial: dict[str, Any] = {"park": item.park.pk, "year": year}
        for row in item.rows:
            initial[f"target_{row.progress.kind}"] = row.progress.target
            initial[f"note_{row.progress.kind}"] = row.note
        forms[item.park.pk] = TargetsForm(initial=initial)
    # A post not shown beside a park (malformed, or a park the user may not edit): its
    # errors go above the parks.
    forms_error = bound if bound is not None and bound not in forms.values() else None
    return render(
        request,
        "enterprises/enterprise_targets.html",
        _context(
            year=year,
            years=range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
            park_filter=park_filter,
            park_rows=[(item, forms.get(item.park.pk)) for item in parks],
            forms_error=forms_error,
            park_refused=PARK_REFUSED,
        ),
        status=status,
    )
