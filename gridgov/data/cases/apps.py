from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.cases"
    label = "cases"
    verbose_name = _("事件与流转")

    def ready(self) -> None:
        from django.core import checks

        from gridgov.data.cases.domain import reference
        from gridgov.data.privacy import keys_check

        reference.connect_invalidation()
        checks.register(keys_check, checks.Tags.security)
