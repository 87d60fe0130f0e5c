from django.urls import path

from yuanqu.leads import inbox_views

urlpatterns = [
    path("", inbox_views.inbox_list, name="list"),
    path("export.xlsx", inbox_views.inbox_export, name="export"),
]
