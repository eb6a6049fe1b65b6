"""The demo's key projects: 岱西镇's 2022 reads as the 2023 work report — 双合入岛门户打造21个工程项目全面启动 …
前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等项目超时序完成; 超额完成抛荒地整治520亩;
投入250万元实施8个乡村蝶变项目 — and this year's live projects have their lagging milestones supervised;
built again, nothing is written twice."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.utils import timezone

from gridgov.data.cases.models import Case
from gridgov.data.projects.enums import Schedule
from gridgov.data.projects.figures import year_figures
from gridgov.data.projects.models import Milestone, ProgressPhoto, ProgressReport, Project
from gridgov.data.projects.schedule import schedule_q
from gridgov.data.projects.supervision import PROJECT_CATEGORY
from gridgov.data.reports.domain.year_review import review_sentences
from gridgov.ops.demo.ledgers_2022 import projects
from gridgov.ops.demo.organisation import build_organisation
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

pytestmark = pytest.mark.django_db
AS_OF = datetime(2023, 1, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))  # the day of the work report


def test_2022_reads_like_the_work_report() -> None:
    assert LEDGER_BUILDERS["projects"] is projects.build
    org = build_organisation(random.Random(1))
    projects.build(town=org.town, rng=random.Random(7), year=2022)
    found = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert {key: f.value for key, f in found.items()} == {
        "group_projects": 21,
        "projects_ahead": 4,
        "land_mu": Decimal(520),
        "renewal_projects": 8,
        "renewal_investment": Decimal(2_500_000),
    }
    text = {s.topic: s.text for s in review_sentences({"projects": found})}["重点项目"]
    assert text == (
        "双合入岛门户打造21个工程项目全面启动，前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等4个项目超时序完成；"
        "超额完成抛荒地整治520亩；投入250万元实施8个乡村蝶变项目。"
    )
    planned = Project.objects.aggregate(total=Sum("year_investment"))["total"]
    done = ProgressReport.objects.filter(year=2022).aggregate(total=Sum("investment"))["total"]
    unreported = Project.objects.exclude(reports__year=2022).count()
    assert (done, unreported) == (planned, 0)  # each finished project reported its plan month by month
    count, reports = Project.objects.count(), ProgressReport.objects.count()
    projects.build(town=org.town, rng=random.Random(7), year=2022)
    assert (Project.objects.count(), ProgressReport.objects.count()) == (count, reports)
    assert count == 30
    assert Case.objects.count() == 0  # every 2022 milestone was done: nothing to supervise


def test_this_year_has_projects_behind_with_their_supervision_cases() -> None:
    org = build_organisation(random.Random(1))
    year = timezone.localdate().year
    projects.build(town=org.town, rng=random.Random(7), year=year)
    today = timezone.localdate()
    behind = Project.objects.filter(schedule_q(Schedule.BEHIND, today=today), year=year)
    assert sorted(behind.values_list("name", flat=True)) == ["摇星浦村乡村蝶变", "滨海绿廊"]
    ahead = Project.objects.filter(schedule_q(Schedule.AHEAD, today=today), year=year)
    assert list(ahead.values_list("name", flat=True)) == ["公园服务驿站"]
    supervised = Milestone.objects.filter(case__isnull=False)
    assert supervised.count() == 3
    cases = Case.objects.filter(category__code=PROJECT_CATEGORY.code)
    assert cases.count() == 3
    assert set(cases.values_list("department__code", flat=True)) == {"JSB", "NYB"}
    reports = ProgressReport.objects.filter(year=year)
    assert ProgressPhoto.objects.filter(report__in=reports).count() == reports.count()  # a site photo each
    projects.build(town=org.town, rng=random.Random(7), year=year)
    assert (Project.objects.count(), cases.count()) == (5, 3)
