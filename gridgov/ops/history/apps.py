from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.ops.history"
    label = "history"

    def ready(self) -> None:
        from gridgov.data.sheets.importer import register
        from gridgov.ops.history.importer import HistoryImporter

        register(HistoryImporter())
