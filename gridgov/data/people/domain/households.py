"""Households (户): a household lives in a house; its head is the resident whose relation is 户主."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import User
from gridgov.data.people.domain.common import (
    check_text,
    check_writes_house,
    check_writes_household,
    create_checked,
    update_checked,
)
from gridgov.data.people.models import House, Household


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseholdInput:
    house: House
    number: str = ""  # 户号: unique in the town when given
    note: str = ""


def _check(data: HouseholdInput, *, household: Household | None) -> tuple[str, str]:
    number = check_text(data.number, field="number", label=_("户号"), max_length=32, required=False)
    if number:
        taken = Household.objects.filter(town_id=data.house.town_id, number=number)
        if household is not None:
            taken = taken.exclude(pk=household.pk)
        if taken.exists():
            raise InvalidInput(_("户号 %(number)s 已存在") % {"number": number}, field="number")
    note = check_text(data.note, field="note", label=_("备注"), max_length=2000, required=False)
    return number, note


def register_household(*, actor: User, data: HouseholdInput, now: datetime) -> Household:
    """Register a household in a house the actor may write."""
    check_writes_house(actor, data.house)
    number, note = _check(data, household=None)
    values = {"town_id": data.house.town_id, "house": data.house, "number": number, "note": note}
    return create_checked(Household, values, now=now, recheck=lambda: _check(data, household=None))


def update_household(*, actor: User, household: Household, data: HouseholdInput, now: datetime) -> Household:
    """Change a household's number or note, or move it to another house (both the actor's to write)."""
    check_writes_household(actor, household)
    check_writes_house(actor, data.house)
    if data.house.town_id != household.town_id:
        raise InvalidInput(_("户不能迁到其他乡镇的房屋"), field="house")
    number, note = _check(data, household=household)
    values = {"house": data.house, "number": number, "note": note}
    return update_checked(household, values, now=now, recheck=lambda: _check(data, household=household))
