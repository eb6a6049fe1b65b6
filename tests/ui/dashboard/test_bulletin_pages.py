"""Bulletin pages: generate, preview, issue (numbered), download .docx/.xlsx, archive; only town-wide roles."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from gridgov.data.cases.enums import Status
from gridgov.data.reports.models import Bulletin
from tests.factories import MONDAY_0900, WORLD_NOW, TownWorld, signed_in

YEAR = WORLD_NOW.year  # issued on the world's clock: numbered in its year
GENERATE_QUERIES = 22  # generating a bulletin (POST; the session, the user and the draft included)


def _generate(client: Client, world: TownWorld, **extra: str) -> Bulletin:
    data = {"town": str(world.town.pk), "period": "month", "date": "2026-11-23", "scope": "", **extra}
    response = client.post(reverse("dashboard:bulletin_generate"), data)
    assert response.status_code == 302, response
    return Bulletin.objects.latest("id")


def _issue(client: Client, bulletin: Bulletin, **extra: Any) -> Any:
    """Issue ``bulletin`` as the confirmation page does (its form posts ``confirm``)."""
    return client.post(reverse("dashboard:bulletin_issue", args=[bulletin.pk]), {"confirm": "1"}, **extra)


def test_generate_preview_issue_and_archive(world: TownWorld) -> None:
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    client = signed_in(world.leader)
    draft = _generate(client, world)
    preview = client.get(reverse("dashboard:bulletin", args=[draft.pk])).text
    for text in (
        "岱西镇基层智治工作通报",
        "关于2026年11月岱西镇基层智治工作情况的通报",
        "（草稿，未编号）",
        "印发通报",
        "双合村",
        "一、总体情况",
        "二、综合指标排名（擂台赛）",
        "三、超期事件",
        "四、返工事件",
        "五、表扬与批评",
        "表扬和批评仅限立案不少于5件的村（社区）；表扬须综合指标值不低于85；",
    ):
        assert text in preview
    response = _issue(client, draft)
    assert response.status_code == 302
    second = _generate(client, world)
    _issue(client, second)
    draft.refresh_from_db()
    second.refresh_from_db()
    assert [(b.number, b.document_number) for b in (draft, second)] == [
        (1, f"岱西智治〔{YEAR}〕1号"),
        (2, f"岱西智治〔{YEAR}〕2号"),
    ]
    archive = client.get(reverse("dashboard:bulletins")).text
    assert f"{YEAR}年第1期" in archive
    assert f"{YEAR}年第2期" in archive
    again = _issue(client, draft, follow=True).text
    assert f"印发为{YEAR}年第1期" in again


def test_generate_reports_progress_and_rejects_bad_periods(world: TownWorld) -> None:
    client = signed_in(world.operator)
    response = client.post(
        reverse("dashboard:bulletin_generate"),
        {"town": str(world.town.pk), "period": "month", "date": "2026-11-23", "scope": ""},
        follow=True,
    )
    assert "正在统计考核指标" in response.text
    bad = client.post(
        reverse("dashboard:bulletin_generate"),
        {"period": "custom", "start": "2026-11-30", "end": "2026-11-01", "scope": ""},
        follow=True,
    )
    assert "结束日期必须不早于开始日期" in bad.text
    assert Bulletin.objects.count() == 1


def test_htmx_generation_redirects_to_the_preview(world: TownWorld) -> None:
    response = signed_in(world.leader).post(
        reverse("dashboard:bulletin_generate"),
        {"period": "month", "date": "2026-11-23", "scope": ""},
        headers={"HX-Request": "true"},
    )
    bulletin = Bulletin.objects.get()
    assert (response.status_code, response["HX-Redirect"]) == (
        204,
        f"{reverse('dashboard:bulletin', args=[bulletin.pk])}?town={world.town.pk}",
    )


def test_downloads_open_and_hold_the_figures(world: TownWorld) -> None:
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    client = signed_in(world.leader)
    draft = _generate(client, world)
    _issue(client, draft)
    response = client.get(reverse("dashboard:bulletin_docx", args=[draft.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''%E9%80%9A%E6%8A%A5" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[2].text == f"岱西智治〔{YEAR}〕1号"
    assert document.tables[0].rows[3].cells[1].text == "1"  # 立案数
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard:bulletin_xlsx", args=[draft.pk])).content))
    values = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "双合村" in values


def test_only_town_wide_roles_reach_bulletins(world: TownWorld) -> None:
    draft = _generate(signed_in(world.leader), world)
    for user in (world.village_staff_a, world.grid_worker_a, world.handler_a):
        client = signed_in(user)
        assert client.get(reverse("dashboard:bulletins")).status_code == 403
        assert client.get(reverse("dashboard:bulletin", args=[draft.pk])).status_code == 403
        assert client.post(reverse("dashboard:bulletin_issue", args=[draft.pk])).status_code == 403
    assert signed_in(world.leader).get(reverse("dashboard:bulletin", args=[draft.pk + 99])).status_code == 404


def test_archive_query_count_does_not_grow(world: TownWorld, django_assert_max_num_queries) -> None:
    client = signed_in(world.leader)
    _issue(client, _generate(client, world))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("dashboard:bulletins"))
    baseline = len(few)  # read now: every request clears the query log
    for _ in range(4):
        _issue(client, _generate(client, world))
    with django_assert_max_num_queries(baseline) as many:
        client.get(reverse("dashboard:bulletins"))
    # The list reads each bulletin's heading, not its content (a JSON document of every figure and table).
    archive = [q["sql"] for q in many.captured_queries if 'FROM "reports_bulletin"' in q["sql"]]
    assert len(archive) == 1
    assert '"content"' not in archive[0]


def test_issuing_asks_first_what_is_issued_and_to_whom(world: TownWorld) -> None:
    client = signed_in(world.leader)
    draft = _generate(client, world)
    _issue(client, _generate(client, world))  # 第1期 is taken: this draft would be 第2期
    confirmation = client.post(reverse("dashboard:bulletin_issue", args=[draft.pk]))
    assert (confirmation.status_code, confirmation.templates[0].name) == (200, "dashboard/bulletin_issue.html")
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.issued_at) == ("draft", None, None)  # nothing issued yet
    plan = confirmation.context["plan"]
    assert (plan.year, plan.number, plan.document_number, plan.villages, plan.departments) == (
        YEAR,
        2,
        f"岱西智治〔{YEAR}〕2号",
        2,
        2,
    )
    text = confirmation.text
    for line in (
        "关于2026年11月岱西镇基层智治工作情况的通报",
        f"{YEAR}年第2期，文号岱西智治〔{YEAR}〕2号（以印发时的顺序为准）",
        "岱西镇各村（社区）、镇各有关部门（2个村（社区），2个镇机关科室和站所）",
        "不能撤回",
        'name="confirm" value="1"',
    ):
        assert line in text
    issued = _issue(client, draft, follow=True)
    draft.refresh_from_db()
    assert (draft.status, draft.number) == ("issued", 2)
    assert f"已印发：{YEAR}年第2期，文号岱西智治〔{YEAR}〕2号" in issued.text


def test_htmx_swaps_the_confirmation_into_the_preview(world: TownWorld) -> None:
    client = signed_in(world.leader)
    draft = _generate(client, world)
    preview = client.get(reverse("dashboard:bulletin", args=[draft.pk])).text
    assert 'hx-target="this" hx-swap="outerHTML" class="card" id="bulletin-issue"' in preview
    card = client.post(reverse("dashboard:bulletin_issue", args=[draft.pk]), headers={"HX-Request": "true"})
    assert card.status_code == 200
    assert card.text.lstrip().startswith('<form method="post"')
    assert "<html" not in card.text
    assert 'id="bulletin-issue-confirm"' in card.text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_confirmation_reads_in_english(world: TownWorld) -> None:
    client = signed_in(world.leader)
    client.cookies["django_language"] = "en"
    draft = _generate(client, world)
    text = client.post(reverse("dashboard:bulletin_issue", args=[draft.pk])).text
    assert "Confirm issuing the bulletin" in text
    assert f"No. 1 of {YEAR}, document number" in text
    assert "(2 villages or communities, 2 town offices and stations)" in text


def test_generating_costs_the_same_queries_for_more_cases(world: TownWorld, django_assert_num_queries) -> None:
    """Generating the town's month bulletin: one query count however many cases the month has, and the town's
    weights read once for the summary and both rankings (they were read four times)."""
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    world.bring_to(Status.DISPATCHED, now=MONDAY_0900)
    client = signed_in(world.leader)
    _generate(client, world)  # warms the per-process caches (calendar, categories)
    with django_assert_num_queries(GENERATE_QUERIES) as few:
        _generate(client, world)
    weights = [q for q in few.captured_queries if 'FROM "metrics_indicatorweights"' in q["sql"]]
    for _ in range(4):
        world.bring_to(Status.CLOSED, now=MONDAY_0900)
        world.bring_to(Status.DISPATCHED, now=MONDAY_0900)
    with django_assert_num_queries(GENERATE_QUERIES):
        last = _generate(client, world)
    assert (len(weights), last.content["summary"][0]["numerator"]) == (1, 10)
