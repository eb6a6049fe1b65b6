from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.assistance"
    label = "assistance"

    def ready(self) -> None:
        from gridgov.data.assistance import importers  # noqa: F401  (registers the Excel importers)
