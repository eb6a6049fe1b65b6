from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.rentals"
    label = "rentals"
    verbose_name = _("群租房整改")

    def ready(self) -> None:
        from gridgov.data.rentals import importers  # noqa: F401  (registers the Excel importer)
