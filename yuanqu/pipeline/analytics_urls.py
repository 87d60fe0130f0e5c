from django.urls import path

from yuanqu.pipeline import analytics_views

urlpatterns = [
    path("analytics/", analytics_views.analytics_page, name="analytics"),
    path("analytics/projects/", analytics_views.analytics_projects, name="analytics_projects"),
]
