"""Year in review: sentences equal hand-computed figures; ledger figures are phrased like the work report;
.docx holds the sentences."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.figures import Figure
from gridgov.data.cases.models import Case
from gridgov.data.metrics.indicators import Period, Scope
from gridgov.data.reports.domain.bulletins import generate_bulletin, issue_bulletin
from gridgov.data.reports.domain.economy import define_indicator, record_actual
from gridgov.data.reports.domain.year_review import figure_cases, review_sentences, year_outline, year_review
from gridgov.data.writers import write_docx
from tests.factories import MONDAY_0900, TownWorld, at, photo

AS_OF = at(2027, 1, 10)


def _close_hotline_case(world: TownWorld) -> Case:
    case = world.report(reporter=world.operator, channel=Channel.HOTLINE, now=MONDAY_0900)
    steps = [
        (world.operator, Action.REGISTER, {}),
        (world.operator, Action.DISPATCH, {"department": world.dept_a}),
        (world.handler_a, Action.SIGN, {}),
        (world.handler_a, Action.RESOLVE, {"note": "已处理", "photos": photo()}),
        (world.grid_worker_a, Action.VERIFY_PASS, {}),
    ]
    for minute, (actor, action, kwargs) in enumerate(steps, start=1):
        apply_action(case_id=case.pk, actor=actor, action=action, now=MONDAY_0900 + timedelta(minutes=minute), **kwargs)
    return case


@pytest.fixture
def year_2026(world: TownWorld) -> dict[str, Case]:
    cases = {
        "gw_closed_1": world.bring_to(Status.CLOSED, now=MONDAY_0900),
        "gw_closed_2": world.bring_to(Status.CLOSED, now=MONDAY_0900 - timedelta(days=200)),
        "gw_handling": world.bring_to(Status.HANDLING, now=MONDAY_0900),
        "hotline_closed": _close_hotline_case(world),
        "rejected": world.bring_to(Status.REJECTED, now=MONDAY_0900),
    }
    world.bring_to(Status.CLOSED, now=at(2025, 12, 20))  # another year
    bulletin = generate_bulletin(
        user=world.leader, scope=Scope(town=world.town), scope_key="", period=Period.year(2026)
    )
    issue_bulletin(bulletin_id=bulletin.pk, town=world.town, user=world.leader, now=at(2026, 12, 1))
    return cases


def _texts(world: TownWorld) -> dict[str, str]:
    review = year_review(town=world.town, year=2026, as_of=AS_OF)
    return {s.topic: s.text for s in review.sentences}


def test_platform_sentences_equal_hand_computed_figures(world: TownWorld, year_2026) -> None:
    texts = _texts(world)
    # 4 registered in 2026 (the rejected one is not), 3 of them closed; 2 closed from the grid-worker channel.
    assert texts["基层智治"] == "处理基层智治平台事件4件，办结率75%。"
    # Every 2026 event was filed under 市容环卫 (the taxonomy has 22 major categories, the events used one).
    assert texts["网格治理"] == "以1大项事件分类采集信息，通过网格共采集解决问题信息2条。"
    assert texts["通报"] == "全年共发布各类通报1期。"


def test_major_categories_are_those_the_periods_events_used(world: TownWorld) -> None:
    assert world.category.parent_id is not None
    assert world.category.parent_id != world.category_days.parent_id
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    world.report(reporter=world.grid_worker_a, now=MONDAY_0900 + timedelta(hours=1), category=world.category_days)
    apply_action(
        case_id=Case.objects.get(category=world.category_days).pk,
        actor=world.operator,
        action=Action.REGISTER,
        now=MONDAY_0900 + timedelta(hours=2),
    )
    world.report(reporter=world.grid_worker_a, now=MONDAY_0900, category=world.category_calendar)  # never registered
    world.bring_to(Status.CLOSED, now=at(2025, 6, 2))  # another year, same major category
    figures = {y: year_review(town=world.town, year=y, as_of=AS_OF) for y in (2024, 2025, 2026)}
    texts = {y: {s.topic: s.text for s in r.sentences}["网格治理"] for y, r in figures.items()}
    assert texts[2026].startswith("以2大项事件分类采集信息")  # 市容环卫 and 公共设施; the unregistered 信访 not
    assert texts[2025].startswith("以1大项事件分类采集信息")
    assert texts[2024].startswith("以0大项事件分类采集信息")  # a year with no events used none
    behind = figure_cases(town=world.town, year=2026, source="cases", key="major_categories", as_of=AS_OF)
    assert set(behind.values_list("major_category_id", flat=True)) == {
        world.category.parent_id,
        world.category_days.parent_id,
    }


def test_ledger_sentences_are_phrased_like_the_work_report(world: TownWorld, year_2026) -> None:
    """The sentences as a function of the figures (each ledger's own figures are tested with its ledger)."""
    some = Case.objects.filter(pk=year_2026["gw_closed_1"].pk)
    figures: dict[str, dict[str, Figure]] = {}
    figures["problemlists"] = {
        "problem_items": Figure("问题清单报送", 188, "条", some),
        "problem_rectified": Figure("问题清单已销号", 184, "条", some),
        "problem_rate": Figure("问题清单整改完成率", Decimal(184) / Decimal(188), "%", some),
    }
    figures["enterprises"] = {
        "hazards_self_found": Figure("企业自查隐患", 918, "条", some),
        "hazards_self_rate": Figure("企业自查隐患整改率", Decimal(1), "%", some),
        "hazards_gov_found": Figure("政府端和第三方排查隐患", 790, "条", some),
        "hazards_gov_rate": Figure("政府端和第三方排查隐患整改率", Decimal(1), "%", some),
        "service_solved": Figure("解决企业问题", 134, "个", some),
        "financing_amount": Figure("帮助企业融资", Decimal("54123456"), "元", None),
    }
    figures["inspections"] = {
        "inspection_bulletins": Figure("督查通报", 5, "期"),
        "inspection_rectified": Figure("督查问题已整改", 2034, "条", some),
    }
    figures["disputes"] = {
        "petition_backlog_cleared": Figure("化解信访积案", 2, "件", some),
        "labour_disputes": Figure("解决劳资纠纷", 17, "起", some),
        "labour_amount": Figure("劳资纠纷涉及金额", Decimal("16234567"), "元", some),
    }
    texts = {s.topic: s.text for s in review_sentences(figures)}
    assert texts["问题清单"] == "报送“七张问题清单”188条，整改完成率98%。"  # the work report writes whole percent
    assert texts["安全生产"] == "全年企业自查隐患918条，政府端和第三方机构排查隐患790条，整改率100%。"
    assert texts["创城督查"] == "全年发布创城督查通报5期，累计巡查发现并整改突出问题2030余条。"
    assert texts["三服务"] == "帮助企业解决实际问题134个，全年帮助企业融资5400余万元。"
    assert texts["信访维稳"] == "集中化解信访积案2件，妥善解决企业劳资纠纷17起，涉及金额1600余万元。"


def test_different_hazard_rates_are_both_written(world: TownWorld) -> None:
    enterprises = {
        "hazards_self_found": Figure("企业自查隐患", 10, "条"),
        "hazards_self_rate": Figure("企业自查隐患整改率", Decimal("0.9"), "%"),
        "hazards_gov_found": Figure("政府端和第三方排查隐患", 0, "条"),
        "hazards_gov_rate": Figure("政府端和第三方排查隐患整改率", None, "%"),
    }
    texts = {s.topic: s.text for s in review_sentences({"enterprises": enterprises})}
    assert texts["安全生产"] == "全年企业自查隐患10条，政府端和第三方机构排查隐患0条，整改率分别为90%和—。"


def test_every_platform_number_links_to_its_cases(world: TownWorld, year_2026) -> None:
    review = year_review(town=world.town, year=2026, as_of=AS_OF)
    linked = {p.key for s in review.sentences for p in s.pieces if p.linked and p.source == "cases"}
    assert linked == {"events_registered", "events_completion_rate", "grid_resolved", "major_categories"}
    registered = figure_cases(town=world.town, year=2026, source="cases", key="events_registered", as_of=AS_OF)
    assert set(registered) == {year_2026[k] for k in ("gw_closed_1", "gw_closed_2", "gw_handling", "hotline_closed")}
    grid = figure_cases(town=world.town, year=2026, source="cases", key="grid_resolved", as_of=AS_OF)
    assert set(grid) == {year_2026["gw_closed_1"], year_2026["gw_closed_2"]}


def test_economy_sentence_and_docx(world: TownWorld) -> None:
    output = define_indicator(town=world.town, code="GYZCZ", name="工业总产值", unit="万元")
    for month in range(1, 13):
        record_actual(indicator=output, year=2025, period=month, value="13941.6667", user=None, now=MONDAY_0900)
        value = "23166.6667" if month < 12 else "23166.6663"
        record_actual(indicator=output, year=2026, period=month, value=value, user=None, now=MONDAY_0900)
    review = year_review(town=world.town, year=2026, as_of=AS_OF)
    assert [s.text for s in review.economy] == ["全年实现工业总产值27.8亿元，同比增长66.17%。"]
    document = Document(io.BytesIO(write_docx(year_outline(review))))
    texts = [p.text for p in document.paragraphs]
    assert "岱西镇2026年基层治理工作情况" in texts
    assert "全年实现工业总产值27.8亿元，同比增长66.17%。" in texts
    assert "处理基层智治平台事件0件，办结率—。" in texts
    assert "报送“七张问题清单”0条，整改完成率—。" in texts  # a ledger without rows


def test_english_sentences_read_as_english(world: TownWorld, year_2026) -> None:
    """In English the same figures read with spaces, English number forms, plurals and English dates; the
    Chinese of the same review is unchanged."""
    enterprises = define_indicator(town=world.town, code="XZGS", name="新增规上企业", unit="家")
    record_actual(indicator=enterprises, year=2026, period=12, value="4", user=None, now=MONDAY_0900)
    with translation.override("en"):
        review = year_review(town=world.town, year=2026, as_of=AS_OF)
        texts = {s.topic: s.text for s in review.sentences}
        outline = year_outline(review)
    assert texts["Grassroots smart governance"] == "GridGov platform cases handled: 4 cases, completion rate 75%."
    assert texts["Grid governance"] == (
        "Collected information under 1 major category of cases; grids collected and resolved 2 items."
    )
    assert texts["Bulletins"] == "Bulletins of all kinds issued this year: 1 issue."
    assert [s.text for s in review.economy] == ["For the full year, 新增规上企业 reached 4."]
    assert outline.signature == ["岱西镇", "Jan. 10, 2027"]
    assert outline.blocks[0].text.endswith("from full-year 2026 data, as of Jan. 10, 2027.")
    with translation.override("zh-hans"):
        chinese = year_review(town=world.town, year=2026, as_of=AS_OF)
        assert [s.text for s in chinese.economy] == ["全年实现新增规上企业4家。"]
        assert year_outline(chinese).signature == ["岱西镇", "2027年1月10日"]
