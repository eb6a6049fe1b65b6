from django.urls import URLPattern, URLResolver

app_name = "phone"
urlpatterns: list[URLPattern | URLResolver] = []
