from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.ops.history"
    label = "history"
