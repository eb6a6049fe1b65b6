"""Inspection pages: set up a round, record a problem from the phone page, ranking, bulletin, exports."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from gridgov.data.cases.enums import Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.inspections.bulletin import bulletin_docx
from gridgov.data.inspections.domain import ItemSpec, create_round, record_problem
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound
from tests.factories import WORLD_TODAY, TownWorld, jpeg, photo, signed_in


def this_week_round(world: TownWorld, name: str = "本周创城督查") -> InspectionRound:
    today = timezone.localdate()
    return create_round(
        town=world.town,
        actor=world.operator,
        name=name,
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=3),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2)), ItemSpec("A02", "乱堆乱放", Decimal("1.5"))],
    )


def test_create_round_with_errors_next_to_fields(world: TownWorld) -> None:
    client = signed_in(world.operator)
    page = client.get(reverse("ledgers:round_new"))
    assert page.status_code == 200
    bad = client.post(
        reverse("ledgers:round_new"),
        {
            "name": "十一月督查",
            "bulletin_title": "创城督查通报",
            "start_date": "2026-11-27",
            "end_date": "2026-11-23",
            "inspectors": [str(world.grid_worker_a.pk)],
            "items": "A01 暴露垃圾 二分",
        },
    )
    assert bad.status_code == 200
    assert "结束日期不能早于开始日期" in bad.text
    assert "第1行：扣分“二分”不是数字" in bad.text
    assert InspectionRound.objects.count() == 0
    good = client.post(
        reverse("ledgers:round_new"),
        {
            "name": "十一月督查",
            "bulletin_title": "创城督查通报",
            "start_date": "2026-11-23",
            "end_date": "2026-11-27",
            "inspectors": [str(world.grid_worker_a.pk)],
            "items": "A01 暴露垃圾 2\nA02 乱堆 乱放 1.5",
        },
    )
    round_ = InspectionRound.objects.get()
    assert good["Location"] == reverse("ledgers:round_detail", args=[round_.pk])
    assert list(round_.items.values_list("code", "name", "points")) == [
        ("A01", "暴露垃圾", Decimal("2.0")),
        ("A02", "乱堆 乱放", Decimal("1.5")),
    ]
    assert list(round_.inspectors.all()) == [world.grid_worker_a]
    assert signed_in(world.grid_worker_a).get(reverse("ledgers:round_new")).status_code == 403


def test_phone_page_records_a_problem_routed_to_the_village(world: TownWorld) -> None:
    round_ = this_week_round(world)
    client = signed_in(world.grid_worker_a)
    url = reverse("ledgers:round_record", args=[round_.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'capture="environment"' in page.text
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page.text
    a01 = round_.items.get(code="A01")
    assert f'<option value="{a01.pk}">A01 暴露垃圾（扣{a01.points}分）</option>' in page.text
    client.cookies["django_language"] = "en"
    english = client.get(url).text
    assert f'<option value="{a01.pk}">A01 暴露垃圾 ({a01.points} points deducted)</option>' in english
    client.cookies["django_language"] = "zh-hans"
    missing = client.post(
        url,
        {
            "item": str(round_.items.get(code="A01").pk),
            "area": str(world.grid_a.pk),
            "spot": "村口",
            "description": "垃圾未清运",
        },
    )
    assert "这个字段是必填项" in missing.text
    assert InspectionProblem.objects.count() == 0
    upload = io.BytesIO(jpeg())
    upload.name = "spot.jpg"
    done = client.post(
        url,
        {
            "item": str(round_.items.get(code="A01").pk),
            "area": str(world.grid_a.pk),
            "spot": "村口",
            "description": "垃圾未清运",
            "photos": upload,
        },
    )
    problem = InspectionProblem.objects.get()
    assert f"已记录 {problem.case.number}，已派遣至双合村" in done.text
    assert (problem.case.kind, problem.case.status, problem.case.department) == (
        Kind.INSPECTION,
        Status.DISPATCHED,
        world.committee_a,
    )
    outsider = signed_in(world.grid_worker_b)
    assert outsider.get(url).status_code == 404


def test_round_page_ranking_bulletin_docx_and_export(world: TownWorld, django_assert_max_num_queries) -> None:
    round_ = this_week_round(world)
    a01 = round_.items.get(code="A01")
    for n in range(6):
        record_problem(
            round=round_,
            inspector=world.grid_worker_a,
            item=a01,
            description=f"问题{n}",
            spot=f"点位{n}",
            area=world.grid_a if n % 2 else world.grid_b,
            photos=photo(),
        )
    client = signed_in(world.leader)
    url = reverse("ledgers:round_detail", args=[round_.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200
    assert "点位5" in page.text
    filtered = client.get(url, {"village": str(world.village_a.pk)}, headers={"HX-Request": "true"})
    assert "<h1>" not in filtered.text
    assert ("点位1" in filtered.text, "点位0" in filtered.text) == (True, False)

    client.post(reverse("ledgers:round_issue_bulletin", args=[round_.pk]), {"confirm": "1"})
    bulletin = InspectionBulletin.objects.get()
    year = timezone.localdate().year
    assert bulletin.title == f"创城督查通报{year}年第1期"
    docx = client.get(reverse("ledgers:bulletin_download", args=[bulletin.pk]))
    assert docx.status_code == 200
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows][1:] == [
        ["1", "双合村", "3", "0", "6.0", "94.0"],
        ["1", "火箭村", "3", "0", "6.0", "94.0"],
    ]
    export = client.get(reverse("ledgers:round_export", args=[round_.pk]), {"village": str(world.village_b.pk)})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("事件编号", "村（社区）", "点位")
    assert sorted(r[2] for r in rows[1:]) == ["点位0", "点位2", "点位4"]
    assert (
        signed_in(world.grid_worker_b).get(reverse("ledgers:bulletin_download", args=[bulletin.pk])).status_code == 404
    )


def _round_in(world: TownWorld, name: str, start: date) -> InspectionRound:
    return create_round(
        town=world.town,
        actor=world.operator,
        name=name,
        start_date=start,
        end_date=start + timedelta(days=4),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2))],
    )


def _round_with_problems(world: TownWorld) -> InspectionRound:
    round_ = this_week_round(world)
    for n in range(3):
        record_problem(
            round=round_,
            inspector=world.grid_worker_a,
            item=round_.items.get(code="A01"),
            description=f"问题{n}",
            spot=f"点位{n}",
            area=world.grid_a,
            photos=photo(),
        )
    return round_


def test_issuing_a_rounds_bulletin_asks_first_and_the_first_post_issues_nothing(world: TownWorld) -> None:
    round_ = _round_with_problems(world)
    client = signed_in(world.leader)
    url = reverse("ledgers:round_issue_bulletin", args=[round_.pk])
    asked = client.post(url)
    assert (asked.status_code, asked.templates[0].name) == (200, "ledgers/civic/round_issue.html")
    assert InspectionBulletin.objects.count() == 0
    year = WORLD_TODAY.year
    plan = asked.context["plan"]
    assert (plan.title, plan.number, plan.villages, plan.problems, plan.rectified) == (
        "关于本周创城督查情况的通报",
        f"创城督查通报{year}年第1期",
        2,
        3,
        0,
    )
    for line in (
        f"创城督查通报{year}年第1期（以印发时的顺序为准）",
        "各村（社区）、各有关单位（2个村（社区）参加排名）",
        "3个，已整改0个",
        "不能撤回",
        'name="confirm" value="1"',
        'id="issue-bulletin-confirm"',
    ):
        assert line in asked.text
    issued = client.post(url, {"confirm": "1"})
    assert (issued.status_code, issued["Location"]) == (302, reverse("ledgers:round_detail", args=[round_.pk]))
    assert list(InspectionBulletin.objects.values_list("title", flat=True)) == [f"创城督查通报{year}年第1期"]
    # the next confirmation names the next number
    assert client.post(url).context["plan"].number == f"创城督查通报{year}年第2期"
    assert InspectionBulletin.objects.count() == 1


def test_the_confirmation_counts_the_problems_the_bulletin_issues_also_outside_any_village(world: TownWorld) -> None:
    round_ = _round_with_problems(world)
    # one problem placed at the town itself (an older import's row): no village's score counts it, the bulletin
    # names it; one rectified; one rejected, which neither names
    outside, fixed, rejected = InspectionProblem.objects.filter(round=round_).order_by("id")
    InspectionProblem.objects.filter(pk=outside.pk).update(village=world.town)
    Case.objects.filter(pk=fixed.case_id).update(status=Status.CLOSED)
    Case.objects.filter(pk=rejected.case_id).update(status=Status.REJECTED)
    client = signed_in(world.leader)
    url = reverse("ledgers:round_issue_bulletin", args=[round_.pk])
    asked = client.post(url)
    plan = asked.context["plan"]
    assert (plan.villages, plan.problems, plan.rectified) == (2, 2, 1)
    assert "2个，已整改1个" in asked.text
    client.post(url, {"confirm": "1"})
    issued = InspectionBulletin.objects.get().snapshot["problems"]
    assert [(p["village"], p["spot"], p["rectified"]) for p in issued] == [
        (world.town.name, outside.spot, False),
        (world.village_a.name, fixed.spot, True),
    ]
    # The bulletin's ranking counts one problem (the village's), its list two: it says where the other one went.
    doc = Document(io.BytesIO(bulletin_docx(InspectionBulletin.objects.get())))
    ranked = [[cell.text for cell in row.cells][2] for row in doc.tables[0].rows[1:]]
    assert (ranked, len(doc.tables[1].rows) - 1) == (["0", "1"], 2)
    assert [p.text for p in doc.paragraphs if p.text.startswith("另有")] == [
        "另有1个问题的点位不在各村（社区）范围内，列入下方问题清单，不计入各村得分。"
    ]


def test_htmx_swaps_the_rounds_confirmation_in_place_of_its_button(world: TownWorld) -> None:
    round_ = _round_with_problems(world)
    client = signed_in(world.leader)
    url = reverse("ledgers:round_issue_bulletin", args=[round_.pk])
    page = client.get(reverse("ledgers:round_detail", args=[round_.pk])).text
    assert f'hx-post="{url}" hx-target="this" hx-swap="outerHTML" id="issue-bulletin"' in page
    card = client.post(url, headers={"HX-Request": "true"})
    assert card.status_code == 200
    assert card.text.lstrip().startswith(f'<form method="post" action="{url}" class="card" id="issue-bulletin">')
    assert "<html" not in card.text
    assert InspectionBulletin.objects.count() == 0


def test_the_rounds_confirmation_reads_in_english(world: TownWorld) -> None:
    round_ = _round_with_problems(world)
    client = signed_in(world.leader)
    client.cookies["django_language"] = "en"
    text = client.post(reverse("ledgers:round_issue_bulletin", args=[round_.pk])).text
    for line in (
        "Confirm issuing the bulletin",
        "Bulletin on 本周创城督查",
        "(2 villages or communities ranked)",
        "3, 0 of them rectified",
        "cannot be withdrawn",
    ):
        assert line in text


def test_someone_who_may_not_issue_is_refused_at_the_confirmation(world: TownWorld) -> None:
    round_ = _round_with_problems(world)
    refused = signed_in(world.grid_worker_a).post(reverse("ledgers:round_issue_bulletin", args=[round_.pk]))
    assert refused.status_code == 403  # an inspector of the round records problems; the command room issues
    assert 'name="confirm"' not in refused.text
    assert InspectionBulletin.objects.count() == 0


def test_rounds_list_one_year_at_a_time(world: TownWorld, django_assert_num_queries) -> None:
    """The rounds open on the clock's year, link the years that have rounds, and carry the year in the URL."""
    this_year = WORLD_TODAY.year
    _round_in(world, "今年第一轮", date(this_year, 3, 6))
    _round_in(world, "今年第二轮", date(this_year, 9, 4))
    for n in range(1, 4):
        _round_in(world, f"2022年第{n}轮", date(2022, n * 3, 1))
    client = signed_in(world.operator)
    client.get(reverse("ledgers:rounds"))  # the session and the user are loaded once
    # session, user, memberships (2), years, town, menu check, unread notifications, rounds with their counts
    with django_assert_num_queries(8):  # who may import is read from the memberships already loaded
        page = client.get(reverse("ledgers:rounds")).text
    assert re.findall(r'href="[^"]*/inspections/\d+/">([^<]+)</a>', page) == ["今年第二轮", "今年第一轮"]
    assert re.findall(r'href="\?year=(\d+)"', page) == ["2022"]
    assert f'<strong aria-current="page">{this_year}</strong>' in page
    old = client.get(reverse("ledgers:rounds"), {"year": "2022"}).text
    assert re.findall(r'href="[^"]*/inspections/\d+/">([^<]+)</a>', old) == [
        "2022年第3轮",
        "2022年第2轮",
        "2022年第1轮",
    ]
    assert re.findall(r'href="\?year=(\d+)"', old) == [str(this_year)]
    empty = client.get(reverse("ledgers:rounds"), {"year": "2019"}).text
    assert "2019年暂无督查" in empty
    assert re.findall(r'href="\?year=(\d+)"', empty) == [str(this_year), "2022"]
    assert "今年第一轮" in client.get(reverse("ledgers:rounds"), {"year": "abc"}).text
    for n in range(3, 6):
        _round_in(world, f"今年第{n}轮", date(this_year, n, 10))
    with django_assert_num_queries(8):  # as many for five rounds as for two
        more = client.get(reverse("ledgers:rounds")).text
    assert len(re.findall(r'href="[^"]*/inspections/\d+/">', more)) == 5
