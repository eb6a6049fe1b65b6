"""A round from its check items to problems, rectification, scores, ranking and the numbered bulletin."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.inspections.bulletin import bulletin_docx, issue_bulletin
from gridgov.data.inspections.domain import ItemSpec, create_round, record_problem
from gridgov.data.inspections.figures import year_figures
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.inspections.scoring import deductions, village_scores
from gridgov.data.org.models import Department
from tests.factories import MONDAY_0900, TownWorld, at, photo


def make_round(world: TownWorld, name: str = "2026年第11月创城督查") -> InspectionRound:
    return create_round(
        town=world.town,
        actor=world.operator,
        name=name,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
        organizer=world.operator,
        inspectors=[world.grid_worker_a, world.leader],
        items=[
            ItemSpec("A01", "暴露垃圾", Decimal("2")),
            ItemSpec("A02", "乱堆乱放", Decimal("1.5")),
        ],
        now=MONDAY_0900,
    )


def record_three(world: TownWorld, round_: InspectionRound) -> list[InspectionProblem]:
    a01, a02 = list(round_.items.all())
    return [
        record_problem(
            round=round_,
            inspector=world.grid_worker_a,
            item=a01,
            description="路口垃圾未清运",
            spot="双合村村口",
            area=world.grid_a,
            photos=photo(),
            now=MONDAY_0900,
        ),
        record_problem(
            round=round_,
            inspector=world.grid_worker_a,
            item=a02,
            description="杂物堆放在道路两侧",
            spot="双合村东路",
            area=world.village_a,
            photos=photo(),
            now=MONDAY_0900 + timedelta(hours=1),
        ),
        record_problem(
            round=round_,
            inspector=world.leader,
            item=a01,
            description="垃圾桶满溢",
            spot="火箭村文化礼堂",
            area=world.grid_b,
            photos=photo(),
            now=MONDAY_0900 + timedelta(hours=2),
        ),
    ]


def rectify(world: TownWorld, case_id: int, staff, verifier, start) -> None:
    apply_action(case_id=case_id, actor=staff, action=Action.SIGN, now=start)
    apply_action(
        case_id=case_id,
        actor=staff,
        action=Action.RESOLVE,
        note="已清理",
        photos=photo(),
        now=start + timedelta(hours=1),
    )
    apply_action(case_id=case_id, actor=verifier, action=Action.VERIFY_PASS, now=start + timedelta(hours=2))


def test_problem_becomes_a_case_dispatched_to_the_village_committee(world: TownWorld) -> None:
    round_ = make_round(world)
    first, _second, third = record_three(world, round_)
    case = first.case
    assert (case.kind, case.channel, case.status) == (Kind.INSPECTION, Channel.INSPECTION, Status.DISPATCHED)
    assert case.department_id == world.committee_a.pk
    assert case.reporter_id == world.grid_worker_a.pk
    assert first.deduction == Decimal("2.0")
    assert first.village == world.village_a
    assert list(case.actions.values_list("action", "actor_id")) == [
        ("report", world.grid_worker_a.pk),
        ("register", world.operator.pk),
        ("dispatch", world.operator.pk),
    ]
    assert third.case.department == Department.objects.get(code="VC02")
    assert case.attachments.count() == 1


def test_round_to_scores_ranking_and_bulletin(world: TownWorld) -> None:
    round_ = make_round(world)
    first, _second, _third = record_three(world, round_)
    rectify(world, first.case_id, world.village_staff_a, world.grid_worker_a, at(2026, 11, 24, 9))

    scores = village_scores(round_)
    assert [(s.rank, s.village.name, s.problems, s.rectified, s.deduction, s.score) for s in scores] == [
        (1, "火箭村", 1, 0, Decimal("2.0"), Decimal("98.0")),
        (2, "双合村", 2, 1, Decimal("3.5"), Decimal("96.5")),
    ]
    bulletin = issue_bulletin(round=round_, actor=world.leader, now=at(2026, 11, 27, 16))
    assert bulletin.title == "创城督查通报2026年第1期"
    assert bulletin.snapshot["ranking"][0] == {
        "rank": 1,
        "village": "火箭村",
        "problems": 1,
        "rectified": 0,
        "deduction": "2.0",
        "score": "98.0",
    }
    assert [p["spot"] for p in bulletin.snapshot["problems"]] == ["双合村村口", "双合村东路", "火箭村文化礼堂"]
    assert [p["rectified"] for p in bulletin.snapshot["problems"]] == [True, False, False]

    doc = Document(io.BytesIO(bulletin_docx(bulletin)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "创城督查通报"
    assert texts[1] == "2026年第1期"
    assert "关于2026年第11月创城督查情况的通报" in texts
    ranking = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert ranking == [
        ["名次", "村（社区）", "问题数", "已整改", "扣分", "得分"],
        ["1", "火箭村", "1", "0", "2.0", "98.0"],
        ["2", "双合村", "2", "1", "3.5", "96.5"],
    ]
    problems = [[cell.text for cell in row.cells] for row in doc.tables[1].rows]
    assert problems[1] == ["1", "双合村", "双合村村口", "暴露垃圾", "路口垃圾未清运", "2.0", "已结案"]
    east_asia = doc.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "仿宋_GB2312"

    # Numbered per town and year: the next bulletin is 第2期; a new year starts again at 第1期.
    again = issue_bulletin(round=round_, actor=world.operator, now=at(2026, 12, 1, 10))
    assert again.title == "创城督查通报2026年第2期"
    next_year = issue_bulletin(round=round_, actor=world.operator, now=at(2027, 1, 4, 10))
    assert next_year.title == "创城督查通报2027年第1期"


def test_deductions_add_up_exactly_to_the_points_decimal_place(world: TownWorld) -> None:
    round_ = create_round(
        town=world.town,
        actor=world.operator,
        name="2026年第11月创城督查",
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "小广告乱张贴", Decimal("0.1")), ItemSpec("A02", "河道漂浮物", Decimal("0.2"))],
        now=MONDAY_0900,
    )
    for item in round_.items.all():
        record_problem(
            round=round_,
            inspector=world.grid_worker_a,
            item=item,
            description=item.name,
            spot="双合村村口",
            area=world.grid_a,
            photos=photo(),
            now=MONDAY_0900,
        )
    found = deductions(town=world.town, start=date(2026, 11, 1), end=date(2026, 12, 1))
    assert {village: str(points) for village, points in found.items()} == {world.village_a.pk: "0.3"}


def test_deductions_and_year_figures(world: TownWorld) -> None:
    round_ = make_round(world)
    first, _second, third = record_three(world, round_)
    rectify(world, first.case_id, world.village_staff_a, world.grid_worker_a, at(2026, 11, 24, 9))
    assert deductions(town=world.town, start=date(2026, 11, 1), end=date(2026, 12, 1)) == {
        world.village_a.pk: Decimal("3.5"),
        third.village_id: Decimal("2.0"),
    }
    # A problem the command room rejects as invalid no longer counts.
    apply_action(
        case_id=third.case_id,
        actor=world.village_staff_b,
        action=Action.RETURN,
        note="重复督查点位",
        now=at(2026, 11, 24, 10),
    )
    apply_action(
        case_id=third.case_id, actor=world.operator, action=Action.REJECT, note="重复问题", now=at(2026, 11, 24, 11)
    )
    assert deductions(town=world.town, start=date(2026, 11, 1), end=date(2026, 12, 1)) == {
        world.village_a.pk: Decimal("3.5"),
    }
    assert deductions(town=world.town, start=date(2026, 12, 1), end=date(2027, 1, 1)) == {}
    issue_bulletin(round=round_, actor=world.leader, now=at(2026, 11, 27, 16))
    figures = year_figures(town=world.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=at(2026, 12, 31, 23))
    assert {k: f.value for k, f in figures.items()} == {
        "inspection_rounds": 1,
        "inspection_bulletins": 1,
        "inspection_problems": 2,
        "inspection_rectified": 1,
    }
    assert list(figures["inspection_rectified"].cases.values_list("pk", flat=True)) == [first.case_id]
    # As of before the verification, nothing was rectified yet.
    before = year_figures(town=world.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=at(2026, 11, 24, 9))
    assert before["inspection_rectified"].value == 0


def test_only_inspectors_record_within_the_round(world: TownWorld) -> None:
    round_ = make_round(world)
    a01 = round_.items.get(code="A01")
    kwargs = {"round": round_, "item": a01, "description": "垃圾", "spot": "村口", "area": world.grid_a}
    with pytest.raises(NotAllowed, match="不是“2026年第11月创城督查”的督查人员"):
        record_problem(inspector=world.grid_worker_b, photos=photo(), now=MONDAY_0900, **kwargs)
    with pytest.raises(InvalidInput, match="不在督查期间") as late:
        record_problem(inspector=world.grid_worker_a, photos=photo(), now=at(2026, 11, 30), **kwargs)
    assert late.value.field == "found_at"
    with pytest.raises(InvalidInput, match="请拍摄至少一张现场照片"):
        record_problem(inspector=world.grid_worker_a, now=MONDAY_0900, **kwargs)
    with pytest.raises(InvalidInput, match="必须落在某个村"):
        record_problem(inspector=world.grid_worker_a, photos=photo(), now=MONDAY_0900, **{**kwargs, "area": world.town})
    other = make_round(world, name="另一轮")
    with pytest.raises(InvalidInput, match="检查项目不属于本轮督查"):
        record_problem(inspector=world.grid_worker_a, photos=photo(), now=MONDAY_0900, **{**kwargs, "round": other})
    assert round_.problems.count() == 0


def test_round_set_up_errors(world: TownWorld) -> None:
    base = {
        "town": world.town,
        "name": "第二轮",
        "start_date": date(2026, 11, 23),
        "end_date": date(2026, 11, 27),
        "organizer": world.operator,
        "inspectors": [world.grid_worker_a],
        "items": [ItemSpec("A01", "暴露垃圾", Decimal("2"))],
    }
    with pytest.raises(NotAllowed):
        create_round(actor=world.grid_worker_a, **base)
    with pytest.raises(InvalidInput, match="结束日期不能早于开始日期"):
        create_round(actor=world.operator, **{**base, "end_date": date(2026, 11, 1)})
    with pytest.raises(InvalidInput, match="组织者必须是"):
        create_round(actor=world.operator, **{**base, "organizer": world.leader})
    with pytest.raises(InvalidInput, match="编号不能为空或重复"):
        create_round(actor=world.operator, **{**base, "items": [ItemSpec("A", "x", Decimal(1))] * 2})
    assert InspectionRound.objects.count() == 0


def test_inspection_deductions_lower_the_villages_composite_value(world: TownWorld) -> None:
    from gridgov.data.metrics.indicators import Period, Scope, compute

    round_ = make_round(world)
    record_three(world, round_)  # village A: 2 + 1.5 points; village B: 2 points
    period = Period(start=date(2026, 11, 1), end=date(2026, 12, 1))
    as_of = MONDAY_0900 + timedelta(hours=3)
    village_a = compute(scope=Scope(town=world.town, area=world.village_a), period=period, as_of=as_of)
    village_b = compute(scope=Scope(town=world.town, area=world.village_b), period=period, as_of=as_of)
    assert (village_a.deduction, village_b.deduction) == (Decimal("3.5"), Decimal("2"))


def test_the_year_in_review_writes_the_rounds_bulletins_and_problems(world: TownWorld) -> None:
    from gridgov.data.reports.domain.year_review import year_review

    round_ = make_round(world)
    record_three(world, round_)
    issue_bulletin(round=round_, actor=world.leader, now=at(2026, 11, 27, 16))
    review = year_review(town=world.town, year=2026, as_of=at(2026, 11, 28, 9))
    texts = {s.topic: s.text for s in review.sentences}
    assert texts["创城督查"] == "全年发布创城督查通报1期，累计巡查发现并整改突出问题0条。"
    assert texts["通报"] == "全年共发布各类通报1期。"
    # the three inspection problems are cases, but not platform events: the events sentence leaves them out
    assert texts["基层智治"] == "处理基层智治平台事件0件，办结率—。"
