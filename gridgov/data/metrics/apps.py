from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.metrics"
    label = "metrics"
    verbose_name = _("考核指标")
