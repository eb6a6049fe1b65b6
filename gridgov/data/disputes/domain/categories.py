"""The disputes ledger's categories: one sub-category for each type (and 重复信访/积案 petitions) with its statutory
handling limit in calendar days — a petition 60 days, extended at most once by 30 with approval."""

from __future__ import annotations

from django.db import transaction

from gridgov.data.disputes.enums import DisputeType
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.domain import Limit, install_ledger_category, install_major_category
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.enums import TimeUnit

PETITION_DAYS = 60
PETITION_EXTENSION_DAYS = 30

# type → (major code, major name, sub code, sub name, handling limit in calendar days)
CATEGORIES: dict[str, tuple[str, str, str, str, int]] = {
    DisputeType.CONFLICT: ("01", "矛盾纠纷", "0101", "邻里纠纷", 15),
    DisputeType.LABOUR: ("02", "劳资纠纷", "0201", "欠薪", 15),
    DisputeType.PETITION: ("03", "信访诉求", "0301", "初信初访", PETITION_DAYS),
}
BACKLOG_PETITION = ("0302", "重复信访/积案")


def install_dispute_categories(*, town: Area) -> dict[str, Category]:
    """The sub-categories for each type (and 积案 petitions) with their statutory limits (idempotent; once
    they are there, only read: an import asks for each row without a transaction)."""
    codes = {sub_code: dtype for dtype, (_m, _n, sub_code, _s, _d) in CATEGORIES.items()}
    subs = {
        c.code: c
        for c in Category.objects.filter(town=town, parent__isnull=False, code__in=[*codes, BACKLOG_PETITION[0]])
    }
    limited = set(TimeLimit.objects.filter(category__in=subs.values()).values_list("category__code", flat=True))
    if len(subs) != len(codes) + 1 or limited != set(subs):
        return _install_categories(town=town)
    return {**subs, **{dtype: subs[code] for code, dtype in codes.items()}}


@transaction.atomic
def _install_categories(*, town: Area) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for dtype, (major_code, major_name, sub_code, sub_name, days) in CATEGORIES.items():
        major = install_major_category(town=town, code=major_code, name=major_name, sort_order=int(major_code))
        handle = Limit(days, TimeUnit.CALENDAR_DAYS)
        subs = [(sub_code, sub_name)] + ([BACKLOG_PETITION] if dtype == DisputeType.PETITION else [])
        for code, name in subs:
            found[code] = install_ledger_category(
                town=town, major=major, code=code, name=name, sort_order=int(code[2:]), handle=handle
            )
        found[dtype] = found[sub_code]
    return found


def dispute_category(categories: dict[str, Category], dtype: DisputeType, *, backlog: bool) -> Category:
    """A dispute's category by its type (a backlog petition: 重复信访/积案), of ``install_dispute_categories``."""
    return categories[BACKLOG_PETITION[0]] if dtype == DisputeType.PETITION and backlog else categories[dtype]
