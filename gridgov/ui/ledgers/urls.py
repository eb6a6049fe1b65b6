from django.urls import URLPattern, URLResolver

app_name = "ledgers"
urlpatterns: list[URLPattern | URLResolver] = []
