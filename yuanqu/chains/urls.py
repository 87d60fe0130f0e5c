from django.urls import path

from yuanqu.chains import views

app_name = "chains"

urlpatterns = [
    path("", views.chain_map, name="map"),
    path("export.xlsx", views.chain_export, name="export"),
    path("city/", views.city, name="city"),
    path("targets/", views.targets, name="targets"),
    path("targets/export.xlsx", views.targets_export, name="targets_export"),
    path("<int:park_id>/links/<int:link_id>/", views.link_detail, name="link"),
    path("placing/<str:kind>/<int:object_id>/", views.placing_correct, name="placing"),
]
