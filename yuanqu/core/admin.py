"""Admin for the reference tables. They come from the repository's files through
`load_reference_data`, so codes and the tree are read-only here, rows are never added or deleted
by hand, and a later load restores whatever the files say."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuanqu.core.models import Industry, Region


class ReferenceAdmin(admin.ModelAdmin):
    tree_fields: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.tree_fields


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("code", "name", "level", "parent", "latitude", "longitude")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    tree_fields = ("code", "level", "parent")
    show_full_result_count = False


@admin.register(Industry)
class IndustryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "level", "section", "parent")
    list_filter = ("level", "section")
    search_fields = ("code", "name", "scope_note")
    list_select_related = ("parent",)
    tree_fields = ("code", "level", "section", "parent")
    show_full_result_count = False
