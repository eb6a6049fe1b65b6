"""The economic and social indicators page: scope, entry forms with errors beside the field, htmx panel."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from gridgov.data.reports.domain.economy import define_indicator, record_actual, set_target
from gridgov.data.reports.models import IndicatorActual, IndicatorDefinition
from tests.factories import MONDAY_0900, TownWorld, signed_in


def test_leader_sees_targets_year_to_date_and_change(world: TownWorld) -> None:
    output = define_indicator(town=world.town, code="GYZCZ", name="工业总产值", unit="万元")
    set_target(indicator=output, year=2026, value="300000")
    record_actual(indicator=output, year=2025, period=1, value="10000", user=None, now=MONDAY_0900)
    record_actual(indicator=output, year=2026, period=1, value="16617", user=None, now=MONDAY_0900)
    page = signed_in(world.leader).get(reverse("dashboard:economy"), {"year": 2026}).text
    for text in ("工业总产值", "万元", "300000", "1月", "16617", "5.5%", "10000", "增长66.17%"):
        assert text in page


def test_only_town_wide_roles_see_the_economy(world: TownWorld) -> None:
    for user in (world.grid_worker_a, world.handler_a, world.resident, world.village_staff_a):
        assert signed_in(user).get(reverse("dashboard:economy")).status_code == 403
    for user in (world.leader, world.operator, world.admin):
        assert signed_in(user).get(reverse("dashboard:economy")).status_code == 200


def test_define_target_and_actual_through_the_forms(world: TownWorld) -> None:
    client = signed_in(world.operator)
    response = client.post(
        reverse("dashboard:economy_define"),
        {
            "code": "GDZC",
            "name": "固定资产投资",
            "unit": "万元",
            "kind": "investment",
            "frequency": "quarterly",
            "accumulation": "cumulative",
            "year": "2026",
        },
    )
    assert response.status_code == 302
    indicator = IndicatorDefinition.objects.get(code="GDZC")
    assert (indicator.frequency, indicator.accumulation) == ("quarterly", "cumulative")
    response = client.post(
        reverse("dashboard:economy_target"), {"indicator": indicator.pk, "year": "2026", "value": "52,000"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("dashboard:economy_actual"),
        {"indicator": indicator.pk, "year": "2026", "period": "2", "value": "30000", "note": ""},
    )
    assert response.status_code == 302
    actual = IndicatorActual.objects.get()
    assert (actual.period, actual.value, actual.entered_by_id) == (2, Decimal(30000), world.operator.pk)
    page = client.get(reverse("dashboard:economy"), {"year": 2026}).text
    assert "第二季度" in page
    assert "57.7%" in page  # 30000 / 52000


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(world: TownWorld) -> None:
    indicator = define_indicator(town=world.town, code="Q", name="季度指标", unit="个", frequency="quarterly")
    client = signed_in(world.leader)
    response = client.post(
        reverse("dashboard:economy_actual"), {"indicator": indicator.pk, "year": "2026", "period": "7", "value": "3"}
    )
    assert response.status_code == 400
    assert "季度必须在 1 至 4 之间" in response.text
    response = client.post(
        reverse("dashboard:economy_actual"), {"indicator": indicator.pk, "year": "2026", "period": "1", "value": "三"}
    )
    assert "“三”不是有效的数字" in response.text
    assert IndicatorActual.objects.count() == 0
    response = client.post(
        reverse("dashboard:economy_define"),
        {
            "code": "Q",
            "name": "另一个",
            "unit": "个",
            "kind": "other",
            "frequency": "monthly",
            "accumulation": "period",
        },
    )
    assert response.status_code == 400
    assert "指标编码 Q 已存在" in response.text


def test_htmx_post_returns_the_panel_only(world: TownWorld) -> None:
    indicator = define_indicator(town=world.town, code="Q", name="季度指标", unit="个")
    response = signed_in(world.leader).post(
        reverse("dashboard:economy_actual"),
        {"indicator": indicator.pk, "year": "2026", "period": "1", "value": "5"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="economy-panel">')
    assert "<html" not in response.text


def test_economy_page_query_count_does_not_grow(world: TownWorld, django_assert_max_num_queries) -> None:
    client = signed_in(world.leader)
    define_indicator(town=world.town, code="A", name="甲", unit="个")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("dashboard:economy"))
    baseline = len(few)  # read now: every request clears the query log
    for n in range(6):
        d = define_indicator(town=world.town, code=f"I{n}", name=f"指标{n}", unit="个")
        record_actual(indicator=d, year=2026, period=1, value=n, user=None, now=MONDAY_0900)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard:economy"))
