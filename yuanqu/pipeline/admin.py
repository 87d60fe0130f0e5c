"""Project admin for site staff: scoped to the user's parks like the workbench. The stage, its
dates and the version are read-only here, since only `project_move_to_stage` may change them
(with its evidence rules and history row); the workbench is where projects are worked."""

from __future__ import annotations

from django.contrib import admin

from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.pipeline.models import Project, ProjectAlert, StageChange

STAGE_FIELDS = (
    "stage", "signed_on", "land_on", "started_on", "producing_on", "terminated_on",
    "terminated_reason", "stage_changed_at", "last_activity_at", "version", "lead",
)  # fmt: skip


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("from_stage", "to_stage", "effective_on", "actor", "reason", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class ProjectAlertInline(admin.TabularInline):
    model = ProjectAlert
    extra = 0
    can_delete = False
    fields = ("kind", "detail", "raised_on", "closed_on")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Project)
class ProjectAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "investor_name", "park", "stage", "officer", "agreed_investment_yi")
    list_filter = ("stage", "key_level", "is_sample")
    search_fields = ("name", "investor_name", "investor_credit_code")
    list_select_related = ("park", "officer")
    readonly_fields = STAGE_FIELDS
    raw_id_fields = ("carrier", "enterprise", "industry", "officer")
    inlines = (StageChangeInline, ProjectAlertInline)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        # New projects start in the workbench, which writes their first stage row.
        return False
