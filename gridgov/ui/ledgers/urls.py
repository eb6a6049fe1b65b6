from django.urls import URLPattern, URLResolver, include, path

app_name = "ledgers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("gridgov.ui.ledgers.enterprise_urls")),
    path("", include("gridgov.ui.ledgers.civic_urls")),
    path("", include("gridgov.ui.ledgers.people_urls")),
    path("", include("gridgov.ui.ledgers.investment_urls")),
    path("", include("gridgov.ui.ledgers.collective_urls")),
]
