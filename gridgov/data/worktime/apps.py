from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.worktime"
    label = "worktime"
