"""Funds arrived (到位资金): the funds of a signed lead in one month; a second entry for the month corrects the
first."""

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
from gridgov.data.errors import InvalidInput
from gridgov.data.investment.domain.checks import AmountValue, check_may_keep
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.models import User
from gridgov.data.worktime.days import check_month, check_year, chinese_day


@dataclass(frozen=True)
class ArrivalInput:
    """Funds arrived for a lead in one month: year and month as numbers or text ("2022年", "3月"), the amount as
    people type it."""

    lead: Lead
    year: int | str
    month: int | str
    amount: AmountValue
    note: str = ""


def _whole(value: int | str, *, field: str, label: str, suffix: str) -> int:
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix(suffix)
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,4}", text):
        raise InvalidInput(_("%(label)s：“%(v)s”不是整数") % {"label": label, "v": value}, field=field)
    return int(text)


def clean_arrival(data: ArrivalInput, *, today: date) -> tuple[int, int, Decimal]:
    """(year, month, amount) of the input, checked; InvalidInput naming the field otherwise."""
    lead = data.lead
    if lead.signed_on is None:
        raise InvalidInput(_("到位资金：项目“%(name)s”尚未签约") % {"name": lead.name}, field="lead")
    year = _whole(data.year, field="year", label=_("年度"), suffix="年")
    month = _whole(data.month, field="month", label=_("月份"), suffix="月")
    check_month(month, year=year, today=today)  # a year not yet come is refused here, on the month
    check_year(year, today=today, field="year", label=_("年度"))
    signed = lead.signed_on
    if (year, month) < (signed.year, signed.month):
        raise InvalidInput(
            _("月份：%(year)s年%(month)s月早于签约（%(day)s）")
            % {"year": year, "month": month, "day": chinese_day(signed)},
            field="month",
        )
    amount = parse_amount(data.amount, field="amount", label=_("到位资金"), positive=True, required=True)
    return year, month, amount


def arrival_row(
    lead: Lead, *, year: int, month: int, amount: Decimal, note: str, created_at: datetime, created_by: User | None
) -> FundArrival:
    """The unsaved row of a checked arrival (``clean_arrival``) entered for the first time."""
    return FundArrival(
        lead=lead,
        town_id=lead.town_id,
        year=year,
        month=month,
        amount=amount,
        note=(note or "").strip(),
        created_at=created_at,
        created_by=created_by,
    )


def record_arrival(*, actor: User, data: ArrivalInput, now: datetime) -> FundArrival:
    """Record (or correct) the funds of a lead arrived in one month."""
    check_may_keep(actor, data.lead.town)
    year, month, amount = clean_arrival(data, today=timezone.localdate(now))
    note = (data.note or "").strip()
    with transaction.atomic():
        arrival, _created = FundArrival.objects.update_or_create(
            lead=data.lead,
            year=year,
            month=month,
            defaults={"amount": amount, "note": note, "updated_at": now, "updated_by": actor},
            create_defaults={
                "town_id": data.lead.town_id,
                "amount": amount,
                "note": note,
                "created_at": now,
                "created_by": actor,
            },
        )
    return arrival
