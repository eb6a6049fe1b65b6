"""The people register (实有人口、实有房屋): houses, households, residents, and the key and care groups
(重点人员 / 关爱对象) a resident belongs to.

Names, ID numbers and phones are encrypted at rest (``EncryptedTextField``) and masked on display; an ID number
is found again, and refused twice in a town, through its keyed digest (``id_digest``, ``privacy.blind_index``),
never through the plain number. Rows are written only through ``people.domain``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.fields import (
    choice_check,
    coordinate_field,
    date_order_check,
    import_key_field,
    import_key_index,
    not_negative_check,
    note_field,
    optional_link,
)
from gridgov.data.org.models import Area, Department, TownEntry, town_link
from gridgov.data.people.enums import GroupKind, HouseUse, Relation, ResidentKind, Revitalisation, Sex
from gridgov.data.privacy import EncryptedTextField


class RegisterRow(TownEntry):
    """A row of a town's register: found again by a spreadsheet import through ``import_key`` (its index:
    ``import_key_index``), with when it was entered and last changed."""

    import_key = import_key_field()
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        abstract = True


class House(RegisterRow):
    """A house (实有房屋) at a standard address: village, grid, road and number or 组 and 号."""

    village = models.ForeignKey(Area, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    grid = optional_link(Area, _("网格"))
    address = models.CharField(_("标准地址"), max_length=200)
    latitude = coordinate_field(_("纬度"))
    longitude = coordinate_field(_("经度"))
    use = models.CharField(_("用途"), max_length=16, choices=HouseUse.choices, default=HouseUse.OWN)
    rooms = models.PositiveSmallIntegerField(_("间数"), default=1)
    revitalisation = models.CharField(
        _("盘活状态"), max_length=16, choices=Revitalisation.choices, blank=True, default=Revitalisation.NONE
    )
    revitalised_on = models.DateField(_("盘活日期"), null=True, blank=True)
    added_income = models.DecimalField(_("农户增收（元/年）"), max_digits=12, decimal_places=2, default=0)
    note = note_field()

    class Meta:
        verbose_name = _("实有房屋")
        verbose_name_plural = _("实有房屋")
        ordering = ["village_id", "address", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "address"], name="house_address_unique_per_town"),
            choice_check("use", HouseUse, name="house_use_valid"),
            choice_check("revitalisation", Revitalisation, name="house_revitalisation_valid"),
            not_negative_check("added_income", name="house_added_income_not_negative"),
        ]
        indexes = [
            models.Index(fields=["town", "village", "use"], name="house_village_use"),
            models.Index(fields=["town", "grid"], name="house_grid"),
            import_key_index("house"),
        ]

    def __str__(self) -> str:
        return self.address


class Household(RegisterRow):
    """A household (户) living in a house; its head is the resident whose relation is 户主."""

    house = models.ForeignKey(House, verbose_name=_("房屋"), on_delete=models.PROTECT, related_name="households")
    number = models.CharField(_("户号"), max_length=32, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["house_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "number"], condition=~models.Q(number=""), name="household_number_unique_per_town"
            ),
        ]
        indexes = [import_key_index("household")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Resident(RegisterRow):
    """A person of the register (实有人口). One household each; an ID number at most once per town."""

    household = models.ForeignKey(Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="residents")
    name = EncryptedTextField(_("姓名"))
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    id_digest = models.CharField(max_length=64, blank=True, editable=False)  # privacy.blind_index of the number
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True, default=Sex.UNKNOWN)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    kind = models.CharField(_("人口类型"), max_length=16, choices=ResidentKind.choices, default=ResidentKind.REGISTERED)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices, default=Relation.OTHER)
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    # ``privacy.rotate_all`` (manage.py rotate_field_key) writes the digest anew under a new field key.
    BLIND_INDEXES: ClassVar[dict[str, str]] = {"id_digest": "id_number"}

    class Meta:
        verbose_name = _("实有人口")
        verbose_name_plural = _("实有人口")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "id_digest"], condition=~models.Q(id_digest=""), name="resident_id_unique_per_town"
            ),
            # One head among those still living there: a head who moved away (or was erased) leaves the place free.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation=Relation.HEAD, moved_out_on__isnull=True, erased_at__isnull=True),
                name="household_one_head",
            ),
            choice_check("kind", ResidentKind, name="resident_kind_valid"),
            choice_check("relation", Relation, name="resident_relation_valid"),
            choice_check("sex", Sex, name="resident_sex_valid"),
        ]
        indexes = [
            models.Index(fields=["town", "kind"], name="resident_kind"),
            import_key_index("resident"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class PersonGroup(models.Model):
    """A key group (重点人员) or care group (关爱对象) of a town, with how often its members are visited and the
    department responsible. A sensitive group (社区矫正, 吸毒, 严重精神障碍) is seen only by its department and
    the town's leaders (``access.permissions``)."""

    town = town_link()
    code = models.SlugField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=32)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    kind = models.CharField(_("类别"), max_length=8, choices=GroupKind.choices)
    sensitive = models.BooleanField(_("敏感"), default=False)
    department = optional_link(Department, _("责任部门"))
    visit_every_days = models.PositiveSmallIntegerField(
        _("走访周期（天）"), null=True, blank=True, help_text=_("空：不需定期走访")
    )
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("人员类别")
        verbose_name_plural = _("人员类别")
        ordering = ["town_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="person_group_code_unique_per_town"),
            choice_check("kind", GroupKind, name="person_group_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(visit_every_days__isnull=True) | models.Q(visit_every_days__gte=1),
                name="person_group_visit_every_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A resident in a group from ``since``; ``until`` ends it (a record kept, not deleted)."""

    town = town_link()
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(PersonGroup, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="members")
    since = models.DateField(_("纳管日期"))
    until = models.DateField(_("解除日期"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("人员类别成员")
        verbose_name_plural = _("人员类别成员")
        ordering = ["group_id", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "group"], condition=models.Q(until__isnull=True), name="group_membership_open_once"
            ),
            date_order_check("until", "since", name="group_membership_until_after_since", later_optional=True),
        ]
        indexes = [models.Index(fields=["town", "group", "until"], name="group_membership_group")]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.resident_id}"
