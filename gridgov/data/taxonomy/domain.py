"""Looking up categories and their time limits."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area, Department
from gridgov.data.taxonomy.english import english_name
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.enums import TimeUnit

# Used when a sub-category has no limit configured for a phase (so a case always has a deadline).
FALLBACK_LIMITS: dict[str, tuple[int, TimeUnit]] = {
    Phase.DISPATCH: (1, TimeUnit.WORK_HOURS),
    Phase.HANDLE: (5, TimeUnit.WORK_DAYS),
}


@dataclass(frozen=True, slots=True)
class Limit:
    value: int
    unit: TimeUnit


def resolve_category(*, town: Area, category_id: int | None = None, code: str | None = None) -> Category:
    """Find an active sub-category of the town that a report may use (not a ledger's own) by id or code, or raise a
    clear error."""
    qs = Category.objects.filter(town=town, active=True, parent__isnull=False, ledger_only=False).select_related(
        "parent"
    )
    if category_id is not None:
        found = qs.filter(pk=category_id).first()
        label = str(category_id)
    elif code:
        found = qs.filter(code=code).first()
        label = code
    else:
        raise InvalidInput(_("请选择事件分类"), field="category")
    if found is None:
        raise InvalidInput(_("事件分类“%(label)s”不存在或已停用，请选择一个小类") % {"label": label}, field="category")
    return found


def time_limit(*, category: Category, phase: Phase, priority: Priority | str) -> Limit:
    """The limit for a phase: the priority-specific row, else the any-priority row, else the fallback."""
    rows = {(row.priority or ""): row for row in TimeLimit.objects.filter(category=category, phase=phase)}
    row = rows.get(str(priority)) or rows.get("")
    if row is not None:
        return Limit(row.value, TimeUnit(row.unit))
    value, unit = FALLBACK_LIMITS[phase]
    return Limit(value, unit)


def install_ledger_category(
    *, town: Area, major: Category, code: str, name: str, sort_order: int, handle: Limit, ledger_only: bool = False
) -> Category:
    """A ledger's own sub-category ``code`` under ``major`` (made when missing), given its time limits when it
    has none: dispatched within a working hour, handled within ``handle`` (idempotent)."""
    sub, _created = sub_category_made(
        town=town, major=major, code=code, name=name, sort_order=sort_order, ledger_only=ledger_only
    )
    if not TimeLimit.objects.filter(category=sub).exists():
        TimeLimit.objects.bulk_create(
            [
                TimeLimit(category=sub, phase=Phase.DISPATCH, priority="", value=1, unit=TimeUnit.WORK_HOURS),
                TimeLimit(category=sub, phase=Phase.HANDLE, priority="", value=handle.value, unit=handle.unit),
            ]
        )
    return sub


def sub_category_made(
    *,
    town: Area,
    major: Category,
    code: str,
    name: str,
    sort_order: int,
    ledger_only: bool = False,
    department: Department | None = None,
    priority: str = Priority.NORMAL,
) -> tuple[Category, bool]:
    """The town's sub-category ``code`` under ``major``, and whether it was made now: named in English by its code,
    handled by ``department`` (else the major's default department), with ``priority`` by default
    (``ledger_only``: a ledger's own, not for reports)."""
    return Category.objects.get_or_create(
        town=town,
        code=code,
        defaults={
            "parent": major,
            "name": name,
            "name_en": english_name(code),
            "sort_order": sort_order,
            "default_department": department or major.default_department,
            "default_priority": priority,
            "ledger_only": ledger_only,
        },
    )


def install_major_category(
    *,
    town: Area,
    code: str,
    name: str,
    sort_order: int,
    ledger_only: bool = False,
    default_department: Department | None = None,
) -> Category:
    """The town's major category ``code`` (made when missing; ``ledger_only``: a ledger's own, not for reports)."""
    major, _created = Category.objects.get_or_create(
        town=town,
        code=code,
        defaults={
            "name": name,
            "name_en": english_name(code),
            "sort_order": sort_order,
            "ledger_only": ledger_only,
            "default_department": default_department,
        },
    )
    return major


@dataclass(frozen=True, slots=True)
class LedgerCategory:
    """A ledger's own sub-category (``code``) and its major category, with the time to handle a case under it."""

    major_code: str
    major_name: str
    major_order: int
    code: str
    name: str
    sort_order: int
    handle: Limit
    ledger_only: bool = False  # a category of the ledger's alone (not in the town's taxonomy): no report may use it


def installed_category(*, town: Area, code: str) -> Category | None:
    """The town's sub-category ``code`` once a ledger installed it with its time limits (a read, no transaction:
    a ledger's import asks for each row); None before."""
    sub = Category.objects.filter(town=town, code=code, parent__isnull=False).first()
    if sub is not None and TimeLimit.objects.filter(category=sub).exists():
        return sub
    return None


def ledger_category(*, town: Area, spec: LedgerCategory) -> Category:
    """The sub-category a ledger files its cases under, with its time limits (idempotent; once they are there,
    only read: an import asks for each row without a transaction)."""
    return installed_category(town=town, code=spec.code) or _install_ledger_category(town=town, spec=spec)


@transaction.atomic
def _install_ledger_category(*, town: Area, spec: LedgerCategory) -> Category:
    major = install_major_category(
        town=town, code=spec.major_code, name=spec.major_name, sort_order=spec.major_order, ledger_only=spec.ledger_only
    )
    return install_ledger_category(
        town=town,
        major=major,
        code=spec.code,
        name=spec.name,
        sort_order=spec.sort_order,
        handle=spec.handle,
        ledger_only=spec.ledger_only,
    )
