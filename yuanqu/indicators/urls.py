from django.urls import path

from yuanqu.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.city_page, name="city"),
    path("parks/<int:park_id>/", views.park_page, name="park"),
    path("export.xlsx", views.export_month, name="export"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report, {"as_pdf": True}, name="report_pdf"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.template_download, name="template"),
]
