from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.inspections"
    label = "inspections"
    verbose_name = _("督查巡查")

    def ready(self) -> None:
        from gridgov.data.inspections import importers  # noqa: F401  (registers the Excel importer)
