"""Idle farmhouses' revitalisation (闲置农房盘活) under 三权分置, with the household's added income.

``revitalise_house`` records that an idle farmhouse (闲置农房) was revitalised on a day, with the added income
(元/年) as people type it (3.5万元, 12,000); ``revitalised`` counts a year's revitalised houses and their added
income (盘活N户, 增收N万元), with the houses behind the numbers. Who may record it (``may_revitalise``, asked
through ``access.permissions``): the town's command room and admins, and the staff of the house's village.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Membership, User
from gridgov.data.people.enums import HouseUse, Revitalisation
from gridgov.data.people.models import House
from gridgov.data.sheets.cells import amount
from gridgov.data.sheets.framework import RowInvalid

TOWN_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
VILLAGE_ROLES = frozenset({Role.VILLAGE_STAFF})
MAX_INCOME = Decimal("100000000")


@dataclass(frozen=True, slots=True)
class _Reach:
    """Where ``user`` may record revitalisations: everywhere, the towns (paths) they keep, the villages they
    staff (paths) — the one rule that ``may_revitalise`` and ``revitalisable_houses`` read."""

    everywhere: bool
    towns: tuple[str, ...]
    villages: tuple[str, ...]


def _reach(user: User) -> _Reach:
    if not user.is_authenticated or not user.is_active:
        return _Reach(False, (), ())
    memberships = list(Membership.objects.filter(user=user, active=True).select_related("area"))
    everywhere = user.is_superuser or any(m.role == Role.ADMIN and m.area is None for m in memberships)
    towns = tuple(m.area.path for m in memberships if m.area is not None and m.role in TOWN_ROLES)
    villages = tuple(m.area.path for m in memberships if m.area is not None and m.role in VILLAGE_ROLES)
    return _Reach(everywhere, towns, villages)


def may_revitalise(user: User, house: House) -> bool:
    """The command room and admins of the house's town (a global admin anywhere), and the village staff whose
    area covers the house's village."""
    reach = _reach(user)
    return (
        reach.everywhere
        or any(house.town.path.startswith(path) for path in reach.towns)
        or any(house.village.path.startswith(path) for path in reach.villages)
    )


def revitalisable_houses(user: User, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """The houses of ``queryset`` (all houses by default) whose revitalisation ``user`` may record."""
    houses = House.objects.all() if queryset is None else queryset
    reach = _reach(user)
    if reach.everywhere:
        return houses
    condition = Q(pk__in=[])
    for path in reach.towns:
        condition |= Q(town__path__startswith=path)
    for path in reach.villages:
        condition |= Q(village__path__startswith=path)
    return houses.filter(condition)


def parse_income(raw: Decimal | str | int | None) -> Decimal:
    """The added income in 元 as people type it (3.5万元, 12,000 元); blank is 0."""
    try:
        value = amount(raw, column="added_income")
    except RowInvalid as error:
        raise InvalidInput(_("农户增收：%(e)s") % {"e": error.message}, field="added_income") from None
    if value is not None and value > MAX_INCOME:
        raise InvalidInput(_("农户增收过大，请核对（单位：元）"), field="added_income")
    return value or Decimal(0)


def revitalise_house(
    *, actor: User, house: House, on: date, added_income: Decimal | str | int, now: datetime | None = None
) -> House:
    """Record an idle farmhouse as revitalised on ``on`` with the household's added income (元/年)."""
    now = now or timezone.now()
    if not may_revitalise(actor, house):
        raise NotAllowed(_("只有镇指挥室、管理员或本村工作人员可以登记农房盘活"))
    if house.use != HouseUse.IDLE:
        raise InvalidInput(_("房屋“%(a)s”不是闲置农房") % {"a": house.address}, field="house")
    if on > timezone.localtime(now).date():
        raise InvalidInput(_("盘活日期不能晚于今天"), field="revitalised_on")
    income = parse_income(added_income)
    with transaction.atomic():
        House.objects.filter(pk=house.pk).update(
            revitalisation=Revitalisation.REVITALISED, revitalised_on=on, added_income=income, updated_at=now
        )
    house.revitalisation, house.revitalised_on, house.added_income, house.updated_at = (
        Revitalisation.REVITALISED,
        on,
        income,
        now,
    )
    return house


@dataclass(frozen=True)
class Revitalised:
    """A year's revitalised idle farmhouses (盘活N户) and their added income (增收N万元), with the houses."""

    households: int
    added_income: Decimal  # 元
    houses: QuerySet[House]

    @property
    def added_income_wan(self) -> Decimal:
        """The added income in 万元, two decimals (增收N万元)."""
        return (self.added_income / 10_000).quantize(Decimal("0.01"))


def revitalised(*, town: Area, year: int) -> Revitalised:
    """Idle farmhouses of ``town`` revitalised in ``year`` and the sum of their added income."""
    houses = House.objects.filter(
        town=town,
        use=HouseUse.IDLE,
        revitalisation=Revitalisation.REVITALISED,
        revitalised_on__gte=date(year, 1, 1),
        revitalised_on__lt=date(year + 1, 1, 1),
    )
    row = houses.aggregate(income=Sum("added_income"))
    total: Decimal = row["income"] or Decimal(0)
    return Revitalised(households=houses.count(), added_income=total.quantize(Decimal("0.01")), houses=houses)
