from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.listings import catalogue_index, services
from yuanqu.listings.models import Carrier, CarrierPhoto, SavedSearch


class CarrierAdminForm(forms.ModelForm):
    class Meta:
        model = Carrier
        # Region and the normalised columns follow from the rest (services.carrier_normalise).
        fields = ["park", *services.EDITABLE_FIELDS, "owner", "is_sample"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.carrier_validate(values=cleaned or {})
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class CarrierPhotoInline(admin.TabularInline):
    model = CarrierPhoto
    extra = 0
    fields = ["thumbnail", "caption", "position", "width", "height"]
    readonly_fields = ["thumbnail", "width", "height"]

    def has_add_permission(self, request, obj=None) -> bool:
        # New photos go through the staff page, which sniffs and re-encodes them.
        return False


@admin.register(Carrier)
class CarrierAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
    park_field = "park"
    form = CarrierAdminForm
    list_display = [
        "title",
        "park",
        "kind",
        "deal",
        "status",
        "area_m2",
        "confirmed_at",
        "is_sample",
    ]
    list_filter = ["kind", "deal", "status", "is_sample"]
    search_fields = ["title", "address"]
    list_select_related = ["park"]
    raw_id_fields = ["owner"]
    readonly_fields = ["published_at", "confirmed_at"]
    inlines = [CarrierPhotoInline]

    def save_model(self, request, obj, form, change) -> None:
        services.carrier_normalise(carrier=obj)
        super().save_model(request, obj, form, change)
        services.carrier_reindex_on_commit(carrier_id=obj.pk)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        catalogue_index.changed_on_commit()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        catalogue_index.changed_on_commit()


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["label", "channel", "frequency", "status", "created_at", "last_notified_at"]
    list_filter = ["channel", "frequency", "status"]
    # The address is personal data: the admin shows no e-mail or mobile at all.
    fields = (
        "label",
        "query_string",
        "channel",
        "frequency",
        "status",
        "consent_version",
        "consent_at",
        "verified_at",
        "last_notified_at",
        "unsubscribed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
