from django.urls import URLPattern, URLResolver, re_path

from gridgov.ui.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/discovery" + FMT, views.discovery, name="v2_discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services/(?P<service_code>[^/]{1,32})" + FMT, views.service_definition, name="service_definition"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<service_request_id>[^/]{1,64})" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]{1,64})" + FMT, views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
