"""The admin site: one login page for everything (/accounts/login/, throttled by axes), and
a verified TOTP second factor required of site admins before any admin page opens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class YuanquAdminSite(admin.AdminSite):
    site_header = _("园区招商与载体对接平台 管理后台")
    site_title = _("管理后台")
    index_title = _("管理")

    def has_permission(self, request: HttpRequest) -> bool:
        from yuanqu.accounts.gates import otp_satisfied

        return super().has_permission(request) and otp_satisfied(request.user)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from yuanqu.accounts.gates import otp_satisfied

            user = request.user
            if user.is_active and user.is_staff and not otp_satisfied(user):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('accounts:otp')}?{query}")
            return inner(request, *args, **kwargs)

        wrapper.admin_site = self  # type: ignore[attr-defined]
        # Keep csrf_exempt and friends that admin_view copied onto inner.
        wrapper.__dict__.update({k: v for k, v in inner.__dict__.items() if k != "__wrapped__"})
        return wrapper

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One login page, so throttling and the second factor cannot be sidestepped here.
        next_url = request.GET.get("next") or reverse("admin:index")
        query = urlencode({"next": next_url})
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


class YuanquAdminConfig(AdminConfig):
    default_site = "yuanqu.accounts.admin_site.YuanquAdminSite"
