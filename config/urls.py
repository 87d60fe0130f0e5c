from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("园区招商与载体对接平台 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("管理")

# The public site in Chinese at / and in English under /en/ (for foreign investors); the staff
# side, the API and the admin are Chinese only and keep their unprefixed URLs.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("yuanqu.core.urls")),
    *i18n_patterns(
        path("", include("yuanqu.news.urls")),
        path("parks/", include("yuanqu.parks.urls")),
        path("carriers/", include("yuanqu.listings.urls")),
        path("needs/", include("yuanqu.leads.urls")),
        prefix_default_language=False,
    ),
    path("accounts/", include("yuanqu.accounts.urls")),
    path("workbench/", include("yuanqu.workbench.urls")),
    path("workbench/leads/", include("yuanqu.leads.workbench_urls")),
    path("workbench/projects/", include("yuanqu.pipeline.urls")),
    path("workbench/enterprises/", include("yuanqu.enterprises.urls")),
    path("workbench/api-tokens/", include("yuanqu.api.token_urls")),
    path("workbench/chains/", include("yuanqu.chains.urls")),
    path("dashboard/", include("yuanqu.indicators.urls")),
    path("api/", include("yuanqu.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "yuanqu.core.views.page_not_found"
handler500 = "yuanqu.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
