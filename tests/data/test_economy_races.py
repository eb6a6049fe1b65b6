"""The economic ledgers when two people (or two workers) act at the same instant, each on its own connection
(threads, real transactions, on SQLite and on PostgreSQL): two periodic rounds open one supervision case per lagging
milestone; two desks moving one lead forward move it once; two desks entering one village's month write one row;
two progress reports that together pass the year's plan without a note are not both written. Never a server error.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest

from gridgov.data.cases.models import Case
from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.models import VillageIncome
from gridgov.data.errors import InvalidInput
from gridgov.data.investment.domain import LeadInput, advance_stage, record_lead
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import Lead, StageChange
from gridgov.data.projects.domain import ProgressInput, record_progress
from gridgov.data.projects.models import ProgressReport
from gridgov.data.projects.supervision import PROJECT_CATEGORY, supervise_lagging
from tests.data.investment.support import make_investor
from tests.data.projects.builders import project, today
from tests.factories import WORLD_NOW, build_world
from tests.locks import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


def _errors(results: list[object]) -> list[BaseException]:
    return [r for r in results if isinstance(r, BaseException)]


def test_two_periodic_rounds_at_once_open_one_case_per_lagging_milestone():
    world = build_world()
    base = today()
    built = project(
        world,
        name="渔港改造",
        plan=[("立项", base - timedelta(days=40)), ("开工", base - timedelta(days=10)), ("竣工", base - timedelta(3))],
        done={"立项": base - timedelta(days=40)},
    )
    rounds = run_together(supervise_lagging, supervise_lagging)
    assert _errors(rounds) == []
    opened = sorted(len(r) for r in rounds)
    cases = Case.objects.filter(category__code=PROJECT_CATEGORY.code)
    linked = sorted(pk for pk in built.milestones.values_list("case_id", flat=True) if pk is not None)
    assert (sum(opened), cases.count(), linked) == (2, 2, sorted(cases.values_list("pk", flat=True)))


def test_two_desks_moving_one_lead_forward_move_it_once():
    world = build_world()
    investor = make_investor(world)
    lead = record_lead(
        actor=investor,
        data=LeadInput(
            town=world.town, name="船用设备配套项目", source=Source.LEADER, industry=Industry.PETROCHEMICAL,
            lead_on=date(2026, 3, 2),
        ),
        now=WORLD_NOW,
    )  # fmt: skip
    move = partial(advance_stage, actor=investor, lead=lead, stage=Stage.TALKS, on=date(2026, 4, 1), now=WORLD_NOW)
    results = run_together(move, move)
    refusals = [(r.message, r.field) for r in results if isinstance(r, InvalidInput)]
    moved = [r for r in results if isinstance(r, Lead)]
    assert (len(moved), refusals) == (1, [("阶段：项目已处于“洽谈”，只能向前推进", "stage")])
    assert list(StageChange.objects.filter(lead=lead).values_list("to_stage", flat=True).order_by("pk")) == [
        Stage.LEAD,
        Stage.TALKS,
    ]


def test_two_desks_entering_one_village_month_write_one_row():
    world = build_world()
    entries = [
        IncomeInput(village=world.village_a, year=2026, month=3, kind=IncomeKind.OPERATING, amount=typed, note="")
        for typed in ("12,000", "1.3万")
    ]
    results = run_together(*[partial(record_income, actor=world.operator, data=e, now=WORLD_NOW) for e in entries])
    assert _errors(results) == []
    rows = VillageIncome.objects.filter(village=world.village_a, year=2026, month=3)
    assert rows.count() == 1
    assert rows.get().amount in {Decimal("12000.00"), Decimal("13000.00")}


def test_two_reports_passing_the_plan_together_are_not_both_written_without_a_note():
    world = build_world()
    built = project(world, name="前岸智慧停车场", total="300万", year_investment="100万")
    year = today().year
    reports = [ProgressInput(project=built, year=year, month=month, investment="60万", note="") for month in (1, 2)]
    results = run_together(*[partial(record_progress, actor=world.operator, data=r, now=WORLD_NOW) for r in reports])
    refused = [(r.field, "请在进展说明中写明原因" in r.message) for r in results if isinstance(r, InvalidInput)]
    assert (ProgressReport.objects.filter(project=built).count(), refused) == (1, [("note", True)])
