from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.projects"
    label = "projects"

    def ready(self) -> None:
        from gridgov.data.projects import importers  # noqa: F401  (registers the Excel importer)
