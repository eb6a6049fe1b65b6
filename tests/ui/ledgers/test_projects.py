"""The key projects' pages: the list (filters, lamps, export, scope, queries), a project's page (milestones with
their lamps and supervision cases, progress and milestone forms through htmx) and the new-project form."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.org.enums import Role
from gridgov.data.projects.models import Milestone, ProgressReport, Project
from gridgov.data.projects.supervision import supervise_lagging
from tests.data.projects.builders import project, today
from tests.factories import TownWorld, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("ledgers:projects")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _three(world: TownWorld) -> dict[str, Project]:
    base = today()
    return {
        "behind": project(
            world,
            name="渔港改造",
            plan=[("立项", base - timedelta(days=40)), ("开工", base - timedelta(days=10))],
            done={"立项": base - timedelta(days=40)},
        ),
        "ahead": project(
            world,
            name="前岸智慧村社",
            plan=[("立项", base - timedelta(days=40)), ("竣工", base + timedelta(days=20))],
            done={"立项": base - timedelta(days=40), "竣工": base - timedelta(days=2)},
        ),
        "on_time": project(
            world,
            name="智慧停车场",
            village=False,
            plan=[("立项", base - timedelta(days=40)), ("竣工", base + timedelta(days=60))],
            done={"立项": base - timedelta(days=40)},
        ),
    }


def _names(page: str) -> list[str]:
    return sorted(n for n in ("渔港改造", "前岸智慧村社", "智慧停车场") if f">{n}</a>" in page)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["前岸智慧村社", "智慧停车场", "渔港改造"]),
        ({"schedule": "behind"}, ["渔港改造"]),
        ({"schedule": "ahead"}, ["前岸智慧村社"]),
        ({"schedule": "on_time"}, ["智慧停车场"]),
        ({"lamp": "red"}, ["渔港改造"]),
        ({"lamp": "green"}, ["智慧停车场"]),
        ({"type": "land"}, []),
        ({"village": "__a"}, ["前岸智慧村社", "渔港改造"]),
    ],
)
def test_list_filters(world, query, names):
    _three(world)
    if query.get("village") == "__a":
        query = {"village": world.village_a.pk}
    page = signed_in(world.operator).get(LIST, query)
    assert page.status_code == 200
    assert _names(page.text) == names


def test_the_command_room_adds_and_imports(world):
    page = signed_in(world.operator).get(LIST)
    assert reverse("ledgers:project_new") in page.text
    assert reverse("imports:upload", args=["projects"]) in page.text


def test_htmx_filter_answers_the_rows_only(world):
    _three(world)
    page = signed_in(world.operator).get(LIST, {"schedule": "behind"}, **HTMX)
    assert "<h1>" not in page.text
    assert 'data-schedule="behind" data-lamp="red"' in page.text


@pytest.mark.parametrize(
    ("role", "names"),
    [
        (Role.LEADER, ["前岸智慧村社", "智慧停车场", "渔港改造"]),
        (Role.HANDLER, ["前岸智慧村社", "智慧停车场", "渔港改造"]),  # dept A owns all three
        (Role.VILLAGE_STAFF, ["前岸智慧村社", "渔港改造"]),
    ],
)
def test_list_scope_per_role(world, as_role, role, names):
    _three(world)
    page = as_role(role).get(LIST)
    assert page.status_code == 200
    assert _names(page.text) == names
    assert ('data-step="add"' in page.text) is False


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.GRID_WORKER, Role.ENTERPRISE])
def test_others_are_refused(world, as_role, role):
    assert as_role(role).get(LIST).status_code == 403


def test_export_follows_the_filters(world):
    _three(world)
    response = signed_in(world.operator).get(reverse("ledgers:projects_export"), {"schedule": "behind"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert (rows[1][1], rows[1][11], rows[1][12], rows[1][13]) == ("渔港改造", "滞后", "超期", "开工")


def test_the_list_costs_the_same_queries_for_more_rows(world, django_assert_num_queries):
    """The session, the user, their memberships (two reads), the count, the totals, the page, its milestones, the
    groups, villages and departments of the filter, the menu's town and unread notifications: 13, for 1 row or 6."""
    client = signed_in(world.operator)
    project(world, name="项目0")
    client.get(LIST)
    with django_assert_num_queries(13):
        assert client.get(LIST).status_code == 200
    for n in range(1, 6):
        project(world, name=f"项目{n}")
    with django_assert_num_queries(13):
        page = client.get(LIST)
    assert page.text.count('data-schedule="behind"') == 6


def test_detail_shows_lamps_and_supervision_cases(world):
    built = _three(world)["behind"]
    (case,) = supervise_lagging()
    page = signed_in(world.leader).get(reverse("ledgers:project", args=[built.pk]))
    assert page.status_code == 200
    assert 'data-lamp="red"' in page.text
    assert reverse("web:case_detail", args=[case.pk]) in page.text
    assert 'data-step="progress"' not in page.text  # a leader reads, the owner department reports
    outsider = signed_in(world.village_staff_b).get(reverse("ledgers:project", args=[built.pk]))
    assert outsider.status_code == 404


def test_progress_over_plan_refused_on_the_form_then_recorded(world):
    built = project(world, total="100万")
    url = reverse("ledgers:project_progress", args=[built.pk])
    client = signed_in(world.handler_a)
    base = today()
    refused = client.post(url, {"year": base.year, "month": base.month, "investment": "１２０万"}, **HTMX)
    assert refused.status_code == 200
    assert "请在进展说明中写明原因" in refused.text
    assert ProgressReport.objects.count() == 0
    done = client.post(url, {"year": base.year, "month": base.month, "investment": "120万", "note": "追加配套"}, **HTMX)
    assert done.status_code == 200
    assert '<span id="completed">120万元</span>' in done.text
    assert f"<tr><td>{base.year}年{base.month}月</td><td>120万元</td>" in done.text
    assert list(ProgressReport.objects.values_list("investment", flat=True)) == [Decimal("1200000.00")]
    assert signed_in(world.handler_b).post(url, {"year": base.year, "month": base.month}).status_code == 404


def test_the_milestone_form_offers_today_as_the_date_input_reads_it(world):
    """Chinese is the default language, whose date format (2026/11/25) an <input type="date"> throws away."""
    built = _three(world)["behind"]
    page = signed_in(world.handler_a).get(reverse("ledgers:project", args=[built.pk]))
    assert f'<input type="date" name="done_on" value="{today().isoformat()}"' in page.text


def test_mark_milestone_done(world):
    built = _three(world)["behind"]
    milestone = built.milestones.get(name="开工")
    url = reverse("ledgers:milestone_done", args=[built.pk, milestone.pk])
    page = signed_in(world.handler_a).post(url, {"done_on": today().isoformat()}, **HTMX)
    assert page.status_code == 200
    assert 'id="schedule"' in page.text
    assert Milestone.objects.get(pk=milestone.pk).done_on == today()
    assert signed_in(world.leader).post(url, {"done_on": today().isoformat()}).status_code == 403


def test_new_project_with_default_milestones_and_bad_amount_refused(world):
    client = signed_in(world.operator)
    url = reverse("ledgers:project_new")
    form = {
        "name": "抛荒地整治",
        "type": "land",
        "department": world.dept_b.pk,
        "year": today().year,
        "total_investment": "八十万",
        "quantity": "520",
        "unit": "亩",
        "start_on": today().isoformat(),
        "finish_on": (today() + timedelta(days=80)).isoformat(),
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "计划总投资" in refused.text
    assert Project.objects.count() == 0
    created = client.post(url, {**form, "total_investment": "80万"})
    made = Project.objects.get()
    assert created.url == reverse("ledgers:project", args=[made.pk])
    assert (made.total_investment, made.quantity, made.milestones.count()) == (Decimal("800000.00"), Decimal(520), 5)
    assert signed_in(world.leader).get(url).status_code == 403


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.OPERATOR, True),
        (Role.LEADER, True),
        (Role.HANDLER, True),
        (Role.VILLAGE_STAFF, True),
        (Role.GRID_WORKER, False),
        (Role.RESIDENT, False),
    ],
)
def test_menu_entry(world, role, offered):
    from gridgov.ui.web.menu import allows

    assert allows(world.persona(role), "projects") is offered


def test_the_pages_read_in_english(world):
    from tests.ui.test_english_pages import _data_names, _english, chinese_left

    built = _three(world)["behind"]
    supervise_lagging()
    client = _english(world.operator)
    names = sorted(
        {
            *_data_names(),
            *Project.objects.values_list("name", flat=True),
            *Project.objects.values_list("owner_name", flat=True),
            *Milestone.objects.values_list("name", flat=True),
        },
        key=len,
        reverse=True,
    )
    urls = [
        LIST,
        reverse("ledgers:project_new"),
        reverse("ledgers:project", args=[built.pk]),
        reverse("ledgers:project_milestones", args=[built.pk]),
    ]
    left = {url: chinese_left(client.get(url).text, names) for url in urls}
    assert left == {url: [] for url in urls}


def test_milestones_adjusted_by_the_command_room(world):
    built = _three(world)["behind"]
    url = reverse("ledgers:project_milestones", args=[built.pk])
    client = signed_in(world.operator)
    assert "立项 " in client.get(url).text
    base = today()
    first = base - timedelta(days=40)
    later = base + timedelta(days=30)
    refused = client.post(
        url,
        {
            "lines": f"立项 {first.isoformat()}\n开工 {later.year}年{later.month}月{later.day}日\n"
            f"竣工 {first.isoformat()}"
        },
    )
    assert refused.status_code == 200
    assert "节点“竣工”的计划日期" in refused.text
    assert list(built.milestones.values_list("name", flat=True)) == ["立项", "开工"]
    bad_date = client.post(url, {"lines": "立项 明年"})
    assert "第1行" in bad_date.text
    done = client.post(url, {"lines": f"立项 {first.isoformat()}\n开工 {later.year}年{later.month}月{later.day}日"})
    assert done.url == reverse("ledgers:project", args=[built.pk])
    assert list(built.milestones.values_list("name", "planned_on", "done_on")) == [
        ("立项", first, first),
        ("开工", later, None),
    ]
    assert signed_in(world.handler_a).get(url).status_code == 403
