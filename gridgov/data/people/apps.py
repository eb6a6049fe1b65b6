from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.people"
    label = "people"
    verbose_name = _("实有人口")

    def ready(self) -> None:
        from gridgov.data.people import importers  # noqa: F401  (registers the Excel importers)
