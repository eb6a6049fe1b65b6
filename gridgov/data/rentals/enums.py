from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    """What a fire-safety check of a group-rental house finds (a rectification names one or more)."""

    BLOCKED_EXIT = "blocked_exit", _("消防通道堵塞")
    INDOOR_CHARGING = "indoor_charging", _("电动车室内充电")
    NO_SMOKE_ALARM = "no_smoke_alarm", _("无烟感报警器")
    NO_EXTINGUISHER = "no_extinguisher", _("未配灭火器")
    WIRING = "wiring", _("电线私拉乱接")
    COMBUSTIBLE_PARTITION = "combustible_partition", _("易燃材料隔断")
    SEALED_WINDOWS = "sealed_windows", _("防盗窗封闭无逃生口")
    OTHER = "other", _("其他")
