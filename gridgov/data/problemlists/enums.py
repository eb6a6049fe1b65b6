from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SUPERIOR = "superior", _("上级交办")
    SELF_CHECK = "self_check", _("自查发现")
    MEDIA = "media", _("媒体曝光")
    PUBLIC = "public", _("群众反映")
    INSPECTION = "inspection", _("督查发现")
    OTHER = "other", _("其他")
