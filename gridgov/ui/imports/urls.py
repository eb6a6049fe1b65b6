from django.urls import URLPattern, URLResolver, path

from gridgov.ui.imports import views

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:job_id>/errors.xlsx", views.errors, name="errors"),
    path("<slug:name>/", views.upload, name="upload"),
    path("<slug:name>/template.xlsx", views.template, name="template"),
]
