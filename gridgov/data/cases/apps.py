from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.cases"
    label = "cases"
    verbose_name = _("事件与流转")

    def ready(self) -> None:
        from gridgov.data.cases.domain import reference

        reference.connect_invalidation()
