"""One case of a previous platform as it comes to ``history``: the ``HistoricalCase`` (its references already
resolved to the town's objects) and ``check_historical_case``, which accepts it only as a consistent case of the
town — its number and description, its town's category, area, department and enterprise, an importable status,
its milestones in order and those its status needs (and none it cannot have)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.engine import MAX_DESCRIPTION
from gridgov.data.cases.enums import Channel, Kind, Satisfaction, Status
from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area, Department, Enterprise
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category

MAX_NUMBER = 32
# The statuses an old record may have. 缓办 is not imported: its paused clock cannot be rebuilt from an export.
IMPORTABLE_STATUSES = (
    Status.REPORTED,
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.HANDLING,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REJECTED,
)
# Milestone columns in the order they must happen (field name, label used in messages).
_ORDER: tuple[tuple[str, Promise], ...] = (
    ("reported_at", gettext_lazy("上报时间")),
    ("registered_at", gettext_lazy("立案时间")),
    ("dispatched_at", gettext_lazy("派遣时间")),
    ("resolved_at", gettext_lazy("处置完成时间")),
    ("closed_at", gettext_lazy("结案时间")),
)


@dataclass(frozen=True, slots=True)
class HistoricalCase:
    """One case of the old system, its references already resolved to this town's objects."""

    number: str
    category: Category  # a sub-category of the town
    area: Area  # the village or grid (or the town itself)
    channel: Channel
    description: str
    status: Status
    reported_at: datetime
    address: str = ""
    registered_at: datetime | None = None
    dispatched_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None  # for a rejected case: when it was rejected
    deadline: datetime | None = None  # the handling deadline after extensions
    rework_count: int = 0
    satisfaction: Satisfaction | None = None
    department: Department | None = None  # default: the sub-category's default department
    priority: Priority | None = None  # default: the sub-category's default priority
    kind: Kind = Kind.EVENT  # a ledger's rows (hazards, problem lists …) are imported with their own kind
    enterprise: Enterprise | None = None  # the company of a hazard or service request
    title: str = ""


def check_historical_case(record: HistoricalCase, *, town: Area, now: datetime | None = None) -> None:
    """Raise InvalidInput (``field`` = the offending column) unless the record is a consistent case of ``town``."""
    now = now or timezone.now()
    number = record.number.strip()
    if not number:
        raise InvalidInput(_("请填写事件编号"), field="number")
    if len(number) > MAX_NUMBER:
        raise InvalidInput(_("事件编号不能超过 %(n)s 个字符") % {"n": MAX_NUMBER}, field="number")
    description = record.description.strip()
    if not description:
        raise InvalidInput(_("请填写事件描述"), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("事件描述不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION}, field="description")
    if record.category.town_id != town.pk or record.category.parent_id is None:
        raise InvalidInput(_("事件分类“%(name)s”不是本镇的小类") % {"name": record.category.name}, field="category")
    if record.area.town_id != town.pk and record.area.pk != town.pk:
        raise InvalidInput(
            _("区域“%(name)s”不在%(town)s") % {"name": record.area.name, "town": town.name}, field="area"
        )
    if record.department is not None and record.department.town_id != town.pk:
        raise InvalidInput(_("部门“%(name)s”不是本镇的部门") % {"name": record.department.name}, field="department")
    if record.enterprise is not None and record.enterprise.town_id != town.pk:
        raise InvalidInput(_("企业“%(name)s”不是本镇登记的企业") % {"name": record.enterprise.name}, field="enterprise")
    if record.status not in IMPORTABLE_STATUSES:
        raise InvalidInput(
            _("不能导入状态为“%(status)s”的事件，请在原系统恢复办理后再导出") % {"status": record.status.label},
            field="status",
        )
    if record.reported_at > now:
        raise InvalidInput(_("上报时间晚于当前时间"), field="reported_at")
    _check_order(record)
    _check_status(record)
    if record.rework_count < 0:
        raise InvalidInput(_("返工次数不能为负数"), field="rework_count")
    if record.rework_count and record.resolved_at is None:
        raise InvalidInput(_("有返工次数的事件必须有处置完成时间"), field="rework_count")
    if record.satisfaction is not None and record.status != Status.CLOSED:
        raise InvalidInput(_("只有已结案的事件才能有满意度评价"), field="satisfaction")
    if record.deadline is not None and record.deadline < record.reported_at:
        raise InvalidInput(_("处置期限早于上报时间"), field="deadline")


def _check_order(record: HistoricalCase) -> None:
    previous: tuple[str, Promise, datetime] | None = None
    for name, label in _ORDER:
        moment: datetime | None = getattr(record, name)
        if moment is None:
            continue
        if previous is not None and moment < previous[2]:
            raise InvalidInput(
                _("%(later)s（%(b)s）早于%(earlier)s（%(a)s）")
                % {"later": label, "b": _when(moment), "earlier": previous[1], "a": _when(previous[2])},
                field=name,
            )
        previous = (name, label, moment)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# For each status: the milestones it needs, and those it cannot have.
_NEEDS: dict[Status, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Status.REPORTED: ((), ("registered_at", "dispatched_at", "resolved_at", "closed_at")),
    Status.REGISTERED: (("registered_at",), ("dispatched_at", "resolved_at", "closed_at")),
    Status.DISPATCHED: (("registered_at", "dispatched_at"), ("resolved_at", "closed_at")),
    Status.HANDLING: (("registered_at", "dispatched_at"), ("closed_at",)),
    Status.RESOLVED: (("registered_at", "dispatched_at", "resolved_at"), ("closed_at",)),
    Status.CLOSED: (("closed_at",), ()),
    Status.REJECTED: ((), ("registered_at", "dispatched_at", "resolved_at")),
}
_LABELS = dict(_ORDER)


def _check_status(record: HistoricalCase) -> None:
    needs, forbids = _NEEDS[record.status]
    for name in needs:
        if getattr(record, name) is None:
            raise InvalidInput(
                _("状态为“%(status)s”的事件必须有%(what)s") % {"status": record.status.label, "what": _LABELS[name]},
                field=name,
            )
    for name in forbids:
        if getattr(record, name) is not None:
            raise InvalidInput(
                _("状态为“%(status)s”的事件不应有%(what)s") % {"status": record.status.label, "what": _LABELS[name]},
                field=name,
            )
    if record.status == Status.HANDLING and record.resolved_at is not None and not record.rework_count:
        raise InvalidInput(_("处置中的事件有处置完成时间时，返工次数至少为 1"), field="rework_count")
    if record.status == Status.CLOSED and record.dispatched_at is not None:
        if record.registered_at is None:
            raise InvalidInput(_("已派遣的事件必须有立案时间"), field="registered_at")
        if record.resolved_at is None:
            raise InvalidInput(_("已派遣并结案的事件必须有处置完成时间"), field="resolved_at")
