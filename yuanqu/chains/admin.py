from django.contrib import admin

from yuanqu.chains.models import Chain, ChainLink, ParkChain


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    fk_name = "chain"
    extra = 0
    fields = ("name", "parent", "position", "codes", "keywords", "note", "sort_order")


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "sort_order")
    inlines = [ChainLinkInline]


@admin.register(ParkChain)
class ParkChainAdmin(admin.ModelAdmin):
    list_display = ("park", "chain", "priority")
    list_filter = ("chain",)
    autocomplete_fields = ("park",)
