from django.urls import URLPattern, URLResolver, path

from gridgov.ui.dashboard.views import economy

app_name = "dashboard"
urlpatterns: list[URLPattern | URLResolver] = [
    path("economy/", economy.economy_page, name="economy"),
    path("economy/define/", economy.economy_define, name="economy_define"),
    path("economy/target/", economy.economy_target, name="economy_target"),
    path("economy/actual/", economy.economy_actual, name="economy_actual"),
]
