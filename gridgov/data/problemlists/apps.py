from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.problemlists"
    label = "problemlists"

    def ready(self) -> None:
        from gridgov.data.problemlists import importers  # noqa: F401  (registers the Excel importer)
