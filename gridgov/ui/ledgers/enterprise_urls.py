from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_enterprise as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("m/", views.enterprise_home, name="enterprise_home"),
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises/export.xlsx", views.enterprises_export, name="enterprises_export"),
    path("enterprises/<int:enterprise_id>/reconcile/", views.reconciliation, name="reconcile"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/export.xlsx", views.hazards_export, name="hazards_export"),
    path("hazards/new/", views.hazard_new, name="hazard_new"),
    path("hazards/figures/", views.figures, name="enterprise_figures"),
    path("hazards/<int:case_id>/", views.hazard_detail, name="hazard_detail"),
    path("services/", views.service_list, name="services"),
    path("services/export.xlsx", views.services_export, name="services_export"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:case_id>/", views.service_detail, name="service_detail"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
]
