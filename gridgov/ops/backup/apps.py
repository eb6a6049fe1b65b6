from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.ops.backup"
    label = "backup"
