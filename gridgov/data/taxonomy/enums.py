from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    MAJOR = "major", _("重大")


class Phase(models.TextChoices):
    DISPATCH = "dispatch", _("立案派遣")
    HANDLE = "handle", _("处置")
