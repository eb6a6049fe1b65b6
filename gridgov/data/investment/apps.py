from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.investment"
    label = "investment"
