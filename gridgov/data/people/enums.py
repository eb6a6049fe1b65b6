"""The choices of the people register (实有人口 / 实有房屋), after GB/T 31000's base data of grid management."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseUse(models.TextChoices):
    OWN = "own", _("自住")
    RENTED = "rented", _("出租")
    GROUP_RENTAL = "group_rental", _("群租房")
    IDLE = "idle", _("闲置农房")
    BUSINESS = "business", _("经营")


class Revitalisation(models.TextChoices):
    """An idle farmhouse's revitalisation under 三权分置 (ownership, qualification and use rights apart)."""

    NONE = "", _("未盘活")
    PLANNED = "planned", _("拟盘活")
    REVITALISED = "revitalised", _("已盘活")


class ResidentKind(models.TextChoices):
    REGISTERED = "registered", _("户籍人口")
    FLOATING = "floating", _("流动人口")
    FOREIGN = "foreign", _("境外人员")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙辈")
    SIBLING = "sibling", _("兄弟姐妹")
    TENANT = "tenant", _("租住人员")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    UNKNOWN = "", _("未知")
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class GroupKind(models.TextChoices):
    KEY = "key", _("重点人员")
    CARE = "care", _("关爱对象")
