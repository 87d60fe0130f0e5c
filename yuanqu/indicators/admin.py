from django.contrib import admin

from yuanqu.indicators.models import ImportBatch, Indicator, IndicatorValue, Revision, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "precision", "higher_is_better", "growth_only",
                    "registry_count", "sort_order", "is_active"]  # fmt: skip
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "aliases", "code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Read-only: values change through imports (and the API), which keep revisions."""

    list_display = ["indicator", "park", "year", "month", "value", "yoy_pct", "is_sample"]
    list_filter = ["year", "indicator", "is_sample"]
    list_select_related = ["indicator", "park"]
    search_fields = ["park__name", "indicator__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(IndicatorValueAdmin):
    list_display = ["indicator", "park", "year", "kind", "value", "is_sample"]
    list_filter = ["year", "indicator", "kind"]


@admin.register(Revision)
class RevisionAdmin(IndicatorValueAdmin):
    list_display = ["changed_at", "user", "park", "indicator", "year", "month", "field", "old",
                    "new"]  # fmt: skip
    list_filter = ["field", "year"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(RevisionAdmin):
    list_display = ["created_at", "user", "source", "filename", "layout"]
    list_filter = ["source"]
    list_select_related = ["user"]
    search_fields = ["filename"]
