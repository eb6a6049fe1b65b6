"""Recording the village collective economy (村级集体经济): one village's income of one kind in one month.

``record_income`` checks the input (``clean_income``: each refusal a Chinese message naming the field) and who
records (``collective.scope``), then writes the row. **A second entry for the same village, year, month and kind
corrects the first**: the amount and note are replaced and the correction's time and author kept beside the first
entry's (``updated_at``/``updated_by``) — a village's monthly statement is re-entered when it is revised, and the
figures must count each month once. Nothing is written when a check fails.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.collective.scope import may_record_income
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.worktime.days import FIRST_YEAR, check_month, check_year


@dataclass(frozen=True)
class IncomeInput:
    """An income as a form or a sheet gives it: year and month as numbers or text, the amount as people type it
    (12000, "12,000", "1.2万", "１２０００元")."""

    village: Area | None
    year: int | str
    month: int | str
    kind: IncomeKind | str
    amount: Decimal | int | str | None
    note: str = ""


@dataclass(frozen=True)
class CleanIncome:
    village: Area
    town_id: int
    year: int
    month: int
    kind: IncomeKind
    amount: Decimal
    note: str


def _whole(value: int | str, *, field: str, label: str) -> int:
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("年" if field == "year" else "月")
    if isinstance(value, bool) or not re.fullmatch(r"-?\d{1,6}", text):
        raise InvalidInput(_("%(label)s“%(v)s”不是整数") % {"label": label, "v": value}, field=field)
    return int(text)


def clean_income(data: IncomeInput, *, now: datetime) -> CleanIncome:
    """The input checked, field by field (the village must be a village; the month 1–12 and not after ``now``'s; the
    amount ≥ 0); InvalidInput naming the field otherwise. Who records is ``record_income``'s check."""
    village = data.village
    if village is None or village.level != AreaLevel.VILLAGE or village.town_id is None:
        raise InvalidInput(_("村：请选择一个村（社区）"), field="village")
    year = _whole(data.year, field="year", label=_("年度"))
    month = _whole(data.month, field="month", label=_("月份"))
    today = timezone.localdate(now)
    year = check_year(year, today=today, field="year", label=_("年度"))
    month = check_month(month, year=year, today=today)
    if data.kind not in IncomeKind.values:
        raise InvalidInput(_("收入类型：请选择经营性、非经营性或补助收入"), field="kind")
    return CleanIncome(
        village=village,
        town_id=village.town_id,
        year=year,
        month=month,
        kind=IncomeKind(data.kind),
        amount=parse_amount(data.amount, required=True),
        note=data.note.strip(),
    )


def _in_actor_town(actor: User, village: Area) -> bool:
    return is_global_admin(actor) or any(m.town_id == village.town_id for m in memberships_of(actor))


def record_income(*, actor: User, data: IncomeInput, now: datetime) -> VillageIncome:
    """Record (or correct: see the module) one village's income of one kind in one month."""
    clean = clean_income(data, now=now)
    if not _in_actor_town(actor, clean.village):
        raise InvalidInput(_("村：%(village)s不在您所在的乡镇") % {"village": clean.village.name}, field="village")
    if not may_record_income(actor, clean.village):
        raise NotAllowed(_("您无权登记%(village)s的集体经济收入") % {"village": clean.village.name})
    with transaction.atomic():
        income, _created = VillageIncome.objects.update_or_create(
            village=clean.village,
            year=clean.year,
            month=clean.month,
            kind=clean.kind,
            defaults={"amount": clean.amount, "note": clean.note, "updated_at": now, "updated_by": actor},
            create_defaults={
                "town_id": clean.town_id,
                "amount": clean.amount,
                "note": clean.note,
                "created_at": now,
                "created_by": actor,
            },
        )
    return income


def income_row(clean: CleanIncome, *, created_at: datetime, created_by: User | None = None) -> VillageIncome:
    """The unsaved row of a checked income (for bulk writers such as the demo, which check with ``clean_income``)."""
    return VillageIncome(
        town_id=clean.town_id,
        village=clean.village,
        year=clean.year,
        month=clean.month,
        kind=clean.kind,
        amount=clean.amount,
        note=clean.note,
        created_at=created_at,
        created_by=created_by,
    )


# ---------------------------------------------------------------------------------------------------
# Enterprises' help to villages (企业助农): 村企结对 and 共富工坊

PARTNER_MAX = 100


@dataclass(frozen=True)
class SupportInput:
    """A 村企结对 or 共富工坊 record as a form gives it: the enterprise of the town's register, or the partner's name
    when it is not in it; the support as people type it; the people it helped (optional, a whole number)."""

    village: Area | None
    kind: SupportKind | str
    on: date | None
    amount: Decimal | int | str | None
    enterprise: Enterprise | None = None
    partner: str = ""
    people: int | str | None = None
    note: str = ""


def _people(value: int | str | None) -> int | None:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().removesuffix("人")
    if not text:
        return None
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,7}", text):
        raise InvalidInput(_("带动就业或受益人数：“%(v)s”不是人数") % {"v": value}, field="people")
    return int(text)


def clean_support(data: SupportInput, *, now: datetime) -> VillageSupport:
    """The input checked field by field (InvalidInput naming it): the village, the kind, a partner (the enterprise,
    of the village's town, or a name), the date (not after ``now``'s day), the amount (≥ 0), the people; the unsaved
    record (``created_at`` ``now``). Who records is ``record_support``'s check."""
    village = data.village
    if village is None or village.level != AreaLevel.VILLAGE or village.town_id is None:
        raise InvalidInput(_("村：请选择一个村（社区）"), field="village")
    if data.kind not in SupportKind.values:
        raise InvalidInput(_("助农类型：请选择村企结对或共富工坊"), field="kind")
    enterprise = data.enterprise
    partner = data.partner.strip()
    if enterprise is not None and enterprise.town_id != village.town_id:
        raise InvalidInput(_("企业：%(name)s不在该村所在的乡镇") % {"name": enterprise.name}, field="enterprise")
    if enterprise is None and not partner:
        raise InvalidInput(_("结对单位：请选择企业或填写结对单位名称"), field="partner")
    if len(partner) > PARTNER_MAX:
        raise InvalidInput(_("结对单位：名称不能超过%(n)s个字") % {"n": PARTNER_MAX}, field="partner")
    if data.on is None:
        raise InvalidInput(_("日期：必填项为空"), field="on")
    if data.on > timezone.localdate(now):
        raise InvalidInput(_("日期：%(day)s尚未到来") % {"day": data.on.isoformat()}, field="on")
    if data.on.year < FIRST_YEAR:
        raise InvalidInput(_("日期：%(year)s年过早，请核对") % {"year": data.on.year}, field="on")
    return VillageSupport(
        town_id=village.town_id,
        village=village,
        year=data.on.year,
        kind=SupportKind(data.kind),
        enterprise=enterprise,
        partner="" if enterprise is not None else partner,
        amount=parse_amount(data.amount, label=_("帮扶金额")),
        people=_people(data.people),
        on=data.on,
        note=data.note.strip(),
        created_at=now,
    )


def record_support(*, actor: User, data: SupportInput, now: datetime) -> VillageSupport:
    """Record one enterprise's help to a village (村企结对 or 共富工坊): checked by ``clean_support``; who records is
    ``may_record_income``'s rule. Nothing written on failure."""
    support = clean_support(data, now=now)
    village = support.village
    if not _in_actor_town(actor, village):
        raise InvalidInput(_("村：%(village)s不在您所在的乡镇") % {"village": village.name}, field="village")
    if not may_record_income(actor, village):
        raise NotAllowed(_("您无权登记%(village)s的企业助农") % {"village": village.name})
    support.created_by = actor
    support.save()
    return support
