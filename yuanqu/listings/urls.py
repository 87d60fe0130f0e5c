from django.urls import path

from yuanqu.listings import manage_views, views

app_name = "listings"

urlpatterns = [
    path("", views.carrier_search, name="search"),
    path("map.json", views.carrier_map_points, name="map_points"),
    path("<int:carrier_id>/", views.carrier_detail, name="detail"),
    path("compare/", views.carrier_compare, name="compare"),
    path("compare/toggle/", views.carrier_compare_toggle, name="compare_toggle"),
    path("saved/new/", views.saved_search_new, name="saved_search_new"),
    path(
        "saved/confirm/<str:signed_token>/", views.saved_search_confirm, name="saved_search_confirm"
    ),
    path("saved/<str:token>/verify/", views.saved_search_verify, name="saved_search_verify"),
    path("saved/<str:token>/resend/", views.saved_search_resend, name="saved_search_resend"),
    path(
        "saved/<str:token>/unsubscribe/",
        views.saved_search_unsubscribe_view,
        name="saved_search_unsubscribe",
    ),
    path("manage/", manage_views.manage_list, name="manage_list"),
    path("manage/new/", manage_views.manage_create, name="manage_create"),
    path("manage/import/", manage_views.manage_import, name="manage_import"),
    path(
        "manage/import/template.xlsx",
        manage_views.manage_import_template,
        name="manage_import_template",
    ),
    path("manage/<int:carrier_id>/", manage_views.manage_edit, name="manage_edit"),
    path("manage/<int:carrier_id>/confirm/", manage_views.manage_confirm, name="manage_confirm"),
    path("manage/<int:carrier_id>/publish/", manage_views.manage_publish, name="manage_publish"),
    path("manage/<int:carrier_id>/withdraw/", manage_views.manage_withdraw, name="manage_withdraw"),
    path(
        "manage/<int:carrier_id>/photos/",
        manage_views.manage_photo_upload,
        name="manage_photo_upload",
    ),
    path(
        "manage/<int:carrier_id>/photos/<int:photo_id>/delete/",
        manage_views.manage_photo_delete,
        name="manage_photo_delete",
    ),
]
