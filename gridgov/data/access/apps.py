from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gridgov.data.access"
    label = "access"
    verbose_name = _("接口与授权")
