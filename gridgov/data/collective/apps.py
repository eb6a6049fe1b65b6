from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.collective"
    label = "collective"

    def ready(self) -> None:
        from gridgov.data.collective import importers  # noqa: F401  (registers the Excel importer)
