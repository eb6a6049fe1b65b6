from django.urls import URLPattern, path

from gridgov.ui.ledgers import views_investment as investment
from gridgov.ui.ledgers import views_investment_lead as lead

urlpatterns: list[URLPattern] = [
    path("investment/", investment.leads, name="investment_leads"),
    path("investment/export.xlsx", investment.leads_export, name="investment_leads_export"),
    path("investment/new/", investment.lead_new, name="investment_lead_new"),
    path("investment/arrivals/", investment.arrivals, name="investment_arrivals"),
    path("investment/<int:lead_id>/", lead.lead_detail, name="investment_lead"),
    path("investment/<int:lead_id>/edit/", lead.lead_edit, name="investment_lead_edit"),
    path("investment/<int:lead_id>/advance/", lead.lead_advance, name="investment_lead_advance"),
    path("investment/<int:lead_id>/arrival/", lead.lead_arrival, name="investment_lead_arrival"),
    path("investment/<int:lead_id>/enterprise/", lead.lead_enterprise, name="investment_lead_enterprise"),
]
