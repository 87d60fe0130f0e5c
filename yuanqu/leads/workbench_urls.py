"""The leads inbox under /workbench/leads/: the list and export, and one lead's page and actions."""

from django.urls import URLResolver, include, path

app_name = "inbox"

urlpatterns: list[URLResolver] = [
    path("", include("yuanqu.leads.inbox_urls")),
    path("", include("yuanqu.leads.staff_urls")),
]
