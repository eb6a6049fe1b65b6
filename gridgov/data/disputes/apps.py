from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.disputes"
    label = "disputes"
    verbose_name = _("信访与矛盾纠纷")

    def ready(self) -> None:
        from gridgov.data.disputes import importers  # noqa: F401  (registers the Excel importer)
