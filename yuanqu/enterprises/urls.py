from django.urls import URLPattern, path

from yuanqu.enterprises import views

app_name = "enterprises"

urlpatterns: list[URLPattern] = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_new, name="new"),
    path("<int:enterprise_id>/", views.enterprise_detail, name="detail"),
    path("<int:enterprise_id>/edit/", views.enterprise_edit, name="edit"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template.xlsx", views.enterprise_import_template, name="import_template"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("targets/", views.enterprise_targets, name="targets"),
]
