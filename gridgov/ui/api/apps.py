from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.ui.api"
    label = "api"
