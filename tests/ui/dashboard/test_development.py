"""重点工作 (the dashboard's economic ledgers): key projects by schedule with investment planned and done, leads by
stage and funds arrived by month, the villages' collective income — counted from records made through the domain,
for the town's leaders and command room only, in a number of queries that does not grow with the records."""

from __future__ import annotations

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
from tests.data.projects.builders import project
from tests.factories import TownWorld, signed_in

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
    with django_assert_num_queries(len(captured)):
        client.get(URL)


def test_a_refusal_says_why_in_chinese(world: TownWorld) -> None:
    refused = signed_in(world.village_staff_a).get(URL)
    assert refused.status_code == 403
    assert '<p id="forbidden-reason">只有本镇领导、指挥室和管理员可以查看全镇数据</p>' in refused.content.decode()
    assert "<h1>您无权查看此页面</h1>" in refused.content.decode()
