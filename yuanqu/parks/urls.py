from django.urls import path

from yuanqu.parks import views

app_name = "parks"

urlpatterns = [
    path("", views.park_list, name="list"),
    path("<slug:slug>/", views.park_detail, name="detail"),
]
