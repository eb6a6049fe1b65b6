"""Categories and time limits for the enterprise ledgers (idempotent installers).

Hazards: major category YH 企业安全隐患 with sub-categories by hazard type. A major hazard (重大隐患) is
reported with priority 重大, whose time limit is stricter (half of a general hazard's).
Service requests: major category FW 企业服务诉求, one sub-category per request type.
"""

from __future__ import annotations

from django.db import transaction

from gridgov.data.enterprises.enums import RequestType
from gridgov.data.org.models import Area, Department
from gridgov.data.taxonomy.domain import install_major_category, sub_category_made
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.enums import TimeUnit

HAZARD_MAJOR = ("YH", "企业安全隐患", "YJB")
HAZARD_TYPES = ["消防安全", "电气安全", "特种设备", "危险化学品", "有限空间", "作业现场", "其他"]
# handling limits in natural days: general hazards 30 days, urgent 20, major (重大隐患) 15.
HAZARD_LIMITS = {"": 30, Priority.URGENT: 20, Priority.MAJOR: 15}

SERVICE_MAJOR = ("FW", "企业服务诉求", "JFB")
SERVICE_CODES = {
    RequestType.FACTORS: "FW01",
    RequestType.FINANCING: "FW02",
    RequestType.LABOUR: "FW03",
    RequestType.APPROVAL: "FW04",
    RequestType.POLICY: "FW05",
}
SERVICE_LIMIT_DAYS = 10  # working days


def _major(town: Area, code: str, name: str, department: Department | None) -> Category:
    return install_major_category(
        town=town, code=code, name=name, sort_order=100, ledger_only=True, default_department=department
    )


def _sub(
    town: Area, major: Category, code: str, name: str, order: int, limits: list[tuple[str, int, TimeUnit]]
) -> Category:
    sub, created = sub_category_made(town=town, major=major, code=code, name=name, sort_order=order, ledger_only=True)
    if created:
        rows = [TimeLimit(category=sub, phase=Phase.DISPATCH, priority="", value=1, unit=TimeUnit.WORK_DAYS)]
        rows += [TimeLimit(category=sub, phase=Phase.HANDLE, priority=p, value=v, unit=u) for p, v, u in limits]
        TimeLimit.objects.bulk_create(rows)
    return sub


@transaction.atomic
def install_hazard_categories(*, town: Area) -> list[Category]:
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    code, name, dept = HAZARD_MAJOR
    major = _major(town, code, name, departments.get(dept))
    limits = [(p, v, TimeUnit.CALENDAR_DAYS) for p, v in HAZARD_LIMITS.items()]
    return [
        _sub(town, major, f"{code}{i:02d}", sub_name, i, limits) for i, sub_name in enumerate(HAZARD_TYPES, start=1)
    ]


@transaction.atomic
def install_service_categories(*, town: Area) -> dict[RequestType, Category]:
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    code, name, dept = SERVICE_MAJOR
    major = _major(town, code, name, departments.get(dept))
    limits = [("", SERVICE_LIMIT_DAYS, TimeUnit.WORK_DAYS)]
    return {
        kind: _sub(town, major, sub_code, str(kind.label), i, limits)
        for i, (kind, sub_code) in enumerate(SERVICE_CODES.items(), start=1)
    }


def install_enterprise_categories(*, town: Area) -> None:
    install_hazard_categories(town=town)
    install_service_categories(town=town)


def hazard_categories(*, town: Area) -> list[Category]:
    return list(
        Category.objects.filter(town=town, parent__code=HAZARD_MAJOR[0], active=True)
        .select_related("parent")
        .order_by("code")
    )


def service_category(*, town: Area, request_type: RequestType) -> Category | None:
    return (
        Category.objects.filter(town=town, code=SERVICE_CODES[request_type], active=True)
        .select_related("parent")
        .first()
    )
