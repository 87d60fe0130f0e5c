from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from yuanqu.core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers and WeChat ask for /favicon.ico whatever the page declares.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True),
        name="favicon",
    ),
]
