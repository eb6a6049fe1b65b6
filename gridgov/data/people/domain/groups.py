"""Key groups (重点人员) and care groups (关爱对象): a town's defaults, and residents joining and leaving them.

A membership runs from ``since``; ``until`` ends it and the record is kept. A resident is in a group once at a
time. Who may tag a resident: whoever may write the resident and see the group — so a sensitive group's members
are kept by the town's admins (and the imports), not by grid workers or the command room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.domain.common import check_text, check_writes_resident, today_of
from gridgov.data.people.enums import GroupKind
from gridgov.data.people.models import GroupMembership, PersonGroup, Resident
from gridgov.data.people.scope import visible_groups, visible_memberships
from gridgov.data.worktime.days import check_day

MONTHLY = 30
QUARTERLY = 90
HALF_YEARLY = 182


@dataclass(frozen=True, slots=True)
class DefaultGroup:
    code: str
    name: str
    name_en: str
    kind: GroupKind
    sensitive: bool
    visit_every_days: int
    departments: tuple[str, ...]  # words of the responsible department's name, the first found wins


KEY, CARE = GroupKind.KEY, GroupKind.CARE
CIVIL_AFFAIRS = ("民政", "社会事务")  # 民政办 / 社会事务办
HEALTH = ("卫健", "卫生")  # 卫健办 / 卫生院

DEFAULT_GROUPS: tuple[DefaultGroup, ...] = (
    DefaultGroup("community_correction", "社区矫正", "Community correction", KEY, True, MONTHLY, ("司法",)),
    DefaultGroup("released_prisoner", "刑满释放", "Released prisoners", KEY, False, QUARTERLY, ("司法",)),
    DefaultGroup("mental_disorder", "严重精神障碍", "Severe mental disorder", KEY, True, MONTHLY, HEALTH),
    DefaultGroup("drug_user", "吸毒", "Drug users", KEY, True, MONTHLY, ("禁毒", "派出所")),
    DefaultGroup("key_youth", "重点青少年", "Youth at risk", KEY, False, QUARTERLY, ("综治", "团委")),
    DefaultGroup("poor_family", "困难家庭", "Families in hardship", CARE, False, MONTHLY, CIVIL_AFFAIRS),
    DefaultGroup("minimum_living", "低保/低边", "Minimum living allowance", CARE, False, QUARTERLY, CIVIL_AFFAIRS),
    DefaultGroup("disabled", "残疾人", "Persons with disabilities", CARE, False, QUARTERLY, ("残联", *CIVIL_AFFAIRS)),
    DefaultGroup("elderly_alone", "独居老人", "Elderly living alone", CARE, False, MONTHLY, CIVIL_AFFAIRS),
    DefaultGroup("veteran", "退役军人", "Veterans", CARE, False, HALF_YEARLY, ("退役军人",)),
    DefaultGroup("left_behind_child", "留守儿童", "Left-behind children", CARE, False, MONTHLY, CIVIL_AFFAIRS),
)


def _department(departments: list[Department], words: tuple[str, ...]) -> Department | None:
    for word in words:
        for department in departments:
            if word in department.name:
                return department
    return None


def install_default_groups(*, town: Area) -> list[PersonGroup]:
    """The default groups of ``town`` with their visit frequency and, where the town has a matching department,
    that department. Idempotent: a group already there (by code) is left as the town has configured it."""
    departments = list(town.departments.order_by("id"))
    existing = {g.code: g for g in PersonGroup.objects.filter(town=town)}
    found: list[PersonGroup] = []
    with transaction.atomic():
        for order, spec in enumerate(DEFAULT_GROUPS, start=1):
            group = existing.get(spec.code)
            if group is None:
                group = PersonGroup.objects.create(
                    town=town,
                    code=spec.code,
                    name=spec.name,
                    name_en=spec.name_en,
                    kind=spec.kind,
                    sensitive=spec.sensitive,
                    department=_department(departments, spec.departments),
                    visit_every_days=spec.visit_every_days,
                    sort_order=order,
                )
            found.append(group)
    return found


def join_group(
    *, actor: User, resident: Resident, group: PersonGroup, since: date, now: datetime, note: str = ""
) -> GroupMembership:
    """Put a resident in a group from ``since`` (a day that has come)."""
    check_writes_resident(actor, resident)
    if not visible_groups(actor, PersonGroup.objects.filter(pk=group.pk)).exists():
        raise NotFound(_("人员类别不存在或您无权查看"))
    if group.town_id != resident.town_id or not group.active:
        raise InvalidInput(_("人员类别“%(group)s”不可用") % {"group": group.name}, field="group")
    if resident.moved_out_on is not None or resident.erased_at is not None:
        raise InvalidInput(_("该人员已迁出，不能纳入人员类别"), field="group")
    day = check_day(since, today=today_of(now), field="since", label=_("纳管日期"))
    text = check_text(note, field="note", label=_("备注"), max_length=2000, required=False)
    with transaction.atomic():
        if GroupMembership.objects.select_for_update().filter(resident=resident, group=group, until__isnull=True):
            raise InvalidInput(_("该人员已在“%(group)s”中") % {"group": group.name}, field="group")
        return GroupMembership.objects.create(
            town_id=resident.town_id, resident=resident, group=group, since=day, note=text
        )


def leave_group(*, actor: User, membership: GroupMembership, until: date, now: datetime) -> GroupMembership:
    """End a membership on ``until`` (not before it began, not after today); the record stays."""
    if not visible_memberships(actor, GroupMembership.objects.filter(pk=membership.pk)).exists():
        raise NotFound(_("记录不存在或您无权查看"))
    check_writes_resident(actor, membership.resident)
    if membership.until is not None:
        raise InvalidInput(_("该人员已解除纳管"), field="until")
    day = check_day(until, today=today_of(now), field="until", label=_("解除日期"))
    if day < membership.since:
        raise InvalidInput(_("解除日期不能早于纳管日期"), field="until")
    membership.until = day
    with transaction.atomic():
        membership.save(update_fields=["until"])
    return membership
