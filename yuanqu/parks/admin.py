from django.contrib import admin

from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.parks.models import Park
from yuanqu.parks.views import sanitised_policies


@admin.register(Park)
class ParkAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    park_field = None
    list_display = ["name", "level", "kind", "region", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "short_name", "slug"]
    filter_horizontal = ["leading_industries"]
    raw_id_fields = ["region", "parent"]

    def save_model(self, request, obj, form, change) -> None:
        # Policies are stored sanitised, whatever was pasted into the admin.
        obj.policies_html = sanitised_policies(obj.policies_html)
        super().save_model(request, obj, form, change)
