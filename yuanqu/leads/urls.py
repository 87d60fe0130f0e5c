from django.urls import path

from yuanqu.leads import views

app_name = "leads"

urlpatterns = [
    path("new/", views.need_new, name="new"),
    path("industries/", views.industry_choices, name="industry_choices"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("r/<uuid:token>/", views.need_results, name="results"),
    path("r/<uuid:token>/withdraw/", views.need_withdraw, name="withdraw"),
    path("r/<uuid:token>/delete/", views.need_delete, name="delete"),
    path("staff/<int:lead_id>/", views.staff_lead_detail, name="staff_detail"),
    path("staff/<int:lead_id>/rematch/", views.staff_lead_rematch, name="staff_rematch"),
]
