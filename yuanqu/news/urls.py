from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from yuanqu.news import feeds, views
from yuanqu.news.sitemaps import site_sitemaps

app_name = "news"


def sitemap_view(request):
    sitemaps: dict[str, type[Sitemap] | Sitemap] = dict(site_sitemaps())
    return sitemap(request, sitemaps=sitemaps)


urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.site_search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("news/", views.article_list, name="list"),
    path("news/page/<int:page>/", views.article_list, name="list_page"),
    path("news/feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("news/category/<slug:slug>/", views.category_detail, name="category"),
    path("news/category/<slug:slug>/page/<int:page>/", views.category_detail, name="category_page"),
    path("news/category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("news/<int:pk>/", views.article_detail, name="article"),
    path("news/<int:pk>/preview/", views.article_preview, name="preview"),
    path("news/<int:pk>/view", views.article_view_beacon, name="view_beacon"),
    path("news/<int:pk>/qr.svg", views.article_qr, name="qr"),
    path("news/<int:pk>/<slug:slug>/", views.article_detail, name="article_slug"),
]
