"""Rankings (ties, n, small samples), the rollup commands, random action sequences and the benchmark smoke run."""

from __future__ import annotations

import contextlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.data.cases.domain.rollups import count_pending_reports
from gridgov.data.cases.enums import Action, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError
from gridgov.data.metrics import rollups
from gridgov.data.metrics.indicators import Period, Scope, count, count_by, ranking
from gridgov.data.metrics.models import DailyRollup
from gridgov.data.org.models import Area
from tests.data.metrics.conftest import _dispatched, _resolve, act
from tests.factories import TownWorld, at, photo

NOV = Period.month(2026, 11)
T = at(2026, 11, 20, 12, 0)


def _closed(w: TownWorld, area: Area) -> Case:
    case = _dispatched(w, area=area)
    _resolve(w, case, at(2026, 11, 16, 10, 0))
    act(case, w.operator, Action.VERIFY_PASS, at(2026, 11, 16, 10, 10))
    return case


def test_ties_share_a_rank_and_order_by_n_then_name(world):
    _closed(world, world.grid_a)
    _closed(world, world.grid_b)
    _closed(world, world.grid_b)
    rows = ranking(town=world.town, period=NOV, by="village", as_of=T)
    assert [(r.rank, r.name, r.n, r.score.display, r.note) for r in rows] == [
        (1, "火箭村", 2, "100.0", "样本少"),
        (1, "双合村", 1, "100.0", "样本少"),
    ]


def test_a_lower_score_takes_the_rank_after_the_tie_and_empty_members_come_last(world):
    for area in (world.grid_a, world.grid_b):
        _closed(world, area)
    late = _dispatched(world, area=world.grid_b)
    _resolve(world, late, at(2026, 11, 18, 10, 0))  # after its 14:32 deadline; awaiting verification
    rows = ranking(town=world.town, period=NOV, by="department", as_of=T)
    # 执法中队 holds all three: 100 × (0.5 × 2/3 + 0.2 × 2/3 + 0.15 × 1) / 0.85 = 72.5
    assert [(r.rank, r.name, r.n, r.score.display) for r in rows] == [
        (1, "综合行政执法中队", 3, "72.5"),
        (None, "双合村村民委员会", 0, "—"),
        (None, "村镇建设办", 0, "—"),
        (None, "火箭村村民委员会", 0, "—"),
    ]
    villages = ranking(town=world.town, period=NOV, by="village", as_of=T)
    assert [(r.rank, r.name, r.score.display) for r in villages] == [(1, "双合村", "100.0"), (2, "火箭村", "58.8")]


def test_grid_worker_ranking_names_the_workers(world):
    _closed(world, world.grid_a)
    rows = ranking(town=world.town, period=NOV, by="grid_worker", as_of=T)
    assert [(r.rank, r.name, r.n) for r in rows] == [(1, "孙网格", 1), (None, "周网格", 0)]


def test_a_member_left_with_no_cases_is_absent_as_in_the_recount(world):
    case = _dispatched(world, area=world.grid_a)
    act(case, world.operator, Action.REDISPATCH, at(2026, 11, 16, 9, 30), department=world.dept_b)
    by_department = count_by(town=world.town, period=NOV, group="department", as_of=T)
    assert list(by_department) == [world.dept_b.pk]
    assert by_department == count_by(town=world.town, period=NOV, group="department", as_of=T, recount=True)


def test_check_rollups_fails_loudly_and_rebuild_repairs(world):
    _closed(world, world.grid_a)
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert out.getvalue() == "岱西镇: 一致\n"
    DailyRollup.objects.filter(town=world.town, dim="village").update(closed=7)
    with pytest.raises(CommandError) as error:
        call_command("check_rollups", stdout=io.StringIO(), stderr=io.StringIO())
    assert str(error.value) == "指标日汇总与重新统计不一致：1 行"
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert rollups.check(town=world.town) == []


ACTIONS = [
    ("operator", Action.REGISTER, {}),
    ("operator", Action.REJECT, {"note": "重复"}),
    ("operator", Action.DISPATCH, {"department": "dept_a"}),
    ("operator", Action.DISPATCH, {"department": "dept_b"}),
    ("operator", Action.REDISPATCH, {"department": "dept_b"}),
    ("handler", Action.SIGN, {}),
    ("handler", Action.RETURN, {"note": "非本部门"}),
    ("handler", Action.RESOLVE, {"note": "已处理", "photos": "photo"}),
    ("grid_worker_a", Action.VERIFY_PASS, {}),
    ("grid_worker_a", Action.VERIFY_FAIL, {"note": "返工"}),
    ("operator", Action.SUSPEND, {"note": "缓办"}),
    ("operator", Action.RESUME, {}),
    ("operator", Action.RATE, {"rating": Satisfaction.BASICALLY}),
    ("operator", Action.RATE, {"rating": Satisfaction.UNSATISFIED}),
    ("operator", Action.REOPEN, {"note": "重新办理"}),
    ("operator", Action.RECLASSIFY, {"category": "category_days"}),
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, len(ACTIONS) - 1), st.integers(1, 60 * 30)), max_size=25
    ),
    worker_counts_before=st.integers(0, 25),
)
def test_random_actions_keep_the_rollups_equal_to_a_recount(world, steps, worker_counts_before):
    """Whether the task worker has added the reports' day counts before, between or after the actions, the
    indicators equal a recount, and so do the rollup rows once it has."""
    start = at(2026, 11, 2, 9, 0)
    cases = [world.report(now=start, area=area) for area in (world.grid_a, world.grid_b, world.grid_a)]
    when = start
    for number, (index, choice, minutes) in enumerate(steps):
        if number == worker_counts_before:
            assert count_pending_reports() == 3
        when += timedelta(minutes=minutes)
        who, action, kwargs = ACTIONS[choice]
        case = cases[index]
        case.refresh_from_db()
        actor = {"operator": world.operator, "grid_worker_a": world.grid_worker_a}.get(who)
        if who == "handler":
            actor = world.handler_b if case.department_id == world.dept_b.pk else world.handler_a
        resolved = {
            k: (photo() if v == "photo" else getattr(world, v) if isinstance(v, str) and hasattr(world, v) else v)
            for k, v in kwargs.items()
        }
        with contextlib.suppress(DomainError):
            act(case, actor, action, when, **resolved)
    as_of = when + timedelta(days=3)
    for _ in range(2):  # as the actions left it, and once the worker has counted every report
        assert rollups.check(town=world.town) == []
        for group in ("village", "department", "category", "month"):
            assert count_by(town=world.town, period=NOV, group=group, as_of=as_of) == count_by(
                town=world.town, period=NOV, group=group, as_of=as_of, recount=True
            )
        scope = Scope(town=world.town)
        assert count(scope=scope, period=NOV, as_of=as_of) == count(scope=scope, period=NOV, as_of=as_of, recount=True)
        count_pending_reports()
    assert list(Case.objects.filter(report_rolled_up=False)) == []


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_runs_at_a_thousand_cases():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "bench" / "indicators.py"
    spec = importlib.util.spec_from_file_location("bench_indicators", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines: list[str] = []
    assert module.run(1000, repeat=1, out=lines.append) is True
    assert lines[0].endswith("1,000 cases bulk-created in " + lines[0].split(" in ")[-1])
    assert [line.split()[-1] for line in lines[3:7]] == ["yes", "yes", "yes", "yes"]
