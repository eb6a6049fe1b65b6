"""The investment attraction pages: the leads list (filters, export, its queries), a lead's page (stage steps moved
with htmx, refusals beside their field, arrivals, the new enterprise), the new-lead form, the arrivals by month,
and who sees them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.investment.domain import ArrivalInput, LeadInput, record_arrival, record_lead
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.models import Enterprise, User
from tests.data.investment.support import credit_code, make_investor
from tests.factories import WORLD_NOW, TownWorld, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("ledgers:investment_leads")
EXPORT = reverse("ledgers:investment_leads_export")
NEW = reverse("ledgers:investment_lead_new")
ARRIVALS = reverse("ledgers:investment_arrivals")


def _lead(world: TownWorld, name: str, **changes: object) -> Lead:
    fields: dict[str, object] = {
        "town": world.town,
        "name": name,
        "source": Source.LEADER,
        "industry": Industry.OTHER,
        "lead_on": date(2026, 2, 1),
    }
    fields.update(changes)
    return record_lead(actor=world.operator, data=LeadInput(**fields), now=WORLD_NOW)


def _signed(world: TownWorld, name: str, amount: str, **changes: object) -> Lead:
    return _lead(world, name, talks_on=date(2026, 3, 1), signed_on=date(2026, 4, 1), signed_amount=amount, **changes)


@pytest.fixture
def ledger(world: TownWorld) -> dict[str, Lead]:
    return {
        "petro": _signed(world, "石化配套项目", "1.2亿", industry=Industry.PETROCHEMICAL, major_industrial=True),
        "ship": _signed(world, "船舶修造项目", "3,500万", industry=Industry.SHIPBUILDING, source=Source.NATIVE),
        "talks": _lead(world, "文旅洽谈项目", talks_on=date(2026, 3, 1), industry=Industry.TOURISM),
        "old": _lead(world, "去年签约项目", lead_on=date(2025, 1, 1), talks_on=date(2025, 2, 1),
                     signed_on=date(2025, 3, 1), signed_amount="800万", enclave=True, enclave_place="舟山高新区"),
    }  # fmt: skip


def _names(html: str) -> list[str]:
    table = html.split('id="lead-list"', 1)[1].split("</table>", 1)[0]
    return [name for name in ("石化配套项目", "船舶修造项目", "文旅洽谈项目", "去年签约项目") if name in table]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["石化配套项目", "船舶修造项目", "文旅洽谈项目", "去年签约项目"]),
        ({"stage": Stage.SIGNED}, ["石化配套项目", "船舶修造项目", "去年签约项目"]),
        ({"stage": Stage.TALKS}, ["文旅洽谈项目"]),
        ({"source": Source.NATIVE}, ["船舶修造项目"]),
        ({"industry": Industry.PETROCHEMICAL}, ["石化配套项目"]),
        ({"year": "2026"}, ["石化配套项目", "船舶修造项目"]),
        ({"year": "2025"}, ["去年签约项目"]),
        ({"flag": "billion"}, ["石化配套项目"]),
        ({"flag": "major"}, ["石化配套项目"]),
        ({"flag": "enclave"}, ["去年签约项目"]),
    ],
)
def test_the_list_filters(world: TownWorld, ledger: dict[str, Lead], query: dict[str, str], names: list[str]):
    page = signed_in(world.operator).get(LIST, query)
    assert page.status_code == 200
    assert _names(page.text) == names


def test_a_filter_change_swaps_only_the_rows(world: TownWorld, ledger: dict[str, Lead]):
    page = signed_in(world.operator).get(LIST, {"flag": "billion"}, headers={"HX-Request": "true"})
    assert "<h1>" not in page.text
    assert _names(page.text) == ["石化配套项目"]


def test_the_export_has_the_filtered_leads(world: TownWorld, ledger: dict[str, Lead]):
    export = signed_in(world.operator).get(EXPORT, {"year": "2026"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[:6] for row in rows[1:]] == [  # the two leads signed in 2026, the later entered first
        ["船舶修造项目", "签约", "乡贤招商", "船舶修造", 35000000, None],
        ["石化配套项目", "签约", "一把手招商", "石化配套", 120000000, "是"],
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("operator", 200),
        ("leader", 200),
        ("admin", 200),
        ("investor", 200),
        ("handler_a", 403),
        ("village_staff_a", 403),
        ("grid_worker_a", 403),
        ("resident", 403),
        ("enterprise", 403),
    ],
)
def test_who_sees_the_pages(world: TownWorld, ledger: dict[str, Lead], persona: str, status: int):
    user = make_investor(world) if persona == "investor" else getattr(world, persona)
    client = signed_in(user)
    detail = reverse("ledgers:investment_lead", args=[ledger["petro"].pk])
    assert [client.get(url).status_code for url in (LIST, EXPORT, ARRIVALS, detail, NEW)] == [status] * 5
    menu = client.get(reverse("ledgers:index")).text if status == 200 else ""
    assert (LIST in menu) is (status == 200)


def test_the_new_lead_form_keeps_its_input_on_a_refusal_then_records(world: TownWorld):
    client = signed_in(make_investor(world))
    form = {
        "name": "水产加工项目",
        "source": Source.BUSINESS,
        "industry": Industry.AQUATIC,
        "lead_on": "2026-01-05",
        "talks_on": "2026-02-05",
        "signed_on": "2026-03-05",
        "signed_amount": "",
    }
    refused = client.post(NEW, form)
    assert refused.status_code == 200
    assert "签约须填写签约金额" in refused.text
    assert 'value="水产加工项目"' in refused.text
    assert Lead.objects.count() == 0
    done = client.post(NEW, {**form, "signed_amount": "２，０００万"})
    lead = Lead.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("ledgers:investment_lead", args=[lead.pk])
    assert (lead.stage, lead.signed_amount, lead.created_by.username if lead.created_by else "") == (
        Stage.SIGNED, Decimal(20_000_000), "jingfaban",
    )  # fmt: skip


def test_the_stage_steps_move_forward_in_place(world: TownWorld, ledger: dict[str, Lead]):
    lead = ledger["talks"]
    client = signed_in(world.operator)
    url = reverse("ledgers:investment_lead_advance", args=[lead.pk])
    htmx = {"HX-Request": "true"}
    refused = client.post(url, {"stage": Stage.SIGNED, "on": "2026-05-01", "signed_amount": ""}, headers=htmx)
    assert "签约须填写签约金额" in refused.text
    assert "<h1>" not in refused.text
    skipped = client.post(url, {"stage": Stage.LANDED, "on": "2026-05-01"}, headers=htmx)
    assert "阶段：须逐步推进，下一阶段为“签约”" in skipped.text
    early = client.post(url, {"stage": Stage.SIGNED, "on": "2026-02-01", "signed_amount": "1亿"}, headers=htmx)
    assert "签约日期（2026年2月1日）早于洽谈日期（2026年3月1日）" in early.text
    assert Lead.objects.get(pk=lead.pk).stage == Stage.TALKS
    moved = client.post(url, {"stage": Stage.SIGNED, "on": "2026-05-01", "signed_amount": "1亿"}, headers=htmx)
    assert 'class="current">签约' in moved.text
    assert Lead.objects.get(pk=lead.pk).signed_amount == 100_000_000


def test_arrivals_and_the_new_enterprise_are_recorded_on_the_lead_page(world: TownWorld, ledger: dict[str, Lead]):
    lead = ledger["ship"]
    client = signed_in(world.operator)
    arrival = reverse("ledgers:investment_lead_arrival", args=[lead.pk])
    refused = client.post(arrival, {"year": "2026", "month": "5", "amount": "很多"})
    assert "到位资金：“很多”不是金额" in refused.text
    assert client.post(arrival, {"year": "2026", "month": "5", "amount": "1,500万"}).status_code == 302
    assert list(FundArrival.objects.values_list("month", "amount")) == [(5, Decimal(15_000_000))]
    enterprise = reverse("ledgers:investment_lead_enterprise", args=[lead.pk])
    form = {"credit_code": credit_code(7), "name": "岱西船舶修造有限公司", "registered_on": "2026-06-01"}
    not_landed = client.post(enterprise, form)
    assert "尚未落地" in not_landed.text
    assert Enterprise.objects.count() == 0
    advance = reverse("ledgers:investment_lead_advance", args=[lead.pk])
    client.post(advance, {"stage": Stage.LANDED, "on": "2026-05-20"})
    assert client.post(enterprise, form).status_code == 302
    page = client.get(reverse("ledgers:investment_lead", args=[lead.pk])).text
    assert "岱西船舶修造有限公司" in page
    assert credit_code(7) in page


def test_the_arrivals_by_month_of_the_year(world: TownWorld, ledger: dict[str, Lead]):
    entries = ((ledger["petro"], 4, "6000万"), (ledger["ship"], 4, "500万"), (ledger["ship"], 9, "1亿"))
    for lead, month, amount in entries:
        record_arrival(
            actor=world.operator, data=ArrivalInput(lead=lead, year=2026, month=month, amount=amount), now=WORLD_NOW
        )
    page = signed_in(world.operator).get(ARRIVALS, {"year": "2026"}).text
    assert '<tr data-month="4"><td>4月</td><td>6500万元</td></tr>' in page
    assert '<tr data-month="9"><td>9月</td><td>1亿元</td></tr>' in page
    assert '<th id="arrivals-total">1.65亿元</th>' in page


def test_the_list_costs_the_same_queries_for_more_rows(
    world: TownWorld, ledger: dict[str, Lead], django_assert_num_queries
):
    client = signed_in(world.operator)
    client.get(LIST)  # the session's first read
    with django_assert_num_queries(8) as few:
        assert client.get(LIST).status_code == 200
    for n in range(6):
        _signed(world, f"新项目{n}", "100万", village=world.village_a, department=world.dept_b)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(LIST)
    assert page.text.count("新项目") == 6


def test_someone_else_s_lead_is_not_found(world: TownWorld, ledger: dict[str, Lead]):
    stranger: User = world.handler_a
    url = reverse("ledgers:investment_lead_advance", args=[ledger["talks"].pk])
    assert signed_in(stranger).post(url, {"stage": Stage.SIGNED}).status_code == 403
    assert Lead.objects.get(pk=ledger["talks"].pk).stage == Stage.TALKS


def test_the_year_in_review_links_its_figures_to_the_lists(world: TownWorld, ledger: dict[str, Lead]):
    page = signed_in(world.operator).get(reverse("dashboard:year"), {"year": "2026"}).text
    assert "全年引进项目" in page
    for query in ("year=2026", "year=2026&amp;flag=billion", "year=2026&amp;flag=major",
                  "year=2026&amp;industry=petrochemical", "year=2026&amp;by=enterprise"):  # fmt: skip
        assert f'href="{LIST}?{query}"' in page
    assert f'href="{ARRIVALS}?year=2026"' in page
    assert LIST not in signed_in(world.handler_a).get(reverse("ledgers:index")).text


def test_the_year_in_review_links_the_enclave_clause_to_the_enclave_leads(world: TownWorld, ledger: dict[str, Lead]):
    with_enclave = signed_in(world.operator).get(reverse("dashboard:year"), {"year": "2025"}).text
    assert "飞地项目" in with_enclave
    assert with_enclave.count(f'href="{LIST}?year=2025&amp;flag=enclave"') == 2  # the count and the amount
    without = signed_in(world.operator).get(reverse("dashboard:year"), {"year": "2026"}).text
    assert ("飞地项目" in without, "flag=enclave" in without) == (False, False)


def test_the_enterprise_year_lists_the_leads_whose_enterprise_was_registered_in_it(
    world: TownWorld, ledger: dict[str, Lead]
):
    from gridgov.data.investment.domain import NewEnterpriseInput, advance_stage, register_enterprise

    lead = advance_stage(
        actor=world.operator, lead=ledger["old"], stage=Stage.LANDED, on=date(2026, 1, 20), now=WORLD_NOW
    )
    data = NewEnterpriseInput(credit_code=credit_code(9), name="飞地公司", registered_on=date(2026, 2, 1))
    register_enterprise(actor=world.operator, lead=lead, data=data, now=WORLD_NOW)
    page = signed_in(world.operator).get(LIST, {"year": "2026", "by": "enterprise"})
    assert _names(page.text) == ["去年签约项目"]


def _edit(lead: Lead, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": lead.name,
        "source": lead.source,
        "industry": lead.industry,
        "signed_amount": "" if lead.signed_amount is None else str(lead.signed_amount),
        "person": lead.person,
        "note": lead.note,
        "department": "",
        "village": "",
    }
    return {**fields, **changes}


def test_a_lead_s_facts_are_corrected_its_stages_kept(world: TownWorld, ledger) -> None:
    lead = ledger["ship"]
    edit = reverse("ledgers:investment_lead_edit", args=[lead.pk])
    client = signed_in(world.operator)
    page = client.get(edit).text
    assert ('value="船舶修造项目"' in page, 'name="signed_on"' in page) == (True, False)
    done = client.post(edit, _edit(lead, name="船舶修造扩建项目", signed_amount="1.5亿", major_industrial="on"))
    assert (done.status_code, done["Location"]) == (302, reverse("ledgers:investment_lead", args=[lead.pk]))
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.name, stored.signed_amount, stored.major_industrial, stored.stage, stored.signed_on) == (
        "船舶修造扩建项目",
        Decimal("150000000.00"),
        True,
        Stage.SIGNED,
        date(2026, 4, 1),
    )
    assert stored.is_billion
    assert f'href="{edit}"' in client.get(reverse("ledgers:investment_lead", args=[lead.pk])).text


def test_a_bad_correction_names_the_field_and_writes_nothing(world: TownWorld, ledger) -> None:
    client = signed_in(world.operator)
    talks = ledger["talks"]
    refused = [
        client.post(reverse("ledgers:investment_lead_edit", args=[talks.pk]), _edit(talks, signed_amount="800万")),
        client.post(reverse("ledgers:investment_lead_edit", args=[talks.pk]), _edit(talks, name="  ")),
        client.post(
            reverse("ledgers:investment_lead_edit", args=[ledger["ship"].pk]),
            _edit(ledger["ship"], signed_amount="很多"),
        ),
    ]
    assert [r.status_code for r in refused] == [200, 200, 200]
    assert "签约金额：项目尚未签约，请同时填写签约日期" in refused[0].text
    assert "签约金额：“很多”不是金额" in refused[2].text
    assert (Lead.objects.get(pk=talks.pk).name, Lead.objects.get(pk=ledger["ship"].pk).signed_amount) == (
        "文旅洽谈项目",
        Decimal("35000000.00"),
    )
    assert (
        signed_in(world.grid_worker_a).get(reverse("ledgers:investment_lead_edit", args=[talks.pk])).status_code == 403
    )
