"""A hand-built November 2026 for the indicator tests (expected values are worked out in the tests).

All cases are reported on Monday 16 November 2026 at 09:00 (working week, no holiday); the handling limit of
暴露垃圾 is 4 working hours, so a case dispatched at 09:02 is due at 14:32 the same day; 路灯 has 3 working
days, due Thursday 19 November at 09:02.

| case | where | what happens | at 20 Nov 12:00 |
|---|---|---|---|
| c1 | A | registered, dispatched to 执法中队, resolved 10:00, closed, rated 满意 | closed on time |
| c2 | A | same, resolved next day 10:00 (late), closed, rated 不满意 | closed late |
| c3 | A | resolved 10:00, 返工 10:10, resolved 11:00, closed, rated 基本满意 | closed on time, reworked |
| c4 | A | registered, suspended (缓办) | suspended |
| c5 | A | rejected (不予立案) | — |
| c6 | A | resolved on the spot (自行处置) by the grid worker | closed on time |
| c7 | A | 路灯, dispatched to 执法中队, signed, nothing more | handling, late after 19 Nov 09:02 |
| c8 | A | reported by a resident (群众上报), untouched | reported only |
| c9 | B | reported by grid worker B, dispatched to 建设办, resolved 10:00 | awaiting verification, on time |
| c10 | A | reported and registered in October | outside the period |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.rollups import count_pending_reports
from gridgov.data.cases.enums import Action, Channel, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.org.models import User
from tests.factories import TownWorld, at, photo


@dataclass
class November:
    world: TownWorld
    cases: dict[str, Case]


def act(case: Case, actor: User, action: Action, when: datetime, **kwargs: object) -> None:
    apply_action(case_id=case.pk, actor=actor, action=action, now=when, **kwargs)


def _dispatched(w: TownWorld, *, category=None, area=None, reporter=None, dept=None, handler=None) -> Case:
    case = w.report(now=at(2026, 11, 16, 9, 0), category=category, area=area, reporter=reporter)
    act(case, w.operator, Action.REGISTER, at(2026, 11, 16, 9, 1))
    act(case, w.operator, Action.DISPATCH, at(2026, 11, 16, 9, 2), department=dept or w.dept_a)
    act(case, handler or w.handler_a, Action.SIGN, at(2026, 11, 16, 9, 3))
    return case


def _resolve(w: TownWorld, case: Case, when: datetime, handler: User | None = None) -> None:
    act(case, handler or w.handler_a, Action.RESOLVE, when, note="已处理", photos=photo())


def build_november(w: TownWorld) -> November:
    c: dict[str, Case] = {}
    c["c1"] = _dispatched(w)
    _resolve(w, c["c1"], at(2026, 11, 16, 10, 0))
    act(c["c1"], w.grid_worker_a, Action.VERIFY_PASS, at(2026, 11, 16, 10, 10))
    act(c["c1"], w.operator, Action.RATE, at(2026, 11, 16, 10, 20), rating=Satisfaction.SATISFIED)

    c["c2"] = _dispatched(w)
    _resolve(w, c["c2"], at(2026, 11, 17, 10, 0))
    act(c["c2"], w.grid_worker_a, Action.VERIFY_PASS, at(2026, 11, 17, 10, 10))
    act(c["c2"], w.operator, Action.RATE, at(2026, 11, 17, 10, 20), rating=Satisfaction.UNSATISFIED)

    c["c3"] = _dispatched(w)
    _resolve(w, c["c3"], at(2026, 11, 16, 10, 0))
    act(c["c3"], w.grid_worker_a, Action.VERIFY_FAIL, at(2026, 11, 16, 10, 10), note="未清理干净")
    _resolve(w, c["c3"], at(2026, 11, 16, 11, 0))
    act(c["c3"], w.grid_worker_a, Action.VERIFY_PASS, at(2026, 11, 16, 11, 10))
    act(c["c3"], w.operator, Action.RATE, at(2026, 11, 16, 11, 20), rating=Satisfaction.BASICALLY)

    c["c4"] = w.report(now=at(2026, 11, 16, 9, 0))
    act(c["c4"], w.operator, Action.REGISTER, at(2026, 11, 16, 9, 1))
    act(c["c4"], w.operator, Action.SUSPEND, at(2026, 11, 16, 9, 5), note="等待司法结论")

    c["c5"] = w.report(now=at(2026, 11, 16, 9, 0))
    act(c["c5"], w.operator, Action.REJECT, at(2026, 11, 16, 9, 1), note="重复上报")

    c["c6"] = report_case(
        town=w.town,
        reporter=w.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=w.category,
        description="路边垃圾",
        area=w.grid_a,
        resolve_on_spot=True,
        resolution_note="已当场清理",
        resolution_photos=photo(),
        now=at(2026, 11, 16, 9, 0),
    )

    c["c7"] = _dispatched(w, category=w.category_days)

    c["c8"] = w.report(now=at(2026, 11, 16, 9, 0), reporter=w.resident, channel=Channel.RESIDENT)

    c["c9"] = _dispatched(w, area=w.grid_b, reporter=w.grid_worker_b, dept=w.dept_b, handler=w.handler_b)
    _resolve(w, c["c9"], at(2026, 11, 16, 10, 0), handler=w.handler_b)

    c["c10"] = w.report(now=at(2026, 10, 12, 9, 0))
    act(c["c10"], w.operator, Action.REGISTER, at(2026, 10, 12, 9, 1))
    for key, case in c.items():
        case.refresh_from_db()
        c[key] = case
    return November(world=w, cases=c)


@pytest.fixture(params=["counted live", "rolled up"])
def november(world: TownWorld, request: pytest.FixtureRequest) -> November:
    """Every indicator test runs twice: with the reports' day counts still waiting for the task worker (the
    indicators count them live), and after the worker has added them to the rollups."""
    built = build_november(world)
    if request.param == "rolled up":
        assert count_pending_reports() == len(built.cases)
    return built
