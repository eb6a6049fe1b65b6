from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.ui.open311"
    label = "open311"
