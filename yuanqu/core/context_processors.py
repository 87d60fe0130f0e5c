from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext


def site_name() -> str:
    """The site's name in the active language (the default name is in the catalogue)."""
    return gettext(settings.SITE_NAME)


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": site_name(),
        "SITE_URL": settings.SITE_URL,
        "ICP_NUMBER": settings.ICP_NUMBER,
        "PUBLIC_SECURITY_NUMBER": settings.PUBLIC_SECURITY_NUMBER,
    }
