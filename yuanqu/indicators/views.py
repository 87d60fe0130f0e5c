"""Indicator dashboards (/dashboard/): leadership and site admins see the city view over the
parks they may see; park staff see their parks' views. Imports: site admins (every row) and
park managers (their parks' rows only). Leadership reads and changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yuanqu.accounts import gates
from yuanqu.chains.selectors import completeness_trend
from yuanqu.core import downloads, pdf, spreadsheets
from yuanqu.enterprises.selectors import target_progress_for_user
from yuanqu.indicators import charts, exports, reports, selectors, services
from yuanqu.indicators.forms import MonthForm, ReportForm, UploadForm
from yuanqu.indicators.models import ImportBatch

# The city tables are cached per data version (see selectors.data_version), so this only
# bounds memory: an import or a registry change is visible on the next request.
CITY_CACHE_SECONDS = 6 * 3600

# The chart scripts, in load order (the same files chart_scripts.html links).
CHART_SCRIPTS = ("vendor/echarts/echarts.common.min.js", "js/indicator-charts.js")
# The printed report's stylesheets, in the order report_print.html links them.
REPORT_STYLESHEETS = ("css/indicators.css", "css/indicators-print.css")


def _month(
    request: HttpRequest, park_ids: frozenset[int] | None
) -> tuple[MonthForm, int, int] | None:
    form = MonthForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        return form, form.cleaned_data["year"], form.cleaned_data["month"]
    latest = selectors.latest_month(park_ids=park_ids)
    if latest is None:
        return None
    if not form.is_bound:
        form = MonthForm(initial={"year": latest[0], "month": latest[1]})
    return form, latest[0], latest[1]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "wb_section": "dashboard",
        "can_import": bool(selectors.import_scope_for_user(request.user)),
        **extra,
    }


@require_GET
@gates.staff_required
def city_page(request: HttpRequest) -> HttpResponse:
    park_ids = selectors.city_park_ids_for_user(request.user)
    if park_ids is None:
        own = gates.parks_for_user(request.user).order_by("name").first()
        if own is None:
            raise PermissionDenied
        return redirect("indicators:park", park_id=own.pk)
    chosen = _month(request, park_ids)
    if chosen is None:
        return render(request, "indicators/city_page.html", _context(request, report=None))
    form, year, month = chosen
    scope = hashlib.sha256(",".join(map(str, sorted(park_ids))).encode()).hexdigest()[:16]
    key = f"indicators:city:{selectors.data_version()}:{year}:{month}:{scope}"
    cached = cache.get(key)
    if cached is None:
        cached = _city_tables(year, month, park_ids)
        cache.set(key, cached, CITY_CACHE_SECONDS)
    tables, head = cached
    return render(
        request,
        "indicators/city_page.html",
        _context(
            request,
            form=form,
            report=head,
            tables=mark_safe(tables),  # noqa: S308
            panel=selectors.pipeline_panel(
                user=request.user, park_ids=park_ids, year=year, month=month
            ),
        ),
    )


def _city_tables(year: int, month: int, park_ids: frozenset[int]) -> tuple[str, dict[str, Any]]:
    """The city view's tables as HTML (the same for everyone with the same parks) and the
    few report facts the page header shows."""
    report = selectors.month_report(year=year, month=month, park_ids=park_ids)
    rows = reports.city_rows(report)
    rankings = [
        {"indicator": indicator,
         "figures": sorted((s.figures[indicator.pk] for s in report.parks if s.figures[indicator.pk].rank),
                           key=lambda figure: figure.rank or 0)}
        for indicator in report.indicators
    ]  # fmt: skip
    html = render_to_string(
        "indicators/city_tables.html",
        {"report": report, "rows": rows, "rankings": rankings,
         "charts": charts.city_charts(report)},
    )  # fmt: skip
    head = {
        "year": report.year,
        "month": report.month,
        "time_progress_pct": report.time_progress_pct,
        "data_updated_at": report.data_updated_at,
        "has_sample": report.has_sample,
    }
    return html, head


@require_GET
@gates.staff_required
def park_page(request: HttpRequest, park_id: int) -> HttpResponse:
    park = gates.park_for_user_or_404(request.user, park_id, for_change=False)
    chosen = _month(request, frozenset({park.pk}))
    if chosen is None:
        return render(
            request, "indicators/park_page.html", _context(request, park=park, report=None)
        )
    form, year, month = chosen
    report = selectors.month_report(year=year, month=month, park_ids=[park.pk])
    summary = report.parks[0]
    histories = selectors.park_year(park=park, year=year, month=month, indicators=report.indicators)
    outlooks = selectors.pipeline_outlook(summary=summary, year=year, month=month)
    trends = charts.park_trend_charts(histories)
    cultivation = target_progress_for_user(user=request.user, year=year, park_id=park.pk)
    rows = reports.park_rows(report, histories)
    chain_trend = completeness_trend(park_id=park.pk, year=year, month=month)
    return render(
        request,
        "indicators/park_page.html",
        _context(request, form=form, park=park, report=report, summary=summary, rows=rows,
                 outlooks=outlooks, months=list(range(1, month + 1)),
                 charts=charts.pacing_charts(histories), trends=trends,
                 trend_history=charts.trend_history(histories),
                 cultivation=cultivation[0] if cultivation else None, chain_trend=chain_trend,
                 chain_chart=charts.chain_completeness(chain_trend, "chain-completeness")
                 if chain_trend else None),
    )  # fmt: skip


@require_GET
@gates.staff_required
def export_month(request: HttpRequest) -> HttpResponse:
    """The dashboard's table for a month in the template layout (imports back unchanged)."""
    park_ids = selectors.city_park_ids_for_user(request.user)
    if park_ids is None:
        park_ids = frozenset(gates.parks_for_user(request.user).values_list("pk", flat=True))
    chosen = _month(request, park_ids)
    if chosen is None:
        raise PermissionDenied("no data")
    _form, year, month = chosen
    report = selectors.month_report(year=year, month=month, park_ids=park_ids)
    return spreadsheets.xlsx_response(
        exports.report_workbook_bytes(report), filename=f"园区指标_{year}年{month}月.xlsx"
    )


class ReportRefused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _refused(request: HttpRequest, refusal: ReportRefused) -> HttpResponse:
    return render(
        request,
        "indicators/report_refused.html",
        _context(request, message=refusal.message),
        status=refusal.status,
    )


def _print_context(request: HttpRequest) -> dict[str, Any]:
    """The printed report's context: one park with ?park=ID (any park the user sees), else
    the city (for those with the city view). Refuses a malformed month (400) or no data."""
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise ReportRefused(" ".join(str(e) for errors in form.errors.values() for e in errors))
    park_id = form.cleaned_data.get("park")
    park = None
    if park_id:
        park = gates.park_for_user_or_404(request.user, park_id, for_change=False)
    park_ids = frozenset({park.pk}) if park else selectors.city_park_ids_for_user(request.user)
    if park_ids is None:
        raise PermissionDenied
    if form.cleaned_data.get("year"):
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    else:
        latest = selectors.latest_month(park_ids=park_ids)
        if latest is None:
            raise ReportRefused(_("还没有指标数据,无法生成报告。"), status=404)
        year, month = latest
    if park is not None:
        return reports.park_print_context(park=park, year=year, month=month)
    return reports.city_print_context(park_ids=park_ids, year=year, month=month)


@require_GET
@gates.staff_required
def report(request: HttpRequest, as_pdf: bool = False) -> HttpResponse:
    """The A4 report: as a page (it prints from the browser as it does to PDF) or as the PDF
    Chromium prints from the same template."""
    try:
        context = _print_context(request)
    except ReportRefused as refusal:
        return _refused(request, refusal)
    if not as_pdf:
        return render(request, "indicators/report_print.html", context)
    html = render_to_string(
        "indicators/report_print.html", {**context, "for_pdf": True}, request=request
    )
    try:
        document = pdf.html_to_pdf(
            html,
            stylesheets=[_static_path(name) for name in REPORT_STYLESHEETS],
            scripts=[_static_path(name) for name in CHART_SCRIPTS],
        )
    except pdf.PdfUnavailable:
        message = _(
            "本服务器未安装 Chromium,暂不能导出 PDF。可打开打印版页面,用浏览器打印或另存为 PDF。"
        )
        return _refused(request, ReportRefused(str(message), status=503))
    month = context["report"]
    name = context["park"].name if context["park"] else "各园区"
    return downloads.attachment(
        document,
        filename=f"{name}主要指标_{month.year}年{month.month}月.pdf",
        content_type="application/pdf",
    )


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise ImproperlyConfigured(f"static file {name} is missing")
    return Path(str(found))


@require_GET
@gates.staff_required
def template_download(request: HttpRequest) -> HttpResponse:
    allowed = selectors.import_scope_for_user(request.user)
    if allowed is False:
        raise PermissionDenied
    parks = gates.parks_for_user(request.user).filter(is_active=True).order_by("name")
    if allowed is not True:
        parks = parks.filter(pk__in=sorted(allowed))  # type: ignore[arg-type]
    workbook = exports.template_workbook(
        parks=list(parks), indicators=selectors.active_indicators(), today=timezone.localdate()
    )
    return spreadsheets.xlsx_response(workbook, filename="园区指标导入模板.xlsx")


@require_http_methods(["GET", "POST"])
@gates.staff_required
def import_page(request: HttpRequest) -> HttpResponse:
    allowed = selectors.import_scope_for_user(request.user)
    if allowed is False:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.import_workbook(
            upload=upload,
            actor=request.user,
            source=ImportBatch.Source.UPLOAD,
            filename=upload.name,
            allowed_park_ids=None if allowed is True else allowed,  # type: ignore[arg-type]
        )
    batches = ImportBatch.objects.select_related("user")[:10]
    return render(
        request,
        "indicators/import_page.html",
        _context(request, form=form, report=report, batches=batches),
        status=400 if report is not None and not report.ok else 200,
    )
