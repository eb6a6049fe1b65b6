from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    """The kinds of the town's key projects and rural works, as the work report names them."""

    INDUSTRY = "industry", _("产业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    REVITALISATION = "revitalisation", _("乡村振兴")
    VILLAGE_RENEWAL = "village_renewal", _("乡村蝶变")
    LAND = "land", _("土地整治")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    """Where a project is in its life: before its first milestone is done, between, after its last."""

    PLANNED = "planned", _("谋划中")
    ACTIVE = "active", _("在建")
    FINISHED = "finished", _("已完成")


class Schedule(models.TextChoices):
    """A project's schedule against its milestones (``projects.schedule``)."""

    AHEAD = "ahead", _("超时序")
    ON_TIME = "on_time", _("按序")
    BEHIND = "behind", _("滞后")


# The milestones a project gets unless it names its own (立项, 开工, 主体完工, 竣工, 投用).
DEFAULT_MILESTONES: tuple[str, ...] = ("立项", "开工", "主体完工", "竣工", "投用")
