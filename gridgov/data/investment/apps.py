from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.investment"
    label = "investment"

    def ready(self) -> None:
        from gridgov.data.investment import importers  # noqa: F401  (registers the Excel importer)
