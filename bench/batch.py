"""Benchmark of the batch paths: how long they hold the write lock, and how long the demo's 2022 takes.

    uv run python bench/batch.py [--rows 3000] [--no-2022]     # SQLite in a temporary file
    bin/with-postgres uv run python bench/batch.py              # PostgreSQL (the database is flushed!)

Every outermost transaction is timed from its start to its commit or rollback (on SQLite, with
``transaction_mode = IMMEDIATE``, that is exactly the time the database's write lock is held). In one run:

1. history import: ``--rows`` rows of an old platform's export (.xlsx) imported all or nothing through the
   sheets framework and the history importer (check without the lock, then the bulk path), beside a
   baseline — a plain ``bulk_create`` of the same number of cases and actions in one transaction;
2. each ledger import (``--ledger-rows`` open rows of 隐患, 企业诉求, 问题清单, 信访纠纷 and 督查问题 — each a
   live case — imported all or nothing: checked and planned without the lock, then the bulk path), beside
   the same baseline scaled to its cases and actions;
3. each economic ledger import (``--economy-rows`` rows of 重点项目, 招商项目, 企业年度数据 and 村级集体经济收入),
   beside the same baseline for as many cases with three actions each;
4. the demo's whole 2022 (3124 events, the rejected reports, the ledgers and bulletins), beside the same
   baseline scaled to its number of cases and actions.

Prints the longest transaction and the total lock time of each, and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GRIDGOV_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("GRIDGOV_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDEyMzQ1Njc4OSE=")  # bench-only
os.environ.setdefault("GRIDGOV_TASK_BACKEND", "django.tasks.backends.dummy.DummyBackend")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "gridgov.settings"

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.metrics import rollups
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.framework import ImportContext, get_importer, import_sheet
from gridgov.data.taxonomy.models import Category
from gridgov.ops.demo.organisation import Town, build_organisation
from gridgov.ops.demo.year2022 import build_2022


class LockTimer:
    """Times every outermost transaction (from its start to its commit or rollback)."""

    def __init__(self) -> None:
        self.spans: list[float] = []
        self._started: float | None = None
        original = connection.set_autocommit

        def set_autocommit(autocommit: bool, *args: Any, **kwargs: Any) -> None:
            if not autocommit and self._started is None:
                self._started = time.perf_counter()
            original(autocommit, *args, **kwargs)
            if autocommit and self._started is not None:
                self.spans.append(time.perf_counter() - self._started)
                self._started = None

        connection.set_autocommit = set_autocommit  # type: ignore[method-assign]

    @contextmanager
    def measure(self) -> Iterator[list[float]]:
        found: list[float] = []
        before = len(self.spans)
        yield found
        found.extend(self.spans[before:])


def summary(name: str, spans: list[float], seconds: float) -> tuple[float, float]:
    longest = max(spans, default=0.0)
    total = sum(spans)
    over = sum(1 for s in spans if s > 0.2)
    print(
        f"{name}: {seconds:.2f} s wall, {len(spans)} transactions, longest {longest * 1000:.0f} ms, "
        f"total lock {total * 1000:.0f} ms, {over} over 200 ms"
    )
    return longest, total


HEADERS = ["事件编号", "事件分类", "所属村（社区）", "所属网格", "来源渠道", "事件描述", "上报时间", "立案时间"]
HEADERS += ["派遣时间", "处置完成时间", "结案时间", "返工次数", "满意度", "状态"]


def history_xlsx(town: Area, rows: int, rng: random.Random) -> bytes:
    codes = list(Category.objects.filter(town=town, parent__isnull=False, active=True).values_list("code", flat=True))
    grids = list(Area.objects.filter(town=town, level=AreaLevel.GRID).select_related("parent"))
    book = Workbook()
    writer = book.active
    assert writer is not None
    writer.append(HEADERS)
    start = datetime(2021, 1, 4, 8, 0, tzinfo=timezone.get_default_timezone())
    for n in range(1, rows + 1):
        grid = rng.choice(grids)
        reported = start + timedelta(minutes=n * 97)
        moments = [reported + timedelta(minutes=m) for m in (20, 40, 60 * 26, 60 * 30)]
        text = [m.strftime("%Y-%m-%d %H:%M") for m in [reported, *moments]]
        place = [grid.parent.name if grid.parent else "", grid.name]
        outcome = [str(int(rng.random() < 0.07)), rng.choice(["满意", "基本满意", ""]), "已结案"]
        writer.append(
            [f"OLD-{n:06d}", rng.choice(codes), *place, "网格员上报", "路边垃圾桶满溢", text[0], *text[1:], *outcome]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def baseline(town: Area, cases: int, actions_per_case: int, timer: LockTimer) -> list[float]:
    """A plain bulk_create of ``cases`` cases and their actions in one transaction (then deleted)."""
    model = Case.objects.filter(town=town).first()
    assert model is not None
    fields = {f.attname: getattr(model, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"}
    with timer.measure() as spans, transaction.atomic():
        made = Case.objects.bulk_create(
            [Case(**{**fields, "number": f"BASE-{n}", "seq": 900000 + n}) for n in range(cases)], batch_size=500
        )
        CaseAction.objects.bulk_create(
            [
                CaseAction(
                    town_id=town.pk, case=c, seq=s, action="import", to_status="closed", created_at=c.reported_at
                )
                for c in made
                for s in range(1, actions_per_case + 1)
            ],
            batch_size=1000,
        )
    ids = [c.pk for c in made]
    for i in range(0, len(ids), 500):
        CaseAction.objects.filter(case_id__in=ids[i : i + 500]).delete()
        Case.objects.filter(pk__in=ids[i : i + 500]).delete()
    return spans


LEDGER_KINDS = ("hazards", "service-requests", "problem-items", "disputes", "inspection-problems")


def ledger_sheets(org: Town, rows: int) -> dict[str, bytes]:
    """Each ledger of ``rows`` open rows (still to be handled: each becomes a live case), as an .xlsx file."""
    from gridgov.data.enterprises.categories import install_enterprise_categories, install_hazard_categories
    from gridgov.data.inspections.domain import ItemSpec, create_round
    from gridgov.data.org.credit_code import check_character
    from gridgov.data.org.models import Enterprise
    from gridgov.data.problemlists.domain import create_list
    from gridgov.data.sheets.workbooks import workbook

    town, operator = org.town, org.operator
    install_enterprise_categories(town=town)
    categories = install_hazard_categories(town=town)
    companies = []
    for number in range(30):
        first17 = f"91330921MA2B{number:04d}X"
        companies.append(
            Enterprise.objects.create(
                town=town, name=f"岱西测试企业{number}号", credit_code=first17 + check_character(first17)
            )
        )
    today = timezone.localdate()
    units = [d.name for d in org.departments.values() if d.area_id is None][:5] or [
        d.name for d in org.departments.values()
    ][:5]
    villages = [v.name for v in org.villages]
    create_list(town=town, actor=operator, name="基层治理问题清单")
    start = today - timedelta(days=20)
    create_round(
        town=town, actor=operator, name="压测督查", start_date=start, end_date=today, organizer=operator,
        inspectors=[operator], items=[ItemSpec("A01", "暴露垃圾", Decimal(2)), ItemSpec("B01", "乱堆乱放", Decimal(1))],
    )  # fmt: skip

    def company(i: int) -> Enterprise:
        return companies[i % len(companies)]

    return {
        "hazards": workbook(
            "隐患台账",
            ["企业名称", "统一社会信用代码", "台账", "隐患等级", "隐患类别", "隐患部位", "隐患描述", "发现日期",
             "整改责任人", "整改期限", "整改措施", "整改资金（元）"],
            [[company(i).name, company(i).credit_code, "政府检查", "一般", categories[i % len(categories)].name,
              f"{i % 7 + 1}号车间", f"检查发现问题第{i}条", today - timedelta(days=i % 20), "安全员",
              today + timedelta(days=10), "限期整改", "500"] for i in range(rows)],
        ),
        "service-requests": workbook(
            "企业诉求台账",
            ["企业名称", "统一社会信用代码", "诉求类型", "诉求内容", "提出日期"],
            [[company(i).name, company(i).credit_code, ["融资", "用工", "审批", "政策"][i % 4], f"诉求第{i}条",
              today - timedelta(days=i % 20)] for i in range(rows)],
        ),
        "problem-items": workbook(
            "问题清单",
            ["清单名称", "问题编号", "问题描述", "问题来源", "责任单位", "责任人", "整改措施", "发现日期", "整改时限"],
            [["基层治理问题清单", f"YC-{i:05d}", f"问题第{i}条", "上级交办", units[i % len(units)], "责任人",
              "限期整改", today - timedelta(days=i % 20), today + timedelta(days=30)] for i in range(rows)],
        ),
        "disputes": workbook(
            "信访与矛盾纠纷",
            ["受理编号", "类型", "受理日期", "当事人", "事由", "承办单位", "所在村"],
            [[f"YC-{i:05d}", ["矛盾纠纷", "劳资纠纷", "信访"][i % 3], today - timedelta(days=i % 20), f"当事人{i}",
              f"纠纷第{i}件", units[i % len(units)], villages[i % len(villages)]] for i in range(rows)],
        ),
        "inspection-problems": workbook(
            "督查问题",
            ["督查名称", "检查项目", "村（社区）", "点位", "问题描述", "发现时间"],
            [["压测督查", "A01" if i % 2 else "B01", villages[i % len(villages)], f"点位{i}", f"问题第{i}条",
              datetime.combine(start + timedelta(days=i % 20), dtime(9, 0)) + timedelta(minutes=i % 480)]
             for i in range(rows)],
        ),
    }  # fmt: skip


def ledger_import(org: Town, rows: int, kinds: list[str], timer: LockTimer) -> None:
    """Each ledger of ``rows`` open rows imported all or nothing, beside the plain bulk_create baseline of the
    same cases and actions."""
    town = org.town
    sheets = ledger_sheets(org, rows)
    for kind in kinds:
        ctx = ImportContext(town=town, user=org.operator, now=timezone.now())
        before = Case.objects.filter(town=town).count()
        actions_before = CaseAction.objects.filter(town=town).count()
        with timer.measure() as spans:
            started = time.perf_counter()
            report = import_sheet(importer=get_importer(kind), content=sheets[kind], ctx=ctx)
            wall = time.perf_counter() - started
        assert report.ok, report.errors[:3]
        assert Case.objects.filter(town=town).count() - before == rows
        actions = CaseAction.objects.filter(town=town).count() - actions_before
        print(f"ledger import {kind}: {rows} open rows → {rows} live cases, {actions} actions")
        _longest, total = summary(f"  {kind} (check + write)", spans, wall)
        base = baseline(town, rows, round(actions / rows), timer)
        base_longest, _total = summary("  baseline (plain bulk_create, same cases and actions)", base, sum(base))
        print(f"  ratio: lock held {total / base_longest:.2f} × the plain bulk_create")
    cases = Case.objects.filter(town=town)
    assert all(broken is None for _c, broken in verify_chains(cases)), "audit chain"
    assert rollups.check(town=town) == [], "rollups"


ECONOMY_KINDS = ("projects", "investment-leads", "enterprise-years", "collective-incomes")


def economy_sheets(org: Town, rows: int) -> dict[str, bytes]:
    """The economic ledgers' spreadsheets (issue 16) of ``rows`` rows each: key projects with three milestones,
    signed investment leads (three stages each), enterprises' yearly figures (300 enterprises, as many years as it
    takes) and villages' monthly incomes (every village, month and kind, as many years back as it takes)."""
    from gridgov.data.org.credit_code import check_character
    from gridgov.data.org.models import Enterprise
    from gridgov.data.sheets.workbooks import workbook

    town = org.town
    year = timezone.localdate().year - 1
    villages = [v.name for v in org.villages]
    firms = []
    for number in range(300):
        first17 = f"91330921MA2C{number:04d}X"
        firms.append(
            Enterprise.objects.create(
                town=town, name=f"岱西年报企业{number}号", credit_code=first17 + check_character(first17)
            )
        )
    kinds = ("经营性收入", "非经营性收入", "补助收入")
    incomes = [
        (v, year - back, month, kind)
        for back in range(40)
        for v in villages
        for month in range(1, 13)
        for kind in kinds
    ]
    return {
        "projects": workbook(
            "重点项目推进表",
            ["项目名称", "项目类型", "责任部门", "所在村", "年度", "计划总投资", "年度计划投资",
             "立项", "开工", "竣工"],
            [[f"压测项目{i}", "基础设施", org.departments["JSB"].name, villages[i % len(villages)], year,
              "120万", "100万", date(year, 1, 10), date(year, 3, 10), date(year, 11, 10)] for i in range(rows)],
        ),
        "investment-leads": workbook(
            "招商项目台账",
            ["项目名称", "招商方式", "产业类别", "线索日期", "洽谈日期", "签约日期", "签约金额"],
            [[f"压测招商项目{i}", "一把手招商", "石化配套", date(year, 1, 5), date(year, 2, 5), date(year, 3, 5),
              "1200万"] for i in range(rows)],
        ),
        "enterprise-years": workbook(
            "企业年度数据",
            ["企业名称", "年度", "规上", "重点", "固定资产投资", "用地面积（亩）", "税收", "产值"],
            [[firms[i % 300].name, year - i // 300, "是", "是", "100万", "12", "50万", "3000万"] for i in range(rows)],
        ),
        "collective-incomes": workbook(
            "村级集体经济收入",
            ["村", "年度", "月份", "收入类型", "金额"],
            [[v, y, m, k, "1.2万"] for v, y, m, k in incomes[:rows]],
        ),
    }  # fmt: skip


def economy_import(org: Town, rows: int, timer: LockTimer) -> None:
    """Each economic ledger's ``rows``-row spreadsheet imported all or nothing, beside the plain bulk_create
    baseline of as many cases with three actions each (rows of about the same width and number)."""
    sheets = economy_sheets(org, rows)
    base = baseline(org.town, rows, 3, timer)
    base_longest, _total = summary(
        f"  baseline (plain bulk_create, {rows} cases and {3 * rows} actions)", base, sum(base)
    )
    for kind in ECONOMY_KINDS:
        ctx = ImportContext(town=org.town, user=org.operator, now=timezone.now())
        with timer.measure() as spans:
            started = time.perf_counter()
            report = import_sheet(importer=get_importer(kind), content=sheets[kind], ctx=ctx)
            wall = time.perf_counter() - started
        assert report.ok, report.errors[:3]
        assert report.imported == rows
        print(f"economic import {kind}: {rows} rows")
        _longest, total = summary(f"  {kind} (check + write)", spans, wall)
        print(f"  ratio: lock held {total / base_longest:.2f} × the plain bulk_create")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--no-2022", dest="year_2022", action="store_false")
    parser.add_argument("--ledger-rows", type=int, default=3000, help="open rows in each ledger import (0: none)")
    parser.add_argument(
        "--ledgers", default=",".join(LEDGER_KINDS), help=f"which ledger imports (of {', '.join(LEDGER_KINDS)})"
    )
    parser.add_argument("--economy-rows", type=int, default=3000, help="rows in each economic ledger import (0: none)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    org = build_organisation(random.Random(1))
    timer = LockTimer()
    print(f"database: {connection.vendor}")

    content = history_xlsx(org.town, args.rows, random.Random(3))
    admin = User.objects.get(username="admin")
    ctx = ImportContext(town=org.town, user=admin, now=timezone.now())
    with timer.measure() as spans:
        started = time.perf_counter()
        report = import_sheet(importer=get_importer("history"), content=content, ctx=ctx)
        wall = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    assert report.imported == args.rows
    actions = CaseAction.objects.filter(town=org.town).count()
    print(f"history import: {args.rows} rows → {args.rows} cases, {actions} actions")
    longest, total = summary("  history import (check + bulk path)", spans, wall)
    base = baseline(org.town, args.rows, round(actions / args.rows), timer)
    base_longest, _total = summary("  baseline (plain bulk_create, same rows)", base, sum(base))
    print(f"  ratio: lock held {total / base_longest:.2f} × the plain bulk_create")
    cases = Case.objects.filter(town=org.town)
    assert all(broken is None for _c, broken in verify_chains(cases)), "audit chain"
    assert rollups.check(town=org.town) == [], "rollups"

    if args.ledger_rows:
        ledger_import(org, args.ledger_rows, [k for k in args.ledgers.split(",") if k], timer)

    if args.economy_rows:
        economy_import(org, args.economy_rows, timer)

    if args.year_2022:
        with timer.measure() as spans:
            started = time.perf_counter()
            made = build_2022(town=org, rng=random.Random(2022))
            wall = time.perf_counter() - started
        year = Case.objects.filter(town=org.town, year=2022)
        n_cases, n_actions = year.count(), CaseAction.objects.filter(case__in=year).count()
        print(f"demo 2022: {made.events} events, {n_cases} cases of 2022 in all, {n_actions} actions")
        longest, total = summary("  demo 2022 (events, ledgers, bulletins)", spans, wall)
        base = baseline(org.town, n_cases, round(n_actions / n_cases), timer)
        base_longest, _total = summary("  baseline (plain bulk_create, same cases and actions)", base, sum(base))
        print(f"  ratio: whole build {wall / base_longest:.1f} × the plain bulk_create of the same rows")
        print(f"  ratio: longest slice {longest / base_longest:.2f} × the plain bulk_create of the same rows")
        assert all(broken is None for _c, broken in verify_chains(year)), "audit chain"
        assert rollups.check(town=org.town) == [], "rollups"


if __name__ == "__main__":
    main()
