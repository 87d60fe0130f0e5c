from django.urls import path

from yuanqu.news import views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
]
