from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.inspections"
    label = "inspections"

    def ready(self) -> None:
        from gridgov.data.inspections import importers  # noqa: F401  (registers the Excel importer)
