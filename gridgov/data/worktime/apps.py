from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.worktime"
    label = "worktime"
    verbose_name = _("工作日历")
