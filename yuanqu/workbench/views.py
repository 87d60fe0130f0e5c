from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yuanqu.accounts.gates import staff_required


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Today's work: new leads, follow-ups due, open alerts, the user's projects."""
    return render(request, "workbench/home_page.html", {"wb_section": "home"})
