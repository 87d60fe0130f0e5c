from django.urls import path

from yuanqu.leads import inbox_views

urlpatterns = [
    path("<int:lead_id>/", inbox_views.lead_detail, name="detail"),
    path("<int:lead_id>/rematch/", inbox_views.lead_rematch, name="rematch"),
    path("<int:lead_id>/follow-up/", inbox_views.lead_follow_up, name="follow_up"),
    path("<int:lead_id>/assign/", inbox_views.lead_assign, name="assign"),
    path("<int:lead_id>/invalidate/", inbox_views.lead_invalidate, name="invalidate"),
    path("<int:lead_id>/reopen/", inbox_views.lead_reopen, name="reopen"),
    path("<int:lead_id>/merge/", inbox_views.lead_merge, name="merge"),
    path("<int:lead_id>/reveal/", inbox_views.lead_reveal, name="reveal"),
]
