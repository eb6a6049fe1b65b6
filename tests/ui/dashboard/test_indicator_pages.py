"""The indicator page, drill-down lists, rankings and the dashboard: scope, figures equal to ``compute``."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.data.cases.enums import Status
from gridgov.data.metrics.indicators import Period, Scope, compute, ranking
from gridgov.data.org.models import User
from tests.factories import MONDAY_0900, TownWorld, signed_in

NOV = {"period": "month", "date": "2026-11-23"}
AS_OF = "2026-11-30T12:00:00+08:00"


@pytest.fixture
def cases(world: TownWorld) -> dict[str, object]:
    a_closed = world.bring_to(Status.CLOSED, now=MONDAY_0900)
    a_handling = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    a_rejected = world.bring_to(Status.REJECTED, now=MONDAY_0900)
    b_reported = world.report(reporter=world.grid_worker_b, area=world.grid_b, now=MONDAY_0900)
    return {"a_closed": a_closed, "a_handling": a_handling, "a_rejected": a_rejected, "b_reported": b_reported}


def _figure(page: str, key: str) -> str:
    match = re.search(rf'data-measure="{key}">\s*<div>[^<]*</div>\s*<div class="value">(?:<a [^>]*>)?([^<]+)<', page)
    assert match, key
    return match.group(1)


def test_indicator_page_shows_every_figure_equal_to_compute(world: TownWorld, cases) -> None:
    page = signed_in(world.leader).get(reverse("dashboard:indicators"), {**NOV, "as_of": AS_OF}).text
    from django.utils.dateparse import parse_datetime

    expected = compute(scope=Scope(town=world.town), period=Period.month(2026, 11), as_of=parse_datetime(AS_OF))
    for measure in expected.measures():
        assert _figure(page, measure.key) == measure.display
        assert measure.formula.replace("（", "").replace("）", "")[:6] in page.replace("（", "").replace("）", "")
    assert _figure(page, "reported") == "4"
    assert _figure(page, "registered") == "2"
    assert _figure(page, "completion_rate") == "50.0%"
    assert _figure(page, "satisfaction_rate") == "—"


def test_village_staff_see_their_village_only(world: TownWorld, cases) -> None:
    client = signed_in(world.village_staff_b)
    page = client.get(reverse("dashboard:indicators"), {**NOV, "as_of": AS_OF}).text
    assert "火箭村" in page
    assert _figure(page, "reported") == "1"
    assert "双合村" not in page  # not even as a choice
    refused = client.get(reverse("dashboard:indicators"), {**NOV, "scope": ""}).text
    assert "您只能查看本村的数据" in refused
    other = client.get(reverse("dashboard:indicators"), {**NOV, "scope": f"village:{world.village_a.pk}"}).text
    assert "统计范围“village:" in other
    assert _figure(other, "reported") == "1"  # fell back to their own village


@pytest.mark.parametrize("role", ["grid_worker_a", "handler_a", "resident", "enterprise"])
def test_people_without_figures_get_403(world: TownWorld, role: str) -> None:
    client = signed_in(getattr(world, role))
    for name in ("dashboard:indicators", "dashboard:board", "dashboard:rankings", "dashboard:board_charts"):
        assert client.get(reverse(name)).status_code == 403


def test_village_staff_cannot_open_town_wide_pages(world: TownWorld) -> None:
    client = signed_in(world.village_staff_a)
    assert client.get(reverse("dashboard:rankings")).status_code == 403
    assert client.get(reverse("dashboard:board")).status_code == 200


def test_scopes_of_every_kind(world: TownWorld, cases) -> None:
    client = signed_in(world.operator)
    scopes = {
        f"village:{world.village_a.pk}": "3",
        f"grid:{world.grid_b.pk}": "1",
        f"department:{world.dept_a.pk}": "2",
        f"grid_worker:{world.grid_worker_a.pk}": "3",
        f"category:{world.category.parent_id}": "4",
        "channel:grid_worker": "4",
        "channel:hotline": "0",
    }
    for scope, reported in scopes.items():
        page = client.get(reverse("dashboard:indicators"), {**NOV, "scope": scope, "as_of": AS_OF}).text
        assert _figure(page, "reported") == reported, scope


def test_periods_and_bad_dates(world: TownWorld, cases) -> None:
    client = signed_in(world.leader)
    page = client.get(reverse("dashboard:indicators"), {"period": "day", "date": "2026-11-23", "as_of": AS_OF}).text
    assert "2026年11月23日" in page
    assert _figure(page, "reported") == "4"
    page = client.get(reverse("dashboard:indicators"), {"period": "day", "date": "2026-11-24", "as_of": AS_OF}).text
    assert _figure(page, "reported") == "0"
    assert _figure(page, "completion_rate") == "—"
    page = client.get(
        reverse("dashboard:indicators"), {"period": "custom", "start": "2026-11-01", "end": "2026-11-23"}
    ).text
    assert "2026年11月1日至2026年11月23日" in page
    bad = client.get(reverse("dashboard:indicators"), {"period": "custom", "start": "2026-11-24", "end": "2026-11-01"})
    assert "结束日期必须不早于开始日期" in bad.text
    bad = client.get(reverse("dashboard:indicators"), {"period": "week", "date": "2026-13-45"})
    assert "日期“2026-13-45”格式不正确" in bad.text
    for far in ("9999-12-31", "0001-01-01"):
        bad = client.get(reverse("dashboard:indicators"), {"period": "year", "date": far})
        assert (bad.status_code, f"日期“{far}”格式不正确" in bad.text) == (200, True)


def test_drill_down_lists_equal_the_figures(world: TownWorld, cases) -> None:
    client = signed_in(world.leader)
    for measure, part, expected in (
        ("reported", "numerator", {"a_closed", "a_handling", "a_rejected", "b_reported"}),
        ("completion_rate", "numerator", {"a_closed"}),
        ("completion_rate", "denominator", {"a_closed", "a_handling"}),
        ("valid_rate", "numerator", {"a_closed", "a_handling"}),
    ):
        page = client.get(reverse("dashboard:cases"), {**NOV, "as_of": AS_OF, "measure": measure, "part": part}).text
        numbers = set(re.findall(r"DX2026-\d{6}", page))
        assert numbers == {cases[k].number for k in expected}, (measure, part)
        assert f"共 {len(expected)} 件" in page


def test_drill_down_lists_write_their_times_the_chinese_way(world: TownWorld, cases) -> None:
    client = signed_in(world.leader)
    page = client.get(reverse("dashboard:cases"), {**NOV, "as_of": AS_OF, "measure": "registered", "part": "numerator"})
    row = page.text.split(cases["a_closed"].number)[1].split("</tr>")[0]
    registered, deadline = (
        timezone.localtime(t) for t in (cases["a_closed"].registered_at, cases["a_closed"].handle_deadline)
    )
    assert re.findall(r'<td class="hide-sm">([^<]*)</td>', row)[-2:] == [
        f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}" for t in (registered, deadline)
    ]


def test_a_drill_down_opened_without_a_moment_says_the_moment_it_counted_at(world: TownWorld, cases) -> None:
    before = timezone.now()
    page = signed_in(world.leader).get(reverse("dashboard:cases"), {**NOV, "measure": "registered"}).text
    stamp = re.search(r"数据截至 (\d+)年(\d+)月(\d+)日 (\d+):(\d+)", page)
    assert stamp is not None
    local = timezone.localtime(before)
    shown = tuple(int(part) for part in stamp.groups())
    assert shown in {(t.year, t.month, t.day, t.hour, t.minute) for t in (local, local + timezone.timedelta(minutes=1))}


def test_drill_down_is_limited_to_what_the_user_may_see(world: TownWorld, cases) -> None:
    page = (
        signed_in(world.village_staff_a)
        .get(
            reverse("dashboard:cases"),
            {
                **NOV,
                "as_of": AS_OF,
                "measure": "reported",
                "part": "numerator",
                "scope": f"village:{world.village_a.pk}",
            },
        )
        .text
    )
    assert set(re.findall(r"DX2026-\d{6}", page)) == {
        cases["a_closed"].number,
        cases["a_handling"].number,
        cases["a_rejected"].number,
    }


def test_drill_down_of_an_unknown_measure_is_404(world: TownWorld) -> None:
    client = signed_in(world.leader)
    assert client.get(reverse("dashboard:cases"), {"measure": "score", "part": "numerator"}).status_code == 404
    assert client.get(reverse("dashboard:cases"), {"measure": "nope"}).status_code == 404
    assert client.get(reverse("dashboard:cases"), {"measure": "reported", "part": "x"}).status_code == 404


def test_drill_down_query_count_does_not_grow(world: TownWorld, django_assert_max_num_queries) -> None:
    world.bring_to(Status.CLOSED)
    client = signed_in(world.leader)
    params = {**NOV, "as_of": AS_OF, "measure": "registered", "part": "numerator"}
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dashboard:cases"), params)
    baseline = len(few)  # read now: every request clears the query log
    for _ in range(5):
        world.bring_to(Status.HANDLING)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard:cases"), params)


def test_rankings_equal_the_ranking_function(world: TownWorld, cases) -> None:
    page = signed_in(world.leader).get(reverse("dashboard:rankings"), {**NOV, "by": "village", "as_of": AS_OF}).text
    from django.utils.dateparse import parse_datetime

    rows = ranking(town=world.town, period=Period.month(2026, 11), by="village", as_of=parse_datetime(AS_OF))
    assert [r.name for r in rows] == ["双合村", "火箭村"]
    for row in rows:
        assert row.name in page
        assert row.score.display in page
    assert "样本少" in page
    assert page.index("双合村") < page.index("火箭村")


def test_rankings_by_department_and_grid_worker(world: TownWorld, cases) -> None:
    client = signed_in(world.operator)
    assert "综合行政执法中队" in client.get(reverse("dashboard:rankings"), {**NOV, "by": "department"}).text
    assert "孙网格" in client.get(reverse("dashboard:rankings"), {**NOV, "by": "grid_worker"}).text
    assert "排名对象无效" in client.get(reverse("dashboard:rankings"), {**NOV, "by": "nobody"}).text


def test_board_page_and_its_json(world: TownWorld, cases) -> None:
    client = signed_in(world.leader)
    page = client.get(reverse("dashboard:board"), {**NOV, "as_of": AS_OF})
    assert page.status_code == 200
    for text in ("超期事件", "临期事件", "事件地图"):  # scripts: tests/ui/dashboard/test_page_weight.py
        assert text in page.text
    charts = json.loads(client.get(reverse("dashboard:board_charts"), {**NOV, "as_of": AS_OF}).content)
    assert charts["funnel"] == [
        {"name": "上报", "value": 4},
        {"name": "立案", "value": 2},
        {"name": "已处置", "value": 1},
        {"name": "已结案", "value": 1},
    ]
    assert charts["trend"]["reported"][10] == 4
    assert charts["trend"]["completion"][10] == 50.0
    assert charts["areas"] == {"names": ["双合村"], "registered": [2], "completion": [50.0]}
    assert charts["channels"] == [{"name": "网格员上报", "value": 4}]
    assert charts["categories"] == [{"name": "市容环卫", "value": 2}]


def test_board_charts_for_a_village_group_by_grid(world: TownWorld, cases) -> None:
    client = signed_in(world.village_staff_a)
    charts = json.loads(client.get(reverse("dashboard:board_charts"), {**NOV, "as_of": AS_OF}).content)
    assert charts["areas"] == {"names": ["双合村第1网格"], "registered": [2], "completion": [50.0]}
    assert charts["funnel"][0] == {"name": "上报", "value": 3}
    assert charts["trend"]["reported"][10] == 3


def test_map_json_clusters_only_visible_cases(world: TownWorld, cases) -> None:
    from gridgov.data.cases.models import Case

    Case.objects.filter(pk=cases["a_closed"].pk).update(latitude="30.26", longitude="122.10")
    Case.objects.filter(pk=cases["b_reported"].pk).update(latitude="30.27", longitude="122.11")
    leader = json.loads(signed_in(world.leader).get(reverse("dashboard:board_map"), {**NOV, "zoom": "18"}).content)
    assert sorted(c["number"] for c in leader["clusters"]) == sorted(
        [cases["a_closed"].number, cases["b_reported"].number]
    )
    village = json.loads(
        signed_in(world.village_staff_a).get(reverse("dashboard:board_map"), {**NOV, "zoom": "18"}).content
    )
    assert [c["number"] for c in village["clusters"]] == [cases["a_closed"].number]
    far = json.loads(
        signed_in(world.leader)
        .get(reverse("dashboard:board_map"), {**NOV, "zoom": "3", "south": "0", "west": "0", "north": "1", "east": "1"})
        .content
    )
    assert far["clusters"] == []


def test_board_query_count_does_not_grow(world: TownWorld, django_assert_max_num_queries) -> None:
    world.bring_to(Status.CLOSED)
    client = signed_in(world.leader)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dashboard:board"), NOV)
    baseline = len(few)  # read now: every request clears the query log
    for _ in range(4):
        world.bring_to(Status.HANDLING, now=MONDAY_0900 - timedelta(days=3))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard:board"), NOV)
    assert date(2026, 11, 23) == MONDAY_0900.date()


def test_county_roles_choose_the_town_and_town_roles_cannot(world: TownWorld, cases) -> None:
    from gridgov.data.org.domain import create_area, grant_role
    from gridgov.data.org.enums import AreaLevel, Role

    other = create_area(code="330921103", name="高亭镇", level=AreaLevel.TOWN, parent=world.county)
    county_admin = User.objects.create_user(username="county", password="pw-for-tests-1", full_name="县管理员")
    grant_role(user=county_admin, role=Role.ADMIN, area=world.county)
    client = signed_in(county_admin)
    page = client.get(reverse("dashboard:indicators"), {**NOV, "as_of": AS_OF}).text
    assert '<select name="town">' in page
    assert _figure(page, "reported") == "4"
    other_page = client.get(reverse("dashboard:indicators"), {**NOV, "as_of": AS_OF, "town": other.pk}).text
    assert _figure(other_page, "reported") == "0"
    assert signed_in(world.leader).get(reverse("dashboard:indicators"), {"town": other.pk}).status_code == 403


def test_rankings_query_count_does_not_grow(world: TownWorld, django_assert_max_num_queries) -> None:
    world.bring_to(Status.CLOSED)
    client = signed_in(world.leader)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dashboard:rankings"), {**NOV, "by": "grid_worker", "as_of": AS_OF})
    baseline = len(few)  # read now: every request clears the query log
    for _ in range(3):
        world.bring_to(Status.CLOSED)
        world.report(reporter=world.grid_worker_b, area=world.grid_b)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard:rankings"), {**NOV, "by": "grid_worker", "as_of": AS_OF})


# The town's charts: the session, the user, their memberships and the towns (4), then five figures from the rollups —
# the funnel, the trend by month, the categories, the villages and the channels — each a freshness probe, the rollup
# sums and the live count (15), the town's weights read once for all five (1), the names of the areas and categories
# (2), the villages' deductions (1). (27 with the weights read five times.)
BOARD_CHARTS_QUERIES = 23


def test_the_town_charts_cost_the_same_queries_for_more_cases(world: TownWorld, django_assert_num_queries) -> None:
    world.bring_to(Status.CLOSED)
    client = signed_in(world.leader)
    client.get(reverse("dashboard:board_charts"), NOV)  # the first request of a session writes to it
    with django_assert_num_queries(BOARD_CHARTS_QUERIES):
        client.get(reverse("dashboard:board_charts"), NOV)
    for days in range(1, 8):  # seven more in November, three days apart
        world.bring_to(Status.HANDLING, now=MONDAY_0900 - timedelta(days=days * 3))
    with django_assert_num_queries(BOARD_CHARTS_QUERIES):
        charts = json.loads(client.get(reverse("dashboard:board_charts"), NOV).content)
    assert charts["funnel"][1] == {"name": "立案", "value": 8}
