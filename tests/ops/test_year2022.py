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
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.org.models import Area
from gridgov.ops.demo.organisation import TOWN_CODE, build_organisation, load_organisation
from gridgov.ops.demo.year2022 import EVENTS, GRID_EVENTS, build_2022, built_2022

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2022, 1, 1, tzinfo=SHANGHAI)
END = datetime(2023, 1, 1, tzinfo=SHANGHAI)
AS_OF = datetime(2023, 1, 15, 9, tzinfo=SHANGHAI)  # the day of the work report


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


def test_2022_events_use_the_event_categories_even_after_the_ledgers_installed_theirs() -> None:
    """The demo command builds the current year's ledgers (which add the hazard and service categories)
    before 2022: the 2022 events still use only the 22 event categories (the year in review: 以22大项)."""
    from gridgov.data.enterprises.categories import install_enterprise_categories, install_service_categories
    from gridgov.data.taxonomy.models import Category

    org = build_organisation(random.Random(1))
    install_enterprise_categories(town=org.town)
    install_service_categories(town=org.town)
    assert Category.objects.filter(town=org.town, parent__isnull=True).count() == 24
    build_2022(town=org, rng=random.Random(2), scale=0.3, ledgers=False)
    used = Case.objects.filter(town=org.town, year=2022).values_list("major_category__code", flat=True)
    assert set(used) == {f"{n:02d}" for n in range(1, 23)}


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


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="full scale on SQLite; the small builds run everywhere")
def test_the_full_2022_matches_the_work_report_slow_but_run() -> None:
    """处理基层智治平台事件3124件，办结率100%；以22大项事件分类采集信息，通过网格共采集解决问题信息1460余条；
    全年发布创城督查通报5期，累计巡查发现并整改突出问题2000余条；全年共发布各类通报26期; 整改群租房1278间 and the
    register's other figures; and the economy.

    Slow but run: it is the figure the work report prints. How long the build takes is measured by the
    benchmark (bench/batch.py), against a baseline in the same run — never asserted here.
    """
    from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem
    from gridgov.data.reports.domain.year_review import year_review

    org = build_organisation(random.Random(2023))
    made = build_2022(town=org, rng=random.Random(4045))  # full scale: the events, every ledger, the bulletins
    # The ledgers add their own cases (hazards, inspection problems …); the events are the work report's figure.
    figures = year_figures_of_events(org.town)
    assert figures == {"events": 3124, "closed": 3124, "grid": 1468, "grid_closed": 1468}
    assert f"{figures['closed'] / figures['events']:.0%}" == "100%"
    assert made.events == 3124
    review = year_review(town=org.town, year=2022, as_of=AS_OF)
    texts = {s.topic: s.text for s in review.sentences}
    assert texts["基层智治"] == "处理基层智治平台事件3124件，办结率100%。"
    assert texts["网格治理"] == "以22大项事件分类采集信息，通过网格共采集解决问题信息1460余条。"
    assert texts["创城督查"] == "全年发布创城督查通报5期，累计巡查发现并整改突出问题2000余条。"
    assert texts["通报"] == "全年共发布各类通报26期。"
    # The register's, the visits' and social assistance's sentences, each counted from the 2022 records.
    people = ("群租房整改", "农房盘活", "纳管人员", "救助帮扶", "社会保障", "退役军人", "残疾人服务")
    assert [texts[topic] for topic in people] == [
        "开展群租房消防安全专项整治，整改群租房1278间。",
        "推进农房“三权分置”改革，盘活闲置农房205户，实现农户年增收240余万元。",
        "全年纳管人员1406人，切实做好“应管尽管”。",
        "深入开展救助帮扶工作，累计走访困难对象170户，发放慰问金21万元，低保低边及生活补助共计167万元。",
        "全面落实各类惠民政策，社会养老保险、医疗保险补助共61人次。",
        "关心关爱退役军人，完成301名退役军人优待证申领及发放。",
        "全年16名残疾人享受日间照料服务。",
    ]
    # Behind 2000余条: 2006 problems in five rounds, all rectified, each round ranked in its bulletin.
    problems = InspectionProblem.objects.filter(town=org.town, found_at__gte=START, found_at__lt=END)
    assert problems.count() == 2006
    assert problems.exclude(case__status=Status.CLOSED).count() == 0
    bulletins = InspectionBulletin.objects.filter(town=org.town, year=2022).order_by("seq")
    assert [len(b.snapshot["ranking"]) for b in bulletins] == [8] * 5
    assert [sum(row["problems"] for row in b.snapshot["ranking"]) for b in bulletins] == [398, 405, 412, 396, 395]
    economy = {s.topic: s.text for s in review.economy}
    assert economy["工业总产值"].startswith("全年实现工业总产值27.8亿元，")
    assert economy["规上工业产值"].startswith("全年实现规上工业产值26.1亿元，同比增长66.17%，")
    assert economy["财政总收入"].startswith("全年实现财政总收入1.89亿元，")
    assert economy["地方财政收入"].startswith("全年实现地方财政收入1.58亿元，")
    # 新增规上企业 and 重点企业固定资产投资 are said once: from the enterprise records (linked), not the indicators
    assert ("重点企业固定资产投资" in economy, "新增规上企业" in economy) == (False, False)
    assert texts["企业发展"].startswith("新增规上企业4家，重点企业固定资产投资7.7亿元，")
    assert all(broken is None for _case, broken in verify_chains(Case.objects.filter(town=org.town, year=2022)))
    # The past is written, not announced: no step of 2022 is owed a notification, and nobody was told of one.
    of_2022 = Case.objects.filter(town=org.town, year=2022)
    owed = CaseAction.objects.filter(case__in=of_2022, notify_due_at__isnull=False)
    assert (owed.count(), Notification.objects.filter(case__in=of_2022).count()) == (0, 0)


def year_figures_of_events(town: Area) -> dict[str, int]:
    """``year_figures`` narrowed to the events (kind 事件), as the year in review counts them."""
    cohort = Case.objects.filter(town=town, kind=Kind.EVENT, registered_at__gte=START, registered_at__lt=END)
    return cohort.aggregate(
        events=Count("pk"),
        closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__lt=END)),
        grid=Count("pk", filter=Q(channel=Channel.GRID_WORKER)),
        grid_closed=Count("pk", filter=Q(channel=Channel.GRID_WORKER, status=Status.CLOSED)),
    )


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
