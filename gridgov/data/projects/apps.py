from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.projects"
    label = "projects"
