from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        from gridgov.data.enterprises import (
            importers,  # noqa: F401  (registers the Excel importers)
            importers_yearly,  # noqa: F401  (the yearly figures' importer)
        )
