from django.urls import URLPattern, path  # noqa: F401

app_name = "enterprises"

urlpatterns: list[URLPattern] = []
