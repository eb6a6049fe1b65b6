"""Idle farmhouses' revitalisation (闲置农房盘活) under 三权分置, with the household's added income.

``revitalise_house`` records that an idle farmhouse (闲置农房) was revitalised on a day, with the added income
(元/年) as people type it (3.5万元, 12,000); ``revitalised`` counts a year's revitalised houses and their added
income (盘活N户, 增收N万元), with the houses behind the numbers. Who may record it is the register's scope rule
(``people.scope.may_revitalise``, asked through ``access.permissions``): the town's command room and admins, and
the staff of the house's village.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.models import Area, User
from gridgov.data.people.enums import HouseUse, Revitalisation
from gridgov.data.people.models import House
from gridgov.data.people.scope import may_revitalise

MAX_INCOME = Decimal("100000000")


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
    income = parse_amount(added_income, field="added_income", label=_("农户增收"), maximum=MAX_INCOME)
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
