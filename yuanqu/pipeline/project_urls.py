from django.urls import path

from yuanqu.pipeline import views

urlpatterns = [
    path("", views.project_board, name="board"),
    path("table/", views.project_table, name="table"),
    path("export.xlsx", views.project_export, name="export"),
    path("alerts/", views.alert_list, name="alerts"),
    path("new/", views.project_new, name="new"),
    path("from-lead/<int:lead_id>/", views.project_create_from_lead, name="create_from_lead"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/move/", views.project_move, name="move"),
    path("<int:project_id>/assign/", views.project_assign, name="assign"),
    path("<int:project_id>/funding/", views.funding_add, name="funding_add"),
    path("<int:project_id>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "<int:project_id>/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("<int:project_id>/problems/", views.problem_add, name="problem_add"),
    path(
        "<int:project_id>/problems/<int:problem_id>/",
        views.problem_update,
        name="problem_update",
    ),
    path("<int:project_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
]
