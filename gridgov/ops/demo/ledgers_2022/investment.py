"""岱西镇's investment attraction (招商引资), entered through ``investment.domain`` as the town's 经济发展办 would.

For a finished year (2022, the work report's): "全年引进项目10个，其中亿元项目1个，重大产业项目1个 …
引进石化配套企业1家；全年新增企业16家，到位资金2.1亿元" —
- ten leads signed in the year (引进): one 石化配套 project of 1.5亿元 (the 亿元项目), one 重大产业项目 of
  9,000万元, the others under 1亿 in 船舶修造, 水产加工, 文旅 and 其他; eight of them land and register their
  enterprise in the year;
- eight leads signed the year before land in the year and register theirs: 16 new enterprises, each with a valid
  synthetic unified social credit code, created in the enterprise ledger;
- monthly arrivals of those leads (never before a lead's signing month) adding up to exactly 2.1亿元;
- a few leads still at 线索 or 洽谈.

For the current year (live ledgers): leads at each stage, their enterprises where landed, and arrivals up to the last
finished month. Built again, it writes nothing (the year's leads are recognised by their note).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gridgov.data.investment.domain import (
    ArrivalInput,
    LeadInput,
    NewEnterpriseInput,
    record_arrival,
    record_lead,
    register_enterprise,
)
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.investment.models import Lead
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, Membership, User
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.ops.demo.ledgers_2022.enterprises import synthetic_credit_code
from gridgov.ops.demo.ledgers_2022.people_register import split_total
from gridgov.ops.demo.ledgers_2022.tables import read_table

WAN = 10_000
FUNDS_ARRIVED = 21_000  # 万元: 2.1亿元 in the finished year
PERSONS = ("孙建国", "周海峰", "吴志强")


@dataclass(frozen=True)
class Plan:
    name: str
    industry: Industry
    source: Source
    amount_wan: int  # the signed amount in 万元 (0: not signed)
    major: bool = False
    enclave: str = ""


def _plans(group: str) -> tuple[Plan, ...]:
    """The leads of ``group`` in investment_leads.csv, in its order: ``introduced`` (the finished year's ten, in
    signing order), ``earlier`` (the year before's eight that land in it), ``unsigned`` (still at 线索 or 洽谈) and
    ``current`` (this year's live ledger: nine leads at every stage, two at 线索 … one at 投产)."""
    return tuple(
        Plan(
            name=row["name"],
            industry=Industry(row["industry"]),
            source=Source(row["source"]),
            amount_wan=int(row["amount_wan"]),
            major=row["major"] == "yes",
            enclave=row["enclave"],
        )
        for row in read_table("investment_leads.csv")
        if row["group"] == group
    )


INTRODUCED = _plans("introduced")
EARLIER = _plans("earlier")
UNSIGNED = _plans("unsigned")
CURRENT = _plans("current")
LANDING_IN_YEAR = 8  # of INTRODUCED, the first eight land and register their enterprise in the year


def _note(year: int) -> str:
    return f"演示数据：{year}年招商台账"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), tzinfo=SHANGHAI)


def _actor(town: Area) -> User:
    """The town's 经济发展办 handler (the demo's 'jingfaban'), else its command room's operator."""
    office = Department.objects.filter(town=town, code="JFB").first()
    found = Membership.objects.filter(department=office, role=Role.HANDLER, active=True).select_related("user").first()
    if found is None:
        found = Membership.objects.filter(area=town, role=Role.OPERATOR, active=True).select_related("user").first()
    if found is None:
        raise ValueError("演示组织缺少经济发展办或指挥室账号")
    return found.user


def _credit_code(rng: random.Random, town: Area) -> str:
    """A valid synthetic unified social credit code of 岱山县, not yet used in the town."""
    while True:
        code = synthetic_credit_code(rng)
        if not Enterprise.objects.filter(town=town, credit_code=code).exists():
            return code


class _Builder:
    def __init__(self, *, town: Area, rng: random.Random, year: int) -> None:
        self.town, self.rng, self.year = town, rng, year
        self.actor = _actor(town)
        self.office = Department.objects.filter(town=town, code="JFB").first()
        self.villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
        self.latest = timezone.now()

    def lead(self, plan: Plan, days: list[date]) -> Lead:
        """Enter ``plan`` at the stage ``days`` reach (lead, talks, signed, landed, producing)."""
        stages = [*days, None, None, None, None][:5]
        data = LeadInput(
            town=self.town,
            name=plan.name,
            source=plan.source,
            industry=plan.industry,
            lead_on=stages[0],
            talks_on=stages[1],
            signed_on=stages[2],
            landed_on=stages[3],
            producing_on=stages[4],
            signed_amount=Decimal(plan.amount_wan * WAN) if len(days) >= 3 else None,
            major_industrial=plan.major,
            enclave=bool(plan.enclave),
            enclave_place=plan.enclave,
            department=self.office,
            person=self.rng.choice(PERSONS),
            village=self.rng.choice(self.villages) if self.villages else None,
            note=_note(self.year),
        )
        return record_lead(actor=self.actor, data=data, now=min(_moment(days[-1] + timedelta(days=1)), self.latest))

    def enterprise(self, lead: Lead, registered_on: date) -> None:
        data = NewEnterpriseInput(
            credit_code=_credit_code(self.rng, self.town),
            name=f"舟山{lead.name.removesuffix('项目')}有限公司",
            registered_on=registered_on,
        )
        register_enterprise(actor=self.actor, lead=lead, data=data, now=min(_moment(registered_on), self.latest))

    def arrival(self, lead: Lead, month: int, amount_wan: int) -> None:
        moment = min(_moment(date(self.year, month, 28)), self.latest)
        data = ArrivalInput(lead=lead, year=self.year, month=month, amount=Decimal(amount_wan * WAN))
        record_arrival(actor=self.actor, data=data, now=moment)


def _finished_year(b: _Builder) -> None:
    year = b.year
    introduced: list[tuple[Lead, int]] = []  # (lead, signing month)
    for index, plan in enumerate(INTRODUCED):
        signed = date(year, index + 1, 10)
        days = [signed - timedelta(days=75), signed - timedelta(days=30), signed]
        if index < LANDING_IN_YEAR:
            days.append(signed + timedelta(days=45))
        lead = b.lead(plan, days)
        if index < LANDING_IN_YEAR:
            b.enterprise(lead, days[-1] + timedelta(days=6))
        introduced.append((lead, signed.month))
    earlier: list[tuple[Lead, int]] = []
    for index, plan in enumerate(EARLIER):
        signed = date(year - 1, index + 3, 15)
        landed = date(year, index % 4 + 1, 12)
        lead = b.lead(plan, [signed - timedelta(days=60), signed - timedelta(days=20), signed, landed])
        b.enterprise(lead, landed + timedelta(days=8))
        earlier.append((lead, 1))
    for index, plan in enumerate(UNSIGNED):
        start = date(year, 9 + index, 5)
        b.lead(plan, [start] if index % 2 == 0 else [start, start + timedelta(days=20)])
    # Two arrivals a month, each from a lead signed by then: 2.1亿元 in all.
    entries: list[tuple[Lead, int]] = []
    signed_leads = earlier + introduced
    for month in range(1, 13):
        eligible = [lead for lead, signed_month in signed_leads if signed_month <= month]
        for lead in b.rng.sample(eligible, 2):
            entries.append((lead, month))
    amounts = split_total(Decimal(FUNDS_ARRIVED), len(entries), b.rng, step=1, spread=0.4)
    for (lead, month), amount in zip(entries, amounts, strict=True):
        b.arrival(lead, month, int(amount))


def _current_year(b: _Builder) -> None:
    today = timezone.localdate(b.latest)
    # Stages reached: two at 线索, two at 洽谈, two at 签约, two at 落地, one at 投产.
    reached = (1, 1, 2, 2, 3, 3, 4, 4, 5)
    landed: list[Lead] = []
    signed: list[Lead] = []
    for index, (plan, count) in enumerate(zip(CURRENT, reached, strict=True)):
        start = today - timedelta(days=200 - index * 9)
        days = [start + timedelta(days=step * 25) for step in range(count)]
        days = [min(day, today) for day in days]
        lead = b.lead(plan, days)
        if count >= 3:
            signed.append(lead)
        if count >= 4:
            landed.append(lead)
    for lead in landed:
        registered = min((lead.landed_on or today) + timedelta(days=5), today)
        b.enterprise(lead, registered)
    for month in range(1, today.month):  # the finished months only
        for lead in signed:
            if lead.signed_on is not None and (lead.signed_on.year, lead.signed_on.month) <= (b.year, month):
                b.arrival(lead, month, b.rng.randint(50, 600))


def build(*, town: Area, rng: random.Random, year: int) -> None:
    """The ledger's step of the demo's year (``year2022.LEDGER_BUILDERS``): a finished year as the work report
    tells it, the current year as live ledgers; nothing again once built."""
    if Lead.objects.filter(town=town, note=_note(year)).exists():
        return
    builder = _Builder(town=town, rng=rng, year=year)
    with transaction.atomic():
        if year < timezone.localdate().year:
            _finished_year(builder)
        else:
            _current_year(builder)
