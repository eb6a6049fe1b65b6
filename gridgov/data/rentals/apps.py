from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.rentals"
    label = "rentals"

    def ready(self) -> None:
        from gridgov.data.rentals import importers  # noqa: F401  (registers the Excel importer)
