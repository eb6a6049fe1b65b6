"""重点工作 (the dashboard's economic ledgers): key projects by schedule with investment planned and done, leads by
stage and funds arrived by month, the villages' collective income — counted from records made through the domain,
for the town's leaders and command room only, in a number of queries that does not grow with the records."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.investment.domain import ArrivalInput, LeadInput, record_arrival, record_lead
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.projects.domain import ProgressInput, record_progress
from gridgov.data.projects.enums import ProjectType
from tests.data.projects.builders import project
from tests.factories import TownWorld, signed_in
from tests.ui.frontend import needs_frontend_build, require_build
from tests.ui.test_light_pages import KB, first_load

URL = reverse("dashboard:development")


def _records(world: TownWorld, n: int, *, first: int = 0) -> None:
    """``n`` of each: a project behind schedule with this year's plan and a month's progress, a lead signed today
    with this month's arrival, village A's operating income of this month."""
    now = timezone.now()
    today = timezone.localdate(now)
    for i in range(first, first + n):
        built = project(world, name=f"项目{i}", total="300万", year_investment="200万")
        record_progress(
            actor=world.operator,
            data=ProgressInput(project=built, year=today.year, month=today.month, investment="50万"),
            now=now,
        )
        lead = record_lead(
            actor=world.operator,
            data=LeadInput(
                town=world.town,
                name=f"招商项目{i}",
                source=Source.LEADER,
                industry=Industry.PETROCHEMICAL,
                lead_on=today - timedelta(days=2),
                talks_on=today - timedelta(days=1),
                signed_on=today,
                signed_amount="1.2亿",
            ),
            now=now,
        )
        record_arrival(
            actor=world.operator,
            data=ArrivalInput(lead=lead, year=today.year, month=today.month, amount="3,000万"),
            now=now,
        )
    record_income(
        actor=world.operator,
        data=IncomeInput(
            village=world.village_a, year=today.year, month=today.month, kind=IncomeKind.OPERATING, amount=f"{60 * n}万"
        ),
        now=now,
    )


def test_the_year_at_a_glance_from_the_records(world: TownWorld) -> None:
    _records(world, 2)
    page = signed_in(world.operator).get(URL).content.decode()
    month = timezone.localdate().month
    assert '<tr data-schedule="behind"><td>滞后</td>' in page
    assert f'?year={timezone.localdate().year}&amp;schedule=behind">2</a>' in page
    assert '<span id="projects-done">100万元</span>' in page  # 2 × 50万 reported against a plan of 2 × 200万
    assert (
        '<tr data-stage="signed"><td>签约</td><td class="num"><a href="/ledgers/investment/?stage=signed">2</a>' in page
    )
    assert '<span id="arrived-total">6000万元</span>' in page
    assert f'<span class="num" data-month="{month}">6000万元</span>' in page
    village = page[page.index(f'<tr data-village="{world.village_a.pk}">') :]
    assert village[: village.index("</tr>")].count("超50万元") == 1


def test_only_the_town_wide_see_it(world: TownWorld) -> None:
    assert signed_in(world.leader).get(URL).status_code == 200
    assert signed_in(world.village_staff_a).get(URL).status_code == 403
    assert signed_in(world.grid_worker_a).get(URL).status_code == 403


def test_queries_do_not_grow_with_the_records(world: TownWorld, django_assert_num_queries) -> None:
    _records(world, 1)
    client = signed_in(world.operator)
    client.get(URL)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    _records(world, 4, first=1)
    project(world, name="围垦土地整治", type=ProjectType.LAND, total="2亿", year_investment="1.2亿")  # a second type
    with django_assert_num_queries(len(captured)):
        client.get(URL)


def test_a_refusal_says_why_in_chinese(world: TownWorld) -> None:
    refused = signed_in(world.village_staff_a).get(URL)
    assert refused.status_code == 403
    assert '<p id="forbidden-reason">只有本镇领导、指挥室和管理员可以查看全镇数据</p>' in refused.content.decode()
    assert "<h1>您无权查看此页面</h1>" in refused.content.decode()


def _chart_data(page: str) -> object:
    """The content of the page's json_script for the charts."""
    start = page.index('<script id="development-charts" type="application/json">')
    body = page[page.index(">", start) + 1 :]
    return json.loads(body[: body.index("</script>")])


def test_the_charts_draw_the_figures_of_the_records(world: TownWorld) -> None:
    _records(world, 2)  # 2 infrastructure projects behind schedule, 200万 planned and 50万 done each
    today = timezone.localdate()
    # on schedule: its one milestone is ten days ahead
    plan = [("立项", today + timedelta(days=10))]
    project(world, name="围垦土地整治", type=ProjectType.LAND, total="2亿", year_investment="1.2亿", plan=plan)
    year, month = today.year, today.month
    data = _chart_data(signed_in(world.operator).get(URL).content.decode())

    projects = f"/ledgers/projects/?year={year}"
    infrastructure, land = f"{projects}&type=infrastructure", f"{projects}&type=land"
    arrivals = f"/ledgers/investment/arrivals/?year={year}"
    village_a = f"/ledgers/collective/villages/{world.village_a.pk}/?year={year}"
    village_b = f"/ledgers/collective/villages/{world.village_b.pk}/?year={year}"
    nothing_a, nothing_b = (
        {"value": 0.0, "text": "0元", "link": village_a},
        {"value": 0.0, "text": "0元", "link": village_b},
    )
    assert data == {
        "unit": "万元",
        "projects": {
            "types": ["基础设施", "土地整治"],
            "series": [
                {
                    "name": "年度计划投资",
                    "data": [
                        {"value": 400.0, "text": "400万元", "link": infrastructure},
                        {"value": 12000.0, "text": "1.2亿元", "link": land},
                    ],
                },
                {
                    "name": "已完成投资",
                    "data": [
                        {"value": 100.0, "text": "100万元", "link": infrastructure},
                        {"value": 0.0, "text": "0元", "link": land},
                    ],
                },
            ],
            "schedules": [
                {"name": "超时序", "value": 0, "itemStyle": {"color": "#2563eb"}, "link": f"{projects}&schedule=ahead"},
                {"name": "按序", "value": 1, "itemStyle": {"color": "#15803d"}, "link": f"{projects}&schedule=on_time"},
                {"name": "滞后", "value": 2, "itemStyle": {"color": "#dc2626"}, "link": f"{projects}&schedule=behind"},
            ],
        },
        "arrivals": {
            "months": [f"{m}月" for m in range(1, 13)],
            "series": [
                {
                    "name": "当月到位资金",
                    "data": [
                        {
                            "value": 6000.0 if m == month else 0.0,
                            "text": "6000万元" if m == month else "0元",
                            "link": arrivals,
                        }
                        for m in range(1, 13)
                    ],
                },
                {
                    "name": "累计到位资金",
                    "data": [
                        {
                            "value": 6000.0 if m >= month else 0.0,
                            "text": "6000万元" if m >= month else "0元",
                            "link": arrivals,
                        }
                        for m in range(1, 13)
                    ],
                },
            ],
        },
        "collective": {
            "villages": ["双合村", "火箭村"],
            "series": [
                {"name": "经营性收入", "data": [{"value": 120.0, "text": "120万元", "link": village_a}, nothing_b]},
                {"name": "非经营性收入", "data": [nothing_a, nothing_b]},
                {"name": "补助收入", "data": [nothing_a, nothing_b]},
            ],
        },
    }


def test_the_investment_by_type_is_a_table_too(world: TownWorld) -> None:
    _records(world, 1)
    page = signed_in(world.operator).get(URL).content.decode()
    year = timezone.localdate().year
    assert (
        '<tr data-type="infrastructure">'
        f'<td><a href="/ledgers/projects/?year={year}&amp;type=infrastructure">基础设施</a></td>'
        '<td class="num">200万元</td><td class="num">50万元</td></tr>'
    ) in page


def test_the_chart_labels_follow_the_language(world: TownWorld) -> None:
    _records(world, 1)
    client = signed_in(world.operator)
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    data = _chart_data(client.get(URL).content.decode())
    assert isinstance(data, dict)
    assert data["unit"] == "10,000 yuan"
    arrivals, projects = data["arrivals"], data["projects"]
    assert isinstance(arrivals, dict)
    assert isinstance(projects, dict)
    assert [s["name"] for s in arrivals["series"]] == ["Funds arrived in the month", "Funds arrived to date"]
    assert arrivals["months"][:2] == ["Month 1", "Month 2"]
    assert [s["name"] for s in projects["schedules"]] == ["Ahead of schedule", "On schedule", "Behind schedule"]
    assert projects["types"] == ["Infrastructure"]


@needs_frontend_build
def test_the_page_stays_light_and_only_it_loads_its_charts(world: TownWorld) -> None:
    require_build()
    _records(world, 1)
    client = signed_in(world.operator)
    total, assets, sizes = first_load(client, URL)
    assert total <= 200 * KB, sizes  # the dashboard's budget: the ECharts bundle, the page, our scripts
    assert [src for src in assets.loaded if "development" in src] == ["/static/dashboard/development.js"]
    assert assets.on_demand == []
    _total, board, _sizes = first_load(client, "/dashboard/economy/")
    assert [src for src in board.loaded if "development" in src] == []
