"""Enterprise admin: scoped to the user's parks like the staff pages; the credit code is checked
(GB 32100-2015) and the search index refreshed as the services do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from yuanqu.accounts import gates
from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.search_index import enterprises_index_on_commit


class EnterpriseAdminForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "park",
            "industry",
            "address",
            "high_tech_certified_on",
            "high_tech_certificate_no",
            "high_tech_expires_on",
            "tech_sme_since",
            "above_scale_type",
            "above_scale_since",
            "specialised_level",
            "specialised_since",
            "gazelle_since",
            "unicorn_since",
            "is_sample",
        ]

    def clean_credit_code(self) -> str:
        try:
            return credit_codes.parse(self.cleaned_data.get("credit_code") or "").value
        except credit_codes.CreditCodeError as error:
            raise ValidationError(str(error)) from None


@admin.register(Enterprise)
class EnterpriseAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    park_field = "park"
    form = EnterpriseAdminForm
    list_display = [
        "name",
        "credit_code",
        "park",
        "industry",
        "high_tech_certified_on",
        "above_scale_type",
        "specialised_level",
        "is_sample",
    ]
    list_filter = [
        ("park", admin.RelatedOnlyFieldListFilter),
        "above_scale_type",
        "specialised_level",
        "is_sample",
    ]
    search_fields = ["name", "=credit_code"]
    list_select_related = ["park", "industry"]
    raw_id_fields = ["industry"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        enterprises_index_on_commit(enterprise_ids=[obj.pk])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        pk = obj.pk
        super().delete_model(request, obj)
        enterprises_index_on_commit(enterprise_ids=[pk])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        enterprises_index_on_commit(enterprise_ids=ids)


@admin.register(CultivationTarget)
class CultivationTargetAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    park_field = "park"
    list_display = ["park", "year", "kind", "target", "note"]
    list_filter = [("park", admin.RelatedOnlyFieldListFilter), "year", "kind"]

    # Targets are the park's plan: only its managers set them (as on the targets page).
    def _can_edit_obj(self, user: Any, obj: Any) -> bool:
        return gates.user_can_edit_park_profile(user, obj.park_id)

    def _can_edit_anything(self, user: Any) -> bool:
        return gates.profile_editable_parks_for_user(user).exists()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "park":
            field.queryset = gates.profile_editable_parks_for_user(request.user)
        return field
