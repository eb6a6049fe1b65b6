"""Bulletins: frozen content equal to the indicators, numbering per town and year, .docx and .xlsx."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.errors import Conflict
from gridgov.data.metrics.indicators import Period, Scope, compute
from gridgov.data.reports.domain.bulletins import (
    bulletin_outline,
    document_prefix,
    generate_bulletin,
    issue_bulletin,
)
from gridgov.data.reports.models import Bulletin
from gridgov.data.writers import write_docx, write_xlsx
from tests.factories import MONDAY_0900, TownWorld, at, photo

NOVEMBER = Period.month(2026, 11)
AS_OF = at(2026, 11, 30, 12)


@pytest.fixture
def cases(world: TownWorld):
    closed = world.bring_to(Status.CLOSED, now=MONDAY_0900)
    late = world.bring_to(Status.HANDLING, now=MONDAY_0900)  # 4 working hours: late by the 30th
    reworked = world.bring_to(Status.RESOLVED, now=MONDAY_0900)
    apply_action(
        case_id=reworked.pk,
        actor=world.grid_worker_a,
        action=Action.VERIFY_FAIL,
        note="未清理干净",
        now=MONDAY_0900 + timedelta(minutes=30),
    )
    apply_action(
        case_id=reworked.pk,
        actor=world.handler_a,
        action=Action.RESOLVE,
        note="已重新清理",
        photos=photo(),
        now=MONDAY_0900 + timedelta(minutes=40),
    )
    apply_action(
        case_id=reworked.pk,
        actor=world.grid_worker_a,
        action=Action.VERIFY_PASS,
        now=MONDAY_0900 + timedelta(minutes=50),
    )
    world.report(reporter=world.grid_worker_b, area=world.grid_b, now=MONDAY_0900)
    return {"closed": closed, "late": late, "reworked": reworked}


def test_content_equals_the_indicators_and_names_late_and_reworked_cases(world: TownWorld, cases) -> None:
    bulletin = generate_bulletin(
        user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER, as_of=AS_OF, now=AS_OF
    )
    figures = compute(scope=Scope(town=world.town), period=NOVEMBER, as_of=AS_OF)
    shown = {row["key"]: row["value"] for row in bulletin.content["summary"]}
    assert shown == {m.key: m.display for m in figures.measures()}
    assert shown["registered"] == "3"
    assert shown["completion_rate"] == "66.7%"
    assert [r["number"] for r in bulletin.content["overdue"]] == [cases["late"].number]
    assert [r["number"] for r in bulletin.content["reworked"]] == [cases["reworked"].number]
    assert bulletin.content["reworked"][0]["reworks"] == "1"
    villages = bulletin.content["rankings"][0]
    assert villages["header"][:4] == ["名次", "村（社区）", "立案数", "综合指标值"]
    assert [row[:3] for row in villages["rows"]] == [["1", "双合村", "3"], ["—", "火箭村", "0"]]
    assert villages["rows"][0][3] == figures.score.display
    assert villages["rows"][0][8] == "样本少"
    # 3 cases are fewer than the ranking's sample minimum: 双合村 is ranked first but not praised.
    assert bulletin.content["commendations"] == []
    assert bulletin.content["criticisms"] == ["综合行政执法中队（超期事件1件）"]
    assert bulletin.content["praise_rule"] == (
        "表扬和批评仅限立案不少于5件的村（社区）；表扬须综合指标值不低于85；同一村（社区）及其村民委员会不同时受表扬和批评。"
    )
    assert bulletin.title == "关于2026年11月岱西镇基层智治工作情况的通报"
    assert (bulletin.status, bulletin.number, bulletin.as_of) == ("draft", None, AS_OF)


def test_content_is_frozen_at_its_moment(world: TownWorld, cases) -> None:
    bulletin = generate_bulletin(
        user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER, as_of=AS_OF, now=AS_OF
    )
    world.bring_to(Status.CLOSED, now=MONDAY_0900 + timedelta(days=1))
    bulletin.refresh_from_db()
    assert {r["key"]: r["value"] for r in bulletin.content["summary"]}["registered"] == "3"


def test_a_village_bulletin_has_no_town_ranking(world: TownWorld, cases) -> None:
    scope = Scope(town=world.town, area=world.village_b)
    bulletin = generate_bulletin(
        user=world.leader, scope=scope, scope_key=f"village:{world.village_b.pk}", period=NOVEMBER, as_of=AS_OF
    )
    assert bulletin.content["rankings"] == []
    assert bulletin.scope_label == "火箭村"
    assert bulletin.title == "关于2026年11月火箭村基层智治工作情况的通报"


def test_issuing_numbers_per_town_and_year(world: TownWorld) -> None:
    def draft() -> Bulletin:
        return generate_bulletin(user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER)

    first = issue_bulletin(bulletin_id=draft().pk, town=world.town, user=world.leader, now=at(2026, 12, 1))
    second = issue_bulletin(bulletin_id=draft().pk, town=world.town, user=world.leader, now=at(2026, 12, 2))
    next_year = issue_bulletin(bulletin_id=draft().pk, town=world.town, user=world.leader, now=at(2027, 1, 4))
    assert [(b.year, b.number, b.document_number) for b in (first, second, next_year)] == [
        (2026, 1, "岱西智治〔2026〕1号"),
        (2026, 2, "岱西智治〔2026〕2号"),
        (2027, 1, "岱西智治〔2027〕1号"),
    ]
    assert bulletin_outline(second).issue_line == "2026年第2期"


def test_issuing_twice_is_a_conflict_and_keeps_the_number(world: TownWorld) -> None:
    bulletin = generate_bulletin(user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER)
    issue_bulletin(bulletin_id=bulletin.pk, town=world.town, user=world.leader, now=at(2026, 12, 1))
    with pytest.raises(Conflict, match="已于2026年12月1日印发为2026年第1期"):
        issue_bulletin(bulletin_id=bulletin.pk, town=world.town, user=world.operator, now=at(2026, 12, 2))
    bulletin.refresh_from_db()
    assert (bulletin.number, bulletin.issued_by_id) == (1, world.leader.pk)


def test_document_prefix() -> None:
    from gridgov.data.org.models import Area

    assert document_prefix(Area(name="岱西镇")) == "岱西智治"
    assert document_prefix(Area(name="高亭街道")) == "高亭智治"


def test_docx_and_xlsx_contain_the_bulletin_tables(world: TownWorld, cases) -> None:
    bulletin = generate_bulletin(
        user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER, as_of=AS_OF, now=AS_OF
    )
    bulletin = issue_bulletin(bulletin_id=bulletin.pk, town=world.town, user=world.leader, now=at(2026, 12, 1))
    outline = bulletin_outline(bulletin)
    document = Document(io.BytesIO(write_docx(outline)))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["岱西镇基层智治工作通报", "2026年第1期", "岱西智治〔2026〕1号"]
    assert "关于2026年11月岱西镇基层智治工作情况的通报" in texts
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    summary = tables[0]
    assert summary[0] == ["指标", "数值", "分子/分母", "计算方法"]
    assert summary[4][:3] == ["办结率", "66.7%", "2/3"]
    assert tables[1][1][:3] == ["1", "双合村", "3"]
    overdue = next(t for t in tables if t[0][0] == "案卷编号" and t[0][4] == "处置期限")
    assert overdue[1][0] == cases["late"].number
    assert not any("予以通报表扬" in t for t in texts)  # 3 cases: fewer than the sample minimum
    assert any("综合行政执法中队（超期事件1件）" in t for t in texts)
    assert bulletin.content["praise_rule"] in texts
    sheet = load_workbook(io.BytesIO(write_xlsx(outline, sheet_title="通报"))).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[[r[:1] for r in rows].index(["办结率"])][:3] == ["办结率", "66.7%", "2/3"]
    assert next(r for r in rows if r[1:2] == ["双合村"])[:3] == [1, "双合村", 3]


def _late_in(world: TownWorld, grid, department, now) -> None:
    """A case of ``grid`` dispatched to ``department`` and signed, never resolved: late by AS_OF."""
    case = world.report(area=grid, now=now)
    handler = world.village_staff_a if department == world.committee_a else world.handler_a
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=now)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=department, now=now)
    apply_action(case_id=case.pk, actor=handler, action=Action.SIGN, now=now + timedelta(minutes=5))


def _town_bulletin(world: TownWorld) -> Bulletin:
    return generate_bulletin(
        user=world.leader, scope=Scope(town=world.town), scope_key="", period=NOVEMBER, as_of=AS_OF, now=AS_OF
    )


def test_a_village_scoring_zero_is_never_praised_even_when_ranked_first(world: TownWorld) -> None:
    for day in range(5):  # 火箭村: five cases, none closed — 结案率 0%, 综合指标值 0.0; 双合村 has none
        _late_in(world, world.grid_b, world.dept_a, MONDAY_0900 + timedelta(hours=day))
    content = _town_bulletin(world).content
    villages = content["rankings"][0]["rows"]
    assert [row[:6] for row in villages] == [
        ["1", "火箭村", "5", "0.0", "0.0%", "0.0%"],
        ["—", "双合村", "0", "—", "—", "—"],
    ]
    assert content["commendations"] == []
    assert content["criticisms"] == ["综合行政执法中队（超期事件5件）"]


def test_a_village_and_its_committee_are_never_praised_and_criticised_together(world: TownWorld) -> None:
    for hour in range(5):  # 双合村: five cases closed on time
        world.bring_to(Status.CLOSED, now=MONDAY_0900 + timedelta(hours=hour))
    content = _town_bulletin(world).content
    assert content["commendations"] == ["双合村（综合指标值100.0，立案5件）"]
    assert content["criticisms"] == []
    # One more, handled by 双合村村民委员会 and late: the committee is criticised, so the village is not praised
    # (its score, 86.3, is still above the threshold).
    _late_in(world, world.grid_a, world.committee_a, MONDAY_0900 + timedelta(hours=6))
    content = _town_bulletin(world).content
    assert content["rankings"][0]["rows"][0][:4] == ["1", "双合村", "6", "86.3"]
    assert content["commendations"] == []
    assert content["criticisms"] == ["双合村村民委员会（超期事件1件）"]


def test_the_praise_threshold_is_a_setting_printed_in_the_bulletin(world: TownWorld, settings) -> None:
    for hour in range(5):
        world.bring_to(Status.CLOSED, now=MONDAY_0900 + timedelta(hours=hour))
    world.bring_to(Status.HANDLING, now=MONDAY_0900 + timedelta(hours=6))  # late: 双合村 scores 86.3
    settings.GRIDGOV_BULLETIN_PRAISE_SCORE = 90
    bulletin = _town_bulletin(world)
    assert bulletin.content["rankings"][0]["rows"][0][3] == "86.3"
    assert bulletin.content["commendations"] == []
    assert "表扬须综合指标值不低于90" in bulletin.content["praise_rule"]
    paragraphs = [p.text for p in Document(io.BytesIO(write_docx(bulletin_outline(bulletin)))).paragraphs]
    assert bulletin.content["praise_rule"] in paragraphs
    settings.GRIDGOV_BULLETIN_PRAISE_SCORE = 85
    assert _town_bulletin(world).content["commendations"] == ["双合村（综合指标值86.3，立案6件）"]
