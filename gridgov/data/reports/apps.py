from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.reports"
    label = "reports"

    def ready(self) -> None:
        from gridgov.data.reports.importers import register_importers

        register_importers()
