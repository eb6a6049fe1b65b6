from django.db import models
from django.utils.translation import gettext_lazy as _


class Book(models.TextChoices):
    """Which of the two books (两本账) a hazard is in: the enterprise's own, or the government side's."""

    SELF = "self", _("企业自查")
    GOVERNMENT = "government", _("政府检查")
    THIRD_PARTY = "third_party", _("第三方")


GOVERNMENT_BOOKS = (Book.GOVERNMENT, Book.THIRD_PARTY)


class Grade(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class RequestType(models.TextChoices):
    """Types of enterprise service requests (三服务)."""

    FACTORS = "factors", _("要素保障")
    FINANCING = "financing", _("融资")
    LABOUR = "labour", _("用工")
    APPROVAL = "approval", _("审批")
    POLICY = "policy", _("政策")


class Rectification(models.TextChoices):
    """Where a low-efficiency enterprise's rectification (低效企业整治) stands."""

    PENDING = "pending", _("未整治")
    IN_PROGRESS = "in_progress", _("整治中")
    DONE = "done", _("已整治")


class Measure(models.TextChoices):
    """How a low-efficiency enterprise is rectified."""

    VACATE = "vacate", _("腾退")
    UPGRADE = "upgrade", _("提升")
    MERGE = "merge", _("兼并重组")
    OTHER = "other", _("其他")
