"""Figures as Chinese users write them: 98.0%, 1600万元, 1.89亿元; and whether a ledger row is overdue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.deadlines import ledger_overdue
from gridgov.data.enterprises.models import Hazard
from gridgov.data.problemlists.models import ProblemItem

register = template.Library()


def _trim(value: Decimal) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def percent(value: Decimal | float | None) -> str:
    """A fraction as a percentage with one decimal (0.98 → 98.0%); no denominator → —."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


@register.filter
def yuan(value: Decimal | int | None) -> str:
    """An amount in 元: 1.89亿元 from 100 million, 1600万元 from 10 thousand, else 1200.5元. Other languages have no
    万 or 亿: they read the whole amount, grouped (27,000 yuan rather than "2.7 ten thousand yuan")."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if not (get_language() or "zh").startswith("zh"):
        return _("%(v)s元") % {"v": figure(amount)}
    if abs(amount) >= Decimal(100_000_000):
        return _("%(v)s亿元") % {"v": _trim(amount / Decimal(100_000_000))}
    if abs(amount) >= Decimal(10_000):
        return _("%(v)s万元") % {"v": _trim(amount / Decimal(10_000))}
    return _("%(v)s元") % {"v": _trim(amount)}


@register.filter
def figure(value: Decimal | int | None) -> str:
    """A figure whose unit the column names (元/亩, 亩): digits grouped, no trailing zeros (85413.00 → 85,413,
    12.50 → 12.5); none → —."""
    if value is None:
        return "—"
    text = f"{Decimal(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def overdue_on(row: Hazard | ProblemItem, today: date) -> bool:
    """Whether a hazard or problem item is past its rectification date (``deadlines.ledger_overdue``)."""
    return ledger_overdue(status=row.case.status, deadline=row.deadline, today=today)
