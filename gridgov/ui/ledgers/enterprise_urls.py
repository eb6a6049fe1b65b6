from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_enterprise_years as enterprise_years
from gridgov.ui.ledgers import views_enterprises as enterprises
from gridgov.ui.ledgers import views_figures as figures
from gridgov.ui.ledgers import views_hazards as hazards
from gridgov.ui.ledgers import views_services as services

urlpatterns: list[URLPattern | URLResolver] = [
    path("", enterprises.index, name="index"),
    path("m/", enterprises.enterprise_home, name="enterprise_home"),
    path("enterprises/", enterprises.enterprise_list, name="enterprises"),
    path("enterprises/export.xlsx", enterprises.enterprises_export, name="enterprises_export"),
    path("enterprises/<int:enterprise_id>/reconcile/", enterprises.reconciliation, name="reconcile"),
    path("hazards/", hazards.hazard_list, name="hazards"),
    path("hazards/export.xlsx", hazards.hazards_export, name="hazards_export"),
    path("hazards/new/", hazards.hazard_new, name="hazard_new"),
    path("hazards/figures/", figures.figures, name="enterprise_figures"),
    path("hazards/<int:case_id>/", hazards.hazard_detail, name="hazard_detail"),
    path("services/", services.service_list, name="services"),
    path("services/export.xlsx", services.services_export, name="services_export"),
    path("services/new/", services.service_new, name="service_new"),
    path("services/<int:case_id>/", services.service_detail, name="service_detail"),
    path("meetings/", services.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", services.meeting_detail, name="meeting_detail"),
    path("years/", enterprise_years.year_list, name="enterprise_years"),
    path("years/export.xlsx", enterprise_years.years_export, name="enterprise_years_export"),
    path("years/low-efficiency/", enterprise_years.rectifications, name="enterprise_rectifications"),
    path("years/low-efficiency/threshold/", enterprise_years.threshold, name="enterprise_threshold"),
    path("years/low-efficiency/<int:row_id>/", enterprise_years.rectify, name="enterprise_rectify"),
    path("enterprises/<int:enterprise_id>/years/", enterprise_years.enterprise_years, name="enterprise_years_of"),
]
