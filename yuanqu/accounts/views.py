from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yuanqu.accounts import gates, selectors
from yuanqu.accounts.forms import RevealForm, TokenForm
from yuanqu.accounts.pii import mask_mobile


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_GET
@gates.staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff landing page: roles, parks in scope and where to go next."""
    return render(
        request,
        "accounts/home_page.html",
        {
            "memberships": selectors.membership_list_for_user(user=request.user),
            "parks": gates.parks_for_user(request.user).order_by("name")[:50],
            "is_site_admin": gates.is_site_admin(request.user),
            "has_device": selectors.user_has_confirmed_device(user=request.user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp(request: HttpRequest) -> HttpResponse:
    """Verify the TOTP second factor, or set up the first device (QR code)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    if not gates.is_staff_member(user):
        raise PermissionDenied
    next_url = _safe_next(request, reverse("accounts:home"))
    if getattr(user, "is_verified", lambda: False)():
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "身份验证器"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        form.add_error("token", "验证码不正确或已过期,请重试。")
    context = {
        "form": form,
        "setting_up": setting_up,
        "next": next_url,
        "required": gates.otp_required_for(user),
    }
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp_page.html", context)


@require_GET
@gates.site_admin_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who unmasked which lead's mobile, when and why (site admins only)."""
    page = Paginator(selectors.personal_data_access_list(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log_page.html", {"page": page})


@never_cache
@require_http_methods(["GET", "POST"])
@gates.staff_required
def lead_reveal(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The explicit, logged unmasking of one lead's mobile (the number never enters a URL)."""
    lead = gates.lead_for_user_or_404(request.user, lead_id)
    allowed = gates.can_reveal_mobile(request.user, lead)
    form = RevealForm(request.POST or None)
    revealed = ""
    if request.method == "POST":
        revealed = form.reveal(request=request, lead=lead)
    response = render(
        request,
        "accounts/lead_reveal_page.html",
        {
            "lead": lead,
            "form": form,
            "allowed": allowed,
            "masked": mask_mobile(lead.mobile),
            "revealed": revealed,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
