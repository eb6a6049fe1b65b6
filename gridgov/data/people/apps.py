from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.people"
    label = "people"

    def ready(self) -> None:
        from gridgov.data.people import importers  # noqa: F401  (registers the Excel importers)
