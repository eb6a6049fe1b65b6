"""Organisation: the area tree, departments, users and their memberships (role + scope)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from gridgov.data.org.english import local_name
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role, SecurityEventKind
from gridgov.data.org.fields import choice_check, optional_link
from gridgov.data.privacy import EncryptedTextField


class Area(models.Model):
    """A node of the tree county → town → village/community → grid → micro-grid.

    ``path`` is the materialised path of codes ("330921/330921102/…/") so that "everything under this
    area" is one indexed prefix match. ``town`` is the tenant key (null only for the county level).
    """

    code = models.CharField(_("区划代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    town = models.ForeignKey(
        "self", verbose_name=_("所属乡镇"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    case_prefix = models.CharField(
        _("案卷编号前缀"), max_length=8, blank=True, help_text=_("仅乡镇使用，例如 DX 生成 DX2026-000123")
    )
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        constraints = [
            choice_check("level", AreaLevel, name="area_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other_path: str) -> bool:
        return other_path.startswith(self.path)


def town_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    db_index: bool = True,
    db_constraint: bool = True,
) -> models.ForeignKey[Area, Area]:
    """The town a row belongs to: the tenant key every scope check filters on. A town is not deleted while it has
    rows, and does not list them back unless ``related_name`` names the way. ``db_constraint=False`` where the town
    is derived from another reference the row holds under a foreign key (a case's area)."""
    return models.ForeignKey(
        Area,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        db_index=db_index,
        db_constraint=db_constraint,
    )


class EnglishNamed(models.Model):
    """A row named in Chinese, with an English translation kept beside the name when there is one; ``local_name``
    is the one to show in the active language (``org.english.local_name``)."""

    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)

    class Meta:
        abstract = True

    @property
    def local_name(self) -> str:
        """The English name when the language is English and one is filled, else the name."""
        return local_name(self.name, self.name_en)


class Department(EnglishNamed):
    """A handling unit: the command room, a town office or station, a village committee, a county office."""

    town = town_link(_("所属乡镇"), related_name="departments")
    code = models.CharField(_("编码"), max_length=32)
    kind = models.CharField(_("类型"), max_length=24, choices=DepartmentKind.choices)
    area = optional_link(Area, _("对应区域"), help_text=_("村（社区）委员会对应的村"))
    active = models.BooleanField(_("启用"), default=True)
    economic = models.BooleanField(
        _("经济发展部门"),
        default=False,
        help_text=_("负责招商引资和企业年度数据：其处置人员可登记招商线索和企业年度数据"),
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["town_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="department_code_unique_per_town"),
            choice_check("kind", DepartmentKind, name="department_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.local_name


class Enterprise(models.Model):
    """A local company: an organisation whose users see only their own company's records (hazards, requests).

    Created and validated (unified social credit code, GB 32100-2015) by ``gridgov.data.enterprises``;
    it lives here because the scope check (``cases/scope.py``) reads ``Membership.enterprise``.
    """

    town = town_link(_("所属乡镇"), related_name="enterprises")
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    village = optional_link(Area, _("所在村/社区"))
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["town_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "credit_code"], name="enterprise_credit_code_unique_per_town"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person with a unique account. Roles and scope come from memberships."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # When the password was last set (expiry policy GRIDGOV_PASSWORD_MAX_AGE_DAYS); empty: since the account began.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        """Django's, and the moment it happened (saved with the password by whoever saves the user)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    if TYPE_CHECKING:
        _gridgov_memberships: list[Membership]


def acting_user(
    verbose_name: StrOrPromise, *, related_name: str = "+", db_index: bool = True
) -> models.ForeignKey[User | None, User | None]:
    """The person who wrote or did something (登记人, 填报人, 操作人 …): the row outlives their account, the
    reference becoming empty when it is deleted."""
    return optional_link(User, verbose_name, on_delete=models.SET_NULL, related_name=related_name, db_index=db_index)


class Membership(models.Model):
    """One role of a user within one scope: an area subtree, a department, or (for residents) themselves."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    town = optional_link(Area, _("所属乡镇"))
    area = optional_link(Area, _("范围区域"), related_name="memberships")
    department = optional_link(Department, _("所属部门"), related_name="memberships")
    enterprise = optional_link(Enterprise, _("所属企业"), related_name="memberships")
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            choice_check("role", Role, name="membership_role_valid"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.HANDLER) | models.Q(department__isnull=False),
                name="membership_handler_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.OPERATOR, Role.LEADER])
                | models.Q(area__isnull=False),
                name="membership_area_role_has_area",
            ),
            models.UniqueConstraint(fields=["user", "role", "area", "department"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["area", "role"], name="membership_area_role")]

    def __str__(self) -> str:
        where = self.department or self.area or self.enterprise or ""
        return f"{self.user} · {self.get_role_display()} · {where}"


class SecurityEvent(models.Model):
    """The security audit log (等保): sign-ins, lockouts, sign-outs, password changes, unmasking of personal
    data. Always written — there is no setting to turn it off — and kept at least six months."""

    kind = models.CharField(_("类型"), max_length=32, choices=SecurityEventKind.choices)
    user = acting_user(_("用户"))
    username = models.CharField(_("登录名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["username", "kind", "created_at"], name="security_event_login")]
        constraints = [choice_check("kind", SecurityEventKind, name="security_event_kind_valid")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class Counter(models.Model):
    """The last number issued in a numbered series (通报期数 …) per town and year; see ``org.numbering``."""

    series = models.CharField(max_length=32)
    town = town_link()
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["series", "town", "year"], name="org_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.town_id}/{self.year}: {self.last_value}"


class TownEntry(models.Model):
    """A row of a town's register or ledgers that keeps when it was entered (登记时间)."""

    town = town_link()
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        abstract = True


class EnteredRecord(TownEntry):
    """A town's ledger row that keeps when and by whom it was entered (登记时间, 登记人)."""

    town = town_link(_("所属乡镇"))  # these ledgers label their town (as their migrations record)
    created_by = acting_user(_("登记人"))

    class Meta:
        abstract = True


class CorrectedRecord(EnteredRecord):
    """A ledger row that is entered once and corrected in place (a second entry for the same key replaces its
    figures): when and by whom it was entered, and the last correction's time and author."""

    updated_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    updated_by = acting_user(_("更正人"))

    class Meta:
        abstract = True
