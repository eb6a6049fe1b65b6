from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class Config(AppConfig):
    name = "gridgov.data.problemlists"
    label = "problemlists"
    verbose_name = pgettext_lazy("app", "问题清单")

    def ready(self) -> None:
        from gridgov.data.problemlists import importers  # noqa: F401  (registers the Excel importer)
