from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuanqu.accounts import gates
from yuanqu.accounts.models import Membership, PersonalDataAccess, SecurityEvent


class SiteAdminOnlyMixin:
    """Pages only site admins open (their second factor is checked by the admin site)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return gates.is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return gates.is_site_admin(request.user)


class ReadOnlyMixin:
    """Logs are written by services only: nobody adds, edits or deletes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(SiteAdminOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "role", "park", "region", "created_at"]
    list_filter = ["role", "park"]
    search_fields = ["user__username", "park__name", "region__name"]
    raw_id_fields = ["user", "region"]
    list_select_related = ["user", "park", "region"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return gates.is_site_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return gates.is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return gates.is_site_admin(request.user)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        from yuanqu.accounts.services import membership_grant

        # Same side effects as the service (group, is_staff, superuser for site admins).
        membership_grant(user=obj.user, role=obj.role, park=obj.park, region=obj.region)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(SiteAdminOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "user", "lead_reference", "field", "reason", "ip_address"]
    list_filter = ["field"]
    search_fields = ["lead_reference", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(SiteAdminOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "user", "target", "detail", "path", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["target", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
