"""Investment attraction through the API: leads seen per role (out of scope: not found), created once per
Idempotency-Key with amounts as people type them, bad input refused naming the field with nothing written, arrivals
recorded by month, the list in a constant number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.investment.domain import LeadInput, record_lead
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.investment.models import FundArrival, Lead, StageChange
from gridgov.data.org.models import Enterprise, User
from tests.data.investment.support import credit_code, make_investor
from tests.factories import WORLD_NOW, TownWorld
from tests.ui.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
LEADS = "/api/investment/leads"
BODY = {
    "name": "石化配套项目",
    "source": "leader",
    "industry": "petrochemical",
    "lead_on": "2026-01-05",
    "talks_on": "2026-02-05",
    "signed_on": "2026-03-05",
    "signed_amount": "1.2亿",
}


def _lead(world: TownWorld, name: str) -> Lead:
    data = LeadInput(town=world.town, name=name, source=Source.OTHER, industry=Industry.OTHER, lead_on=date(2026, 1, 2))
    return record_lead(actor=world.operator, data=data, now=WORLD_NOW)


def test_a_lead_is_created_once_per_key(world: TownWorld):
    client = ApiClient(make_investor(world))
    first = client.post(LEADS, BODY, **{"Idempotency-Key": "lead-1"})
    assert first.status_code == 201
    shown = first.json()
    assert (shown["stage"], shown["signed_amount"], shown["billion"], shown["arrivals"]) == ("signed", 1.2e8, True, [])
    again = client.post(LEADS, BODY, **{"Idempotency-Key": "lead-1"})
    assert (again.status_code, again.json()) == (200, shown)
    assert Lead.objects.count() == 1
    detail = client.get(f"{LEADS}/{shown['id']}").json()
    assert {k: v for k, v in detail.items() if k != "created_at"} == {
        k: v for k, v in shown.items() if k != "created_at"
    }  # the created answer's time is written to the millisecond, the detail's to the microsecond


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signed_amount": None}, "signed_amount", "签约须填写签约金额"),
        ({"signed_amount": "很多"}, "signed_amount", "签约金额：“很多”不是金额"),
        ({"talks_on": None}, "talks_on", "洽谈日期：已填写签约日期，须先填写洽谈日期"),
        ({"signed_on": "2026-01-01"}, "signed_on", "签约日期（2026年1月1日）早于洽谈日期（2026年2月5日）"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world: TownWorld, changes: dict[str, object], field: str, message: str):
    answer = ApiClient(world.operator).post(LEADS, {**BODY, **changes})
    assert answer.status_code == 422
    assert (answer.json()["field"], answer.json()["message"]) == (field, message)
    assert (Lead.objects.count(), StageChange.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("operator", True), ("leader", True), ("admin", True), ("handler_a", False), ("village_staff_a", False),
     ("grid_worker_a", False), ("resident", False), ("enterprise", False)],
)  # fmt: skip
def test_leads_are_seen_per_role_and_out_of_scope_is_not_found(world: TownWorld, persona: str, sees: bool):
    lead = _lead(world, "某项目")
    client = ApiClient(getattr(world, persona))
    listed = [row["id"] for row in client.get(LEADS).json()["results"]]
    assert listed == ([lead.pk] if sees else [])
    assert client.get(f"{LEADS}/{lead.pk}").status_code == (200 if sees else 404)
    arrival = client.post(f"{LEADS}/{lead.pk}/arrivals", {"year": 2026, "month": 3, "amount": "100万"})
    assert arrival.status_code == (422 if sees else 404)  # the lead is not signed; or not found
    assert FundArrival.objects.count() == 0
    if not sees:
        assert client.post(LEADS, BODY).status_code == 403
        assert Lead.objects.count() == 1


def test_arrivals_are_recorded_by_month_once_per_key(world: TownWorld):
    client = ApiClient(world.operator)
    lead = client.post(LEADS, BODY).json()
    url = f"{LEADS}/{lead['id']}/arrivals"
    first = client.post(url, {"year": 2026, "month": 4, "amount": "３，５００万"}, **{"Idempotency-Key": "a-1"})
    assert (first.status_code, first.json()["amount"]) == (201, 3.5e7)
    assert (
        client.post(url, {"year": 2026, "month": 4, "amount": "３，５００万"}, **{"Idempotency-Key": "a-1"}).status_code
        == 200
    )
    future = client.post(url, {"year": 2026, "month": 12, "amount": 1000})
    assert (future.status_code, future.json()["field"]) == (422, "month")
    assert list(FundArrival.objects.values_list("month", "amount")) == [(4, Decimal(35_000_000))]
    assert client.get(f"{LEADS}/{lead['id']}").json()["arrivals"][0]["amount"] == 3.5e7


def test_the_list_filters_and_costs_the_same_queries_for_more_rows(world: TownWorld):
    client = ApiClient(world.operator)
    client.post(LEADS, BODY)
    _lead(world, "线索项目")
    assert [r["name"] for r in client.get(LEADS, signed_year=2026).json()["results"]] == ["石化配套项目"]
    assert [r["name"] for r in client.get(LEADS, stage="lead").json()["results"]] == ["线索项目"]
    client.post(LEADS, {**BODY, "name": "飞地项目", "enclave_place": "舟山高新区"})
    assert [r["name"] for r in client.get(LEADS, enclave="true").json()["results"]] == ["飞地项目"]
    assert [r["name"] for r in client.get(LEADS, enclave="false").json()["results"]] == ["石化配套项目", "线索项目"]
    with CaptureQueriesContext(connection) as few:
        client.get(LEADS)
    for n in range(5):
        _lead(world, f"新项目{n}")
    with CaptureQueriesContext(connection) as more:
        assert client.get(LEADS).json()["count"] == 8
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_global_admin_names_the_town(world: TownWorld):
    root = User.objects.create_superuser(username="root", password="x")
    client = ApiClient(root)
    assert client.post(LEADS, BODY).json()["field"] == "town_id"
    assert client.post(LEADS, {**BODY, "town_id": world.town.pk}).status_code == 201


def test_a_lead_moves_forward_one_stage_at_a_time_once_per_key(world: TownWorld):
    lead = _lead(world, "船用锚链加工项目")
    client = ApiClient(make_investor(world))
    stages = f"{LEADS}/{lead.pk}/stages"
    talks = client.post(stages, {"stage": "talks", "on": "2026-02-01"}, **{"Idempotency-Key": "talks-1"})
    assert (talks.status_code, talks.json()["stage"], talks.json()["talks_on"]) == (201, "talks", "2026-02-01")
    again = client.post(stages, {"stage": "talks", "on": "2026-02-01"}, **{"Idempotency-Key": "talks-1"})
    assert (again.status_code, again.json()["stage"]) == (200, "talks")
    skipped = client.post(stages, {"stage": "landed", "on": "2026-03-01"})
    unsigned = client.post(stages, {"stage": "signed", "on": "2026-03-01"})
    assert [(r.status_code, r.json()["field"], r.json()["message"]) for r in (skipped, unsigned)] == [
        (422, "stage", "阶段：须逐步推进，下一阶段为“签约”"),
        (422, "signed_amount", "签约须填写签约金额"),
    ]
    signed = client.post(stages, {"stage": "signed", "on": "2026-03-01", "signed_amount": "3,500万"})
    assert (signed.status_code, signed.json()["signed_amount"]) == (201, 3.5e7)
    assert list(StageChange.objects.filter(lead=lead).order_by("pk").values_list("to_stage", flat=True)) == [
        "lead",
        "talks",
        "signed",
    ]
    assert ApiClient(world.handler_a).post(stages, {"stage": "landed", "on": "2026-04-01"}).status_code == 404


def test_a_landed_leads_enterprise_is_registered_with_its_credit_code(world: TownWorld):
    investor = make_investor(world)
    data = LeadInput(
        town=world.town, name="渔具制造项目", source=Source.BUSINESS, industry=Industry.AQUATIC,
        lead_on=date(2026, 1, 2), talks_on=date(2026, 2, 2), signed_on=date(2026, 3, 2), signed_amount="1300万",
    )  # fmt: skip
    lead = record_lead(actor=investor, data=data, now=WORLD_NOW)
    client = ApiClient(investor)
    url = f"{LEADS}/{lead.pk}/enterprise"
    body = {"credit_code": credit_code(77), "name": "舟山渔具制造有限公司", "registered_on": "2026-05-08"}
    early = client.post(url, body)
    assert (early.status_code, early.json()["message"]) == (
        422,
        "新增企业：项目“渔具制造项目”尚未落地，落地后方可登记企业",
    )
    client.post(f"{LEADS}/{lead.pk}/stages", {"stage": "landed", "on": "2026-05-01"})
    bad = client.post(url, {**body, "credit_code": "91330921000000000X"})
    assert (bad.status_code, bad.json()["field"]) == (422, "credit_code")
    done = client.post(url, body, **{"Idempotency-Key": "firm-1"})
    assert (done.status_code, done.json()["enterprise"]) == (
        201,
        {"id": done.json()["enterprise"]["id"], "name": "舟山渔具制造有限公司", "credit_code": credit_code(77),
         "registered_on": "2026-05-08"},
    )  # fmt: skip
    replay = client.post(url, body, **{"Idempotency-Key": "firm-1"})
    twice = client.post(url, body)
    assert (replay.status_code, twice.status_code) == (200, 409)
    assert Enterprise.objects.filter(credit_code=credit_code(77)).count() == 1
