"""招商 projects under /workbench/projects/: board, table, project pages and actions, and the analysis."""

from django.urls import URLResolver, include, path

app_name = "pipeline"

urlpatterns: list[URLResolver] = [
    path("", include("yuanqu.pipeline.project_urls")),
    path("", include("yuanqu.pipeline.analytics_urls")),
]
