from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.sheets"
    label = "sheets"
    verbose_name = _("Excel导入")
