from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from yuanqu.accounts.gates import staff_required
from yuanqu.leads.forms import NeedForm, initial_from_query, initial_from_text, new_idempotency_key
from yuanqu.leads.models import Lead
from yuanqu.leads.privacy import PRIVACY_NOTICE_VERSION
from yuanqu.leads.services import (
    LeadSubmitRefused,
    lead_request_deletion,
    lead_submit,
    lead_withdraw,
)
from yuanqu.matching.selectors import lead_results_context

FORM_TEMPLATE = "leads/need_form.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _client_ip(request: HtmxHttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _render_form(
    request: HtmxHttpRequest, form: NeedForm, *, status: int = 200, **context: Any
) -> HttpResponse:
    template = f"{FORM_TEMPLATE}#form" if request.htmx else FORM_TEMPLATE
    context.setdefault("filled", [])
    return render(
        request,
        template,
        {"form": form, "privacy_version": PRIVACY_NOTICE_VERSION, **context},
        status=status,
    )


def _posted_initial(request: HtmxHttpRequest) -> dict[str, Any]:
    """The posted values as initial data, so a re-render keeps everything typed."""
    initial: dict[str, Any] = {}
    for name in NeedForm.base_fields:
        if name in ("regions", "parks"):
            initial[name] = request.POST.getlist(name)
        elif name in ("consent", "insist_location", "eia_required"):
            initial[name] = request.POST.get(name) in ("on", "true", "1")
        elif name in request.POST:
            initial[name] = request.POST.get(name)
    initial["idempotency_key"] = request.POST.get("idempotency_key") or new_idempotency_key()
    return initial


@require_http_methods(["GET", "POST"])
def need_new(request: HtmxHttpRequest) -> HttpResponse:
    """The need form. POST action "parse" fills it from a pasted message, "find_industry"
    looks up industries (both without storing anything); otherwise it submits."""
    if request.method == "GET":
        return _render_form(request, NeedForm(initial=initial_from_query(request.GET)))

    action = request.POST.get("action", "submit")
    if action == "parse":
        return _parse(request)
    if action == "find_industry":
        return _render_form(request, NeedForm(initial=_posted_initial(request)))

    form = NeedForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    try:
        outcome = lead_submit(
            data=form.lead_data(),
            idempotency_key=form.cleaned_data.get("idempotency_key", ""),
            ip=_client_ip(request),
            honeypot=form.cleaned_data.get("website", ""),
        )
    except LeadSubmitRefused as refused:
        if refused.reason == "rate_limited":
            message, status = _("提交太频繁,请一小时后再试,或直接致电园区。"), 429
        else:
            message, status = _("提交未被接受,请检查后重试。"), 400
        return _render_form(request, form, status=status, refused=message)
    if outcome.merged:
        messages.info(
            request,
            _("您在 %(hours)d 小时内提交过相同的需求,已合并到原需求。")
            % {"hours": settings.LEAD_MERGE_WINDOW_HOURS},
        )
    url = reverse("leads:results", args=[outcome.lead.access_token])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url, permanent=False)


def _parse(request: HtmxHttpRequest) -> HttpResponse:
    base = _posted_initial(request)
    text = (request.POST.get("need_text") or "").strip()
    if not text:
        form = NeedForm(initial=base)
        return _render_form(request, form, parse_error=_("请先粘贴或输入需求描述。"))
    if len(text) > 2000:
        form = NeedForm(initial=base)
        return _render_form(
            request,
            form,
            parse_error=_("描述太长(%(count)d 字),请只保留需求部分(2000 字以内)。")
            % {"count": len(text)},
        )
    try:
        initial, filled = initial_from_text(text, base)
    except ImportError:
        return _render_form(
            request,
            NeedForm(initial=base),
            parse_error=_("自动识别暂不可用,请直接填写下面的表格。"),
        )
    form = NeedForm(initial=initial)
    return _render_form(request, form, filled=filled, parsed=True)


@require_GET
def industry_choices(request: HtmxHttpRequest) -> HttpResponse:
    """HTMX autocomplete: the industry <select> for the typed name, code or trade word."""
    form = NeedForm(initial={"industry_query": request.GET.get("industry_query", "")[:50]})
    return render(request, f"{FORM_TEMPLATE}#industry-choices", {"form": form})


@require_GET
def privacy_notice(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "leads/privacy_notice.html", {"privacy_version": PRIVACY_NOTICE_VERSION})


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the key: keep it out of caches, search engines and referrers.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# What the results page shows of the lead: reading only these skips the conversion of the
# lead's other columns on every view (the page is opened right after each submission).
RESULTS_FIELDS = (
    "reference", "access_token", "kind", "deal", "area_min_m2", "area_max_m2", "status",
    "submission_count", "deletion_requested_at", "match_snapshot", "industry__code",
    "industry__name",
)  # fmt: skip


@require_GET
def need_results(request: HtmxHttpRequest, token: str) -> HttpResponse:
    lead = get_object_or_404(
        Lead.objects.select_related("industry").only(*RESULTS_FIELDS), access_token=token
    )
    context = {"lead": lead, **lead_results_context(lead)}
    return _private(render(request, "leads/need_results.html", context))


@require_POST
def need_withdraw(request: HtmxHttpRequest, token: str) -> HttpResponse:
    lead = get_object_or_404(Lead, access_token=token)
    lead_withdraw(lead=lead)
    messages.success(request, _("需求已撤回,园区不会再就此需求联系您。"))
    return redirect("leads:results", token=token)


@require_POST
def need_delete(request: HtmxHttpRequest, token: str) -> HttpResponse:
    lead = get_object_or_404(Lead, access_token=token)
    lead_request_deletion(lead=lead)
    messages.success(request, _("已删除此需求中的个人信息(公司、联系人、手机号和原文)。"))
    return redirect("leads:results", token=token)


# ---------------------------------------------------------------------------------------
# Staff: the lead's page moved to the workbench; old links (e-mails, bookmarks) still work.


@require_GET
@staff_required
def staff_lead_detail(request: HtmxHttpRequest, lead_id: int) -> HttpResponse:
    from yuanqu.accounts.gates import lead_for_user_or_404

    lead = lead_for_user_or_404(request.user, lead_id)  # another park's id: 404, as before
    return redirect("inbox:detail", lead_id=lead.pk)


@require_POST
@staff_required
def staff_lead_rematch(request: HttpRequest, lead_id: int) -> HttpResponse:
    from yuanqu.leads.inbox_views import lead_rematch

    return lead_rematch(request, lead_id=lead_id)
