"""Stage analytics pages (/workbench/projects/analytics/): park managers for their parks,
leadership over its region, site admins everywhere; 招商专员 and editors get 403 (their own
figures are on their pages). Read-only: GET only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from yuanqu.accounts import gates
from yuanqu.core.forms import date_field
from yuanqu.parks.models import Park
from yuanqu.pipeline import analytics, calculations
from yuanqu.pipeline.models import Stage

PAGE_SIZE = 50
MAX_PERIOD_DAYS = 366 * 10
PRESET_CHOICES = [
    ("this_month", _("本月")),
    ("this_quarter", _("本季度")),
    ("this_year", _("本年")),
    ("last_year", _("上年")),
    ("custom", _("自定义")),
]


class PeriodForm(forms.Form):
    preset = forms.ChoiceField(label=_("期间"), choices=PRESET_CHOICES, required=False)
    date_from = date_field(_("从"))
    date_to = date_field(_("到"))
    park = forms.ModelChoiceField(
        label=_("园区"),
        queryset=Park.objects.none(),
        required=False,
        empty_label=_("全部园区"),
        error_messages={"invalid_choice": _("所选园区不在您的查看范围内。")},
    )

    def __init__(self, *args: Any, parks: QuerySet[Park], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        preset = data.get("preset") or ""
        start, end = data.get("date_from"), data.get("date_to")
        if preset and preset != "custom":
            start, end = calculations.preset_period(preset, today=today)
        elif start or end or preset == "custom":
            start = start or date(today.year, 1, 1)
            end = end or today
        else:
            start, end = calculations.preset_period("this_year", today=today)
        if start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("date_from", _("期间不能超过 10 年。"))
        data["date_from"], data["date_to"] = start, end
        return data


def _analytics_parks(request: HttpRequest) -> QuerySet[Park]:
    if not gates.can_see_analytics(request.user):
        raise PermissionDenied
    return gates.analytics_parks_for_user(request.user).filter(is_active=True).order_by("name")


def _period(request: HttpRequest, parks: QuerySet[Park]) -> tuple[PeriodForm, bool]:
    form = PeriodForm(request.GET or None, parks=parks)
    if not form.is_bound:
        form = PeriodForm({"preset": "this_year"}, parks=parks)
    return form, form.is_valid()


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@gates.staff_required
def analytics_page(request: HttpRequest) -> HttpResponse:
    parks = _analytics_parks(request)
    form, valid = _period(request, parks)
    context: dict[str, Any] = {
        "wb_section": "analytics",
        "form": form,
        "stages": [(value, label) for value, label in Stage.choices],
        "median_steps": analytics.MEDIAN_STEPS,
    }
    if not valid:
        return _private(render(request, "pipeline/analytics_page.html", context, status=400))
    data = form.cleaned_data
    chosen = parks.filter(pk=data["park"].pk) if data.get("park") else parks
    result = analytics.stage_analytics(
        parks=chosen, date_from=data["date_from"], date_to=data["date_to"]
    )
    period = {"date_from": data["date_from"].isoformat(), "date_to": data["date_to"].isoformat()}
    context.update(result=result, period_query=urlencode(period))
    return _private(render(request, "pipeline/analytics_page.html", context))


@require_GET
@gates.staff_required
def analytics_projects(request: HttpRequest) -> HttpResponse:
    """The projects behind one figure of the analytics page."""
    parks = _analytics_parks(request)
    form, valid = _period(request, parks)
    metric = request.GET.get("metric", "")
    officer = request.GET.get("officer", "")
    if not valid or not analytics.is_metric(metric) or (officer and not officer.isdigit()):
        context = {"wb_section": "analytics", "form": form, "bad_metric": True}
        return _private(render(request, "pipeline/analytics_projects.html", context, status=400))
    data = form.cleaned_data
    chosen = parks.filter(pk=data["park"].pk) if data.get("park") else parks
    projects = analytics.projects_behind(
        metric=metric, parks=chosen, date_from=data["date_from"], date_to=data["date_to"],
        officer_id=int(officer) if officer else None,
    )  # fmt: skip
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: str(value) for key, value in request.GET.items() if key != "page"}
    context = {
        "wb_section": "analytics",
        "form": form,
        "metric_label": analytics.metric_label(metric),
        "page": page,
        "projects": page.object_list,
        "query_string": urlencode(query),
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "park": data.get("park"),
    }
    return _private(render(request, "pipeline/analytics_projects.html", context))
