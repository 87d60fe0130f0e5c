"""The leads inbox (/workbench/leads/): the list with its filters, tabs and export, and one
lead's page with its actions (follow-up, assignment, invalid, reopen, merge, re-match, the
logged mobile reveal).

Who: 招商专员 and park managers work their parks' leads (managers also assign; an officer may
take an unassigned lead); leadership reads its region and changes nothing (every POST: 403);
another park's lead answers 404 and writes a security event (gates). A refused action
re-renders the lead page with the message beside its field (status 400) and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuanqu.accounts import gates
from yuanqu.accounts.forms import RevealForm
from yuanqu.accounts.pii import display_mobile, mask_mobile
from yuanqu.chains.selectors import chain_reasons_for_leads
from yuanqu.core import spreadsheets
from yuanqu.leads import selectors, services
from yuanqu.leads.exports import EXPORT_LIMIT, leads_export
from yuanqu.leads.inbox_forms import (
    LeadAssignForm,
    LeadFollowUpForm,
    LeadInvalidateForm,
    LeadMergeForm,
    LeadReopenForm,
)
from yuanqu.leads.models import Lead
from yuanqu.matching.selectors import lead_results_context

PAGE_SIZE = 30
MERGE_CANDIDATES = 10


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# --- the list --------------------------------------------------------------------------


@require_GET
@gates.staff_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.with_search_done(
        selectors.lead_filters_from_query(request.GET, user=request.user), user=request.user
    )
    leads = selectors.lead_list_for_user(user=request.user, filters=filters)
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.lead_status_counts(user=request.user, filters=filters)
    cutoff = selectors.unassigned_cutoff()
    chain_reasons = chain_reasons_for_leads(page.object_list)
    rows = [
        {
            "lead": lead,
            "mobile": mask_mobile(lead.mobile),
            "late_unassigned": selectors.is_late_unassigned(lead, cutoff),
            "chain_reasons": chain_reasons.get(lead.pk, []),
        }
        for lead in page.object_list
    ]
    tabs = [("", _("全部"), counts["all"])] + [
        (value, label, counts[value]) for value, label in Lead.Status.choices
    ]
    query = filters.as_query()
    context = {
        "wb_section": "leads",
        "page": page,
        "rows": rows,
        "filters": filters,
        "tabs": [
            (value, label, count, urlencode(filters.as_query(status=value)))
            for value, label, count in tabs
        ],  # fmt: skip
        "query_string": urlencode(query),
        "export_url": reverse("inbox:export") + (f"?{urlencode(query)}" if query else ""),
        "export_limit": EXPORT_LIMIT,
        "parks": gates.parks_for_user(request.user).order_by("name"),
        "kinds": Lead.Kind.choices,
        "deals": Lead.Deal.choices,
        "today": timezone.localdate(),
    }
    return _private(render(request, "leads/inbox_list.html", context))


@require_GET
@gates.staff_required
def inbox_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.lead_filters_from_query(request.GET, user=request.user)
    leads = selectors.lead_list_for_user(user=request.user, filters=filters)
    workbook, _count = leads_export(user=request.user, leads=leads, request=request)
    filename = f"需求线索-{timezone.localdate():%Y%m%d}.xlsx"
    return spreadsheets.xlsx_response(workbook, filename=filename)


# --- one lead --------------------------------------------------------------------------


def _merge_candidates(lead: Lead) -> list[Lead]:
    """Other open leads of the same park whose company folds to the same name."""
    if not lead.company or lead.park_id is None:
        return []
    others = (
        Lead.objects.filter(
            park_id=lead.park_id, merged_into__isnull=True, anonymised_at__isnull=True
        )
        .exclude(pk=lead.pk)
        .exclude(status=Lead.Status.CONVERTED)
        .filter(company__icontains=lead.company.strip()[:6])
        .only("reference", "company", "status", "created_at")
        .order_by("-created_at")[:50]
    )
    return [other for other in others if services.same_company(other.company, lead.company)][
        :MERGE_CANDIDATES
    ]


def _project_link(lead: Lead) -> tuple[str, str]:
    """(link to the lead's project, or to converting it), empty where not available."""
    from yuanqu.pipeline.models import Project

    project = Project.objects.filter(lead=lead).only("pk").first()
    try:
        if project is not None:
            return reverse("pipeline:detail", kwargs={"project_id": project.pk}), ""
        return "", reverse("pipeline:create_from_lead", kwargs={"lead_id": lead.pk})
    except NoReverseMatch:  # the pipeline is not installed in this deployment
        return "", ""


def _render_lead(
    request: HttpRequest,
    lead: Lead,
    *,
    status: int = 200,
    revealed: str = "",
    **bound: Any,
) -> HttpResponse:
    from yuanqu.matching.services import lead_flags_mark_seen

    lead = Lead.objects.select_related("park", "owner", "industry", "merged_into").get(pk=lead.pk)
    can_edit = gates.user_can_edit_park(request.user, lead.park_id)
    flags = list(lead.carrier_flags.select_related("carrier").order_by("-created_at", "-id")[:20])
    if can_edit and any(flag.seen_at is None for flag in flags) and request.method == "GET":
        # Only those who work the lead clear its flags (leadership reads without doing so).
        lead_flags_mark_seen(lead=lead)
    project_url, convert_url = _project_link(lead)
    context: dict[str, Any] = {
        "wb_section": "leads",
        "lead": lead,
        "masked_mobile": mask_mobile(lead.mobile),
        "revealed_mobile": revealed,
        "can_reveal": bool(lead.mobile) and gates.can_reveal_mobile(request.user, lead),
        "can_edit": can_edit,
        "events": lead.events.select_related("actor").order_by("created_at", "id"),
        "submissions": lead.submissions.order_by("created_at", "id"),
        "follow_ups": lead.follow_ups.select_related("author"),
        "flags": flags,
        "project_url": project_url,
        "convert_url": convert_url if can_edit and lead.is_open else "",
        "late_unassigned": selectors.is_late_unassigned(lead, selectors.unassigned_cutoff()),
        "chain_reasons": chain_reasons_for_leads([lead]).get(lead.pk, []),
        "open_bound": next(iter(bound), ""),
        **lead_results_context(lead),
    }
    if context["can_reveal"]:
        context["reveal_form"] = RevealForm()
    if can_edit:
        officers = gates.assignable_officers(lead.park_id) if lead.park_id else None
        context.update(
            follow_up_form=LeadFollowUpForm(),
            invalidate_form=LeadInvalidateForm(),
            reopen_form=LeadReopenForm(),
            merge_form=LeadMergeForm(),
            merge_candidates=_merge_candidates(lead) if lead.is_open else [],
            can_assign=officers is not None
            and gates.can_assign_in_park(request.user, lead.park_id),
            can_take=officers is not None and lead.owner_id is None and lead.is_open,
        )
        if officers is not None:
            context["assign_form"] = LeadAssignForm(
                officers=officers, initial={"owner": lead.owner_id}
            )
    context.update(bound)
    return _private(render(request, "leads/lead_workbench_detail.html", context, status=status))


@require_GET
@gates.staff_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    return _render_lead(request, gates.lead_for_user_or_404(request.user, lead_id))


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_messages)


def lead_action(
    form_name: str,
) -> Callable[[Callable[..., HttpResponse | None]], Callable[..., HttpResponse]]:
    """POST-only, staff, the lead fetched for change (404/403 through gates); a service's
    ValidationError lands on the named form and the page answers 400."""

    def decorate(action: Callable[..., HttpResponse | None]) -> Callable[..., HttpResponse]:
        @require_POST
        @gates.staff_required
        @wraps(action)
        def view(request: HttpRequest, lead_id: int) -> HttpResponse:
            lead = gates.lead_for_user_or_404(request.user, lead_id, for_change=True)
            holder: dict[str, Any] = {}
            try:
                response = action(request, lead, holder)
            except ValidationError as error:
                _add_errors(holder["form"], error)
                response = None
            if response is None:
                return _render_lead(request, lead, status=400, **{form_name: holder["form"]})
            return response

        return view

    return decorate


def _done(request: HttpRequest, lead: Lead, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("inbox:detail", lead_id=lead.pk)


@lead_action("follow_up_form")
def lead_follow_up(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    form = holder["form"] = LeadFollowUpForm(request.POST)
    if not form.is_valid():
        return None
    services.lead_follow_up_record(actor=request.user, lead=lead, **form.cleaned_data)
    return _done(request, lead, _("跟进已记录。"))


@lead_action("assign_form")
def lead_assign(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    officers = (
        gates.assignable_officers(lead.park_id) if lead.park_id else gates.assignable_officers(0)
    )
    form = holder["form"] = LeadAssignForm(request.POST, officers=officers)
    if not form.is_valid():
        return None
    owner = form.cleaned_data["owner"]
    services.lead_assign(actor=request.user, lead=lead, owner=owner)
    if owner.pk == request.user.pk:
        return _done(request, lead, _("已领取该线索。"))
    return _done(request, lead, _("已分配,跟进人会收到通知。"))


@lead_action("invalidate_form")
def lead_invalidate(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    form = holder["form"] = LeadInvalidateForm(request.POST)
    if not form.is_valid():
        return None
    services.lead_mark_invalid(actor=request.user, lead=lead, reason=form.cleaned_data["reason"])
    return _done(request, lead, _("已标记为无效。"))


@lead_action("reopen_form")
def lead_reopen(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    form = holder["form"] = LeadReopenForm(request.POST)
    if not form.is_valid():
        return None
    services.lead_reopen(actor=request.user, lead=lead, reason=form.cleaned_data["reason"])
    return _done(request, lead, _("线索已重新打开。"))


@lead_action("merge_form")
def lead_merge(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    form = holder["form"] = LeadMergeForm(request.POST)
    if not form.is_valid():
        return None
    reference = form.cleaned_data["other"].strip().upper()
    other = (
        gates.lead_queryset_for_user(request.user, for_change=True)
        .filter(reference=reference)
        .first()
    )
    if other is None:
        form.add_error("other", _("没有找到您可处理的该编号线索。"))
        return None
    services.lead_merge(actor=request.user, keep=lead, other=other)
    return _done(request, lead, _("已合并线索 %(reference)s。") % {"reference": other.reference})


@lead_action("reveal_form")
def lead_reveal(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    """The number is shown on this response only (never in a URL, never cached)."""
    form = holder["form"] = RevealForm(request.POST)
    if not form.is_valid():
        return None
    mobile = services.lead_mobile_reveal_recorded(
        user=request.user, lead=lead, reason=form.cleaned_data["reason"], request=request
    )
    return _render_lead(request, lead, revealed=display_mobile(mobile))


@lead_action("rematch_form")
def lead_rematch(request: HttpRequest, lead: Lead, holder: dict) -> HttpResponse | None:
    from yuanqu.matching.services import lead_match_rerun

    holder["form"] = None
    lead_match_rerun(lead=lead, actor=request.user)
    return _done(request, lead, _("已按当前载体重新匹配。"))
