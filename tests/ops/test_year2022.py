"""岱西镇's 2022 in the demo: the work report's figures, produced by cases that went through the engine."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.org.models import Area
from gridgov.ops.demo.town import TOWN_CODE, build_organisation, load_organisation
from gridgov.ops.demo.year2022 import EVENTS, GRID_EVENTS, build_2022, built_2022, ledger_builders

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2022, 1, 1, tzinfo=SHANGHAI)
END = datetime(2023, 1, 1, tzinfo=SHANGHAI)


def year_figures(town: Area) -> dict[str, int]:
    """A plain recount of the work report's figures for 2022 (cohort = registered in 2022)."""
    cohort = Case.objects.filter(town=town, registered_at__gte=START, registered_at__lt=END)
    return cohort.aggregate(
        events=Count("pk"),
        closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__lt=END)),
        grid=Count("pk", filter=Q(channel=Channel.GRID_WORKER)),
        grid_closed=Count("pk", filter=Q(channel=Channel.GRID_WORKER, status=Status.CLOSED)),
    )


def test_a_small_2022_has_the_reports_shape() -> None:
    org = build_organisation(random.Random(1))
    made = build_2022(town=org, rng=random.Random(2), scale=0.05)
    events, grid = round(EVENTS * 0.05), round(GRID_EVENTS * 0.05)
    assert (made.events, made.grid_events) == (events, grid) == (156, 73)
    assert year_figures(org.town) == {"events": 156, "closed": 156, "grid": 73, "grid_closed": 73}
    year = Case.objects.filter(town=org.town, year=2022)
    # The rejected reports are reported in 2022 but never registered, so they are not among the events.
    assert year.filter(status=Status.REJECTED, registered_at__isnull=True).count() == made.rejected == 3
    assert year.count() == 156 + 3
    # Every step happened in 2022, through the engine (no imported actions), and the audit chains hold.
    actions = CaseAction.objects.filter(case__in=year)
    assert actions.filter(created_at__gte=END).count() == 0
    assert actions.filter(action=Action.IMPORT).count() == 0
    assert Notification.objects.filter(case__in=year).count() == 0  # a past year notifies nobody
    assert actions.count() == made.actions
    assert all(broken is None for _case, broken in verify_chains(year))
    # All eight villages and many categories take part; some cases went the long way.
    assert year.values("village").distinct().count() == 8
    assert year.values("major_category").distinct().count() >= 15
    assert year.filter(self_resolved=True).exists()
    assert actions.filter(action=Action.RATE).exists()
    assert built_2022(org.town) is True


def test_the_demo_command_adds_2022_once() -> None:
    call_command("demo_town", "--cases", "10", "--scale-2022", "0.02", "--no-ledgers")
    town = Area.objects.get(code=TOWN_CODE)
    first = year_figures(town)
    assert first == {"events": 62, "closed": 62, "grid": 29, "grid_closed": 29}
    call_command("demo_town", "--cases", "10", "--scale-2022", "0.02", "--no-ledgers")
    assert year_figures(town) == first


def test_an_existing_town_without_2022_gets_it(capsys) -> None:
    call_command("demo_town", "--cases", "5", "--no-2022", "--no-ledgers")
    town = Area.objects.get(code=TOWN_CODE)
    assert built_2022(town) is False
    org = load_organisation(town)
    assert (len(org.villages), len(org.grids), len(org.grid_workers)) == (8, 24, 24)
    capsys.readouterr()
    call_command("demo_town", "--scale-2022", "0.01", "--no-ledgers")
    out = capsys.readouterr().out
    assert "演示乡镇已存在，补充生成2022年数据" in out
    assert year_figures(town)["events"] == 31


def test_no_ledger_builders_are_required() -> None:
    assert all(callable(build) for build in ledger_builders())


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="full scale on SQLite; the small builds run everywhere")
def test_the_full_2022_matches_the_work_report_slow_but_run() -> None:
    """处理基层智治平台事件3124件，办结率100%；通过网格共采集解决问题信息1460余条.

    Slow but run: it is the figure the work report prints. How long the build takes is measured by the
    benchmark (bench/batch.py), against a baseline in the same run — never asserted here.
    """
    org = build_organisation(random.Random(2023))
    made = build_2022(town=org, rng=random.Random(4045), ledgers=False)
    figures = year_figures(org.town)
    assert figures == {"events": 3124, "closed": 3124, "grid": 1468, "grid_closed": 1468}
    assert f"{figures['closed'] / figures['events']:.0%}" == "100%"
    assert made.events == 3124


def test_2022_bulletins_are_numbered_within_the_year_and_counted_by_the_year_in_review() -> None:
    from gridgov.data.reports.domain.year_review import year_review
    from gridgov.data.reports.models import Bulletin
    from gridgov.ops.demo.year2022 import PLATFORM_BULLETINS_2022, issue_bulletins_2022

    org = build_organisation(random.Random(1))
    build_2022(town=org, rng=random.Random(2), scale=0.02, ledgers=False)
    assert issue_bulletins_2022(town=org) == PLATFORM_BULLETINS_2022 == 21
    issued = Bulletin.objects.filter(town=org.town, year=2022).order_by("number")
    assert list(issued.values_list("number", flat=True)) == list(range(1, 22))
    assert all(b.issued_at is not None and b.issued_at < END for b in issued)
    texts = {s.topic: s.text for s in year_review(town=org.town, year=2022).sentences}
    inspections = 0  # the inspection ledger's 2022 bulletins are not built here (ledgers=False)
    assert texts["通报"] == f"全年共发布各类通报{21 + inspections}期。"


class _Killed(Exception):
    """Stands in for the process being killed between two slices."""


def test_a_build_killed_between_slices_is_finished_by_a_rerun_with_every_number_once() -> None:
    org = build_organisation(random.Random(1))

    def die_after_the_first_slice(done: int, total: int) -> None:
        if done < total:
            raise _Killed

    with pytest.raises(_Killed):
        build_2022(town=org, rng=random.Random(2), scale=0.05, ledgers=False, progress=die_after_the_first_slice)
    year = Case.objects.filter(town=org.town, year=2022)
    interrupted = year.count()
    assert 0 < interrupted < 159
    assert built_2022(org.town) is False

    made = build_2022(town=org, rng=random.Random(2), scale=0.05, ledgers=False)
    assert (made.events, made.rejected) == (156, 3)
    assert year_figures(org.town) == {"events": 156, "closed": 156, "grid": 73, "grid_closed": 73}
    assert sorted(year.values_list("seq", flat=True)) == list(range(1, 160))  # none skipped, none twice
    assert all(broken is None for _case, broken in verify_chains(year))
    assert built_2022(org.town) is True
    build_2022(town=org, rng=random.Random(2), scale=0.05, ledgers=False)  # a third run adds nothing
    assert year.count() == 159


def test_a_ledger_step_is_done_once_and_an_interrupted_one_is_not_doubled(caplog) -> None:
    from gridgov.ops.demo.models import DemoStep
    from gridgov.ops.demo.year2022 import _step

    org = build_organisation(random.Random(1))
    runs: list[str] = []
    assert _step(org.town, "2022:example", lambda: runs.append("ran")) is True
    assert _step(org.town, "2022:example", lambda: runs.append("again")) is False
    assert runs == ["ran"]
    DemoStep.objects.create(town=org.town, name="2022:cut-short", started_at=END)  # started, never finished
    assert _step(org.town, "2022:cut-short", lambda: runs.append("doubled")) is False
    assert runs == ["ran"]
    assert "上次生成时被中断" in caplog.text
