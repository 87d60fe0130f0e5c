from django.urls import path

from yuanqu.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
]
