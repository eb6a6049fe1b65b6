"""The checks every investment record shares: who may keep the town's investment ledger, a text field, a day not
in the future, a stage's day after the stage before, the signed amount, and the Chinese form of a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gridgov.data.amounts import is_blank, parse_amount
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.investment.enums import STAGE_DATE_FIELDS, Stage
from gridgov.data.investment.scope import may_keep_investment
from gridgov.data.org.models import Area, User
from gridgov.data.worktime.days import chinese_day

AmountValue = Decimal | int | str | None


def day_label(stage: Stage) -> str:
    return _("%(stage)s日期") % {"stage": stage.label}


def check_signed_amount(value: AmountValue) -> Decimal:
    if value is None or is_blank(value):
        raise InvalidInput(_("签约须填写签约金额"), field="signed_amount")
    return parse_amount(value, field="signed_amount", label=_("签约金额"), positive=True)


def check_text(value: str, *, field: str, label: str | Promise, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s：必填项为空") % {"label": label}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("%(label)s：最多%(max)s个字，现有%(n)s个字") % {"label": label, "max": max_length, "n": len(text)},
            field=field,
        )
    return text


def check_not_future(day: date, *, today: date, field: str, label: str) -> None:
    if day > today:
        raise InvalidInput(_("%(label)s：%(day)s尚未到来") % {"label": label, "day": chinese_day(day)}, field=field)


def check_may_keep(actor: User, town: Area) -> None:
    if not may_keep_investment(actor, town):
        raise NotAllowed(_("您无权登记%(town)s的招商引资信息") % {"town": town.name})


def check_reached_after(day: date, *, stage: Stage, previous: Stage, before: date) -> None:
    """A stage is reached no earlier than the stage before it (reached ``before``)."""
    if day < before:
        raise InvalidInput(
            _("%(label)s（%(day)s）早于%(previous)s（%(before)s）")
            % {
                "label": day_label(stage),
                "day": chinese_day(day),
                "previous": day_label(previous),
                "before": chinese_day(before),
            },
            field=STAGE_DATE_FIELDS[stage],
        )
