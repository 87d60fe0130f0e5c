from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.generic import RedirectView

from yuanqu.api.errors import error_response
from yuanqu.api.main import api


def unknown_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Paths under /api/v1/ that name no endpoint: the error shape, not the site's 404 page."""
    return error_response(404, "no_such_endpoint", "没有这个接口,请查看 /api/v1/docs。")


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^v1/(?P<rest>.*)$", unknown_endpoint),
    path("docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
]
