from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.disputes"
    label = "disputes"

    def ready(self) -> None:
        from gridgov.data.disputes import importers  # noqa: F401  (registers the Excel importer)
