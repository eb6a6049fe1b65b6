from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.taxonomy"
    label = "taxonomy"
    verbose_name = _("事件分类与时限")
