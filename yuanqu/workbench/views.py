from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yuanqu.accounts.gates import staff_required
from yuanqu.workbench.selectors import workbench_home_summary


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Today's work: new leads, follow-ups due, unassigned leads, projects and open alerts."""
    summary = workbench_home_summary(user=request.user)
    response = render(
        request,
        "workbench/home_page.html",
        {"wb_section": "home", "summary": summary, "today": timezone.localdate()},
    )
    response["Cache-Control"] = "private, no-store"
    return response
