"""The workbench page where staff make and revoke their personal API access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yuanqu.accounts import gates
from yuanqu.api.forms import TokenForm
from yuanqu.api.models import AccessToken
from yuanqu.api.tokens import token_create, token_revoke, tokens_for_user


@require_http_methods(["GET", "POST"])
@gates.staff_required
def token_list(request: HttpRequest) -> HttpResponse:
    read_only = gates.is_read_only_staff(request.user)
    form = TokenForm(request.POST or None, read_only=read_only)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = token_create(user=request.user, **form.cleaned_data)
        form = TokenForm(read_only=read_only)
    response = render(
        request,
        "api/token_list.html",
        {
            "wb_section": "api_tokens",
            "form": form,
            "created": created,
            "tokens": tokens_for_user(request.user),
        },  # fmt: skip
        status=400 if form.errors else 200,
    )
    # The new token is on this response only: never cached.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@gates.staff_required
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    get_object_or_404(AccessToken, pk=token_id, user=request.user)  # another's: 404
    if token_revoke(user=request.user, token_id=token_id) is not None:
        messages.success(request, _("令牌已撤销,使用它的程序将立即无法访问。"))
    return redirect("api_tokens:list")
