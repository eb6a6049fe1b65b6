"""Investment attraction's year figures on hand-built leads: 引进 (signed in the year), its 亿元 and 重大产业 parts and
its industries, 新增企业 (enterprises registered from leads in the year), 到位资金 (the year's months); each figure's
records; the ``as_of`` moment respected; and the year in review's sentences as the work report writes them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from gridgov.data.investment.domain import (
    ArrivalInput,
    LeadInput,
    NewEnterpriseInput,
    record_arrival,
    record_lead,
    register_enterprise,
)
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.investment.figures import year_figures
from gridgov.data.investment.models import Lead
from gridgov.data.org.models import User
from gridgov.data.reports.domain.year_review import review_sentences
from tests.data.investment.support import credit_code
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db


def _lead(
    world: TownWorld,
    actor: User,
    name: str,
    *,
    signed: date | None,
    amount: str = "",
    industry: Industry = Industry.OTHER,
    major: bool = False,
    enclave: str = "",
    landed: date | None = None,
    hours: int = 0,
) -> Lead:
    start = date(2024, 6, 1)
    data = LeadInput(
        town=world.town,
        name=name,
        source=Source.BUSINESS,
        industry=industry,
        lead_on=start,
        talks_on=start if signed else None,
        signed_on=signed,
        landed_on=landed,
        signed_amount=amount or None,
        major_industrial=major,
        enclave=bool(enclave),
        enclave_place=enclave,
    )
    return record_lead(actor=actor, data=data, now=WORLD_NOW + timedelta(hours=hours))


def _enterprise(actor: User, lead: Lead, serial: int, day: date) -> None:
    data = NewEnterpriseInput(credit_code=credit_code(serial), name=f"{lead.name}公司", registered_on=day)
    register_enterprise(actor=actor, lead=lead, data=data, now=WORLD_NOW)


@pytest.fixture
def leads(world: TownWorld, investor: User) -> dict[str, int]:
    found = {
        "billion": _lead(world, investor, "亿元", signed=date(2025, 3, 1), amount="1亿", landed=date(2025, 6, 1)),
        "major": _lead(world, investor, "重大", signed=date(2025, 12, 31), amount="9,000万", major=True),
        "petro": _lead(
            world,
            investor,
            "石化",
            signed=date(2025, 1, 1),
            amount="５００万",
            industry=Industry.PETROCHEMICAL,
            landed=date(2025, 2, 1),
        ),
        "before": _lead(world, investor, "前一年", signed=date(2024, 12, 31), amount="2亿", landed=date(2025, 1, 5)),
        "talks": _lead(world, investor, "洽谈中", signed=None),
        "next_year": _lead(world, investor, "次年", signed=date(2026, 1, 2), amount="3亿"),
        "after_as_of": _lead(world, investor, "事后补录", signed=date(2025, 5, 1), amount="1.5亿", hours=1),
    }
    # 新增企业 in 2025: the 2024 lead's enterprise (registered 2025) and the petrochemical one; 亿元's in 2026.
    _enterprise(investor, found["before"], 1, date(2025, 1, 20))
    _enterprise(investor, found["petro"], 2, date(2025, 12, 31))
    _enterprise(investor, found["billion"], 3, date(2026, 1, 1))
    for key, year, month, amount in [
        ("billion", 2025, 3, "6,000万"),
        ("billion", 2025, 12, "4000万"),
        ("before", 2025, 1, "1.1亿"),
        ("before", 2024, 12, "5000万"),
        ("next_year", 2026, 1, "1亿"),
    ]:
        data = ArrivalInput(lead=found[key], year=year, month=month, amount=amount)
        record_arrival(actor=investor, data=data, now=WORLD_NOW)
    return {key: lead.pk for key, lead in found.items()}


def _figures(world: TownWorld, year: int) -> dict[str, object]:
    found = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=WORLD_NOW)
    return {key: figure.value for key, figure in found.items()}


def test_the_year_figures_count_what_the_year_introduced(world: TownWorld, leads: dict[str, int]):
    assert _figures(world, 2025) == {
        "leads_introduced": 3,
        "leads_billion": 1,
        "leads_major": 1,
        "leads_enclave": 0,
        "leads_enclave_amount": Decimal("0.00"),
        "introduced_petrochemical": 1,
        "introduced_shipbuilding": 0,
        "introduced_aquatic": 0,
        "introduced_tourism": 0,
        "introduced_other": 2,
        "enterprises_added": 2,
        "funds_arrived": Decimal("210000000.00"),
    }
    assert _figures(world, 2024)["leads_introduced"] == 1
    assert (_figures(world, 2024)["funds_arrived"], _figures(world, 2026)["enterprises_added"]) == (
        Decimal("50000000.00"), 1,
    )  # fmt: skip


def test_each_figure_keeps_the_records_behind_it(world: TownWorld, leads: dict[str, int]):
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)

    def names(key: str) -> set[str]:
        records = found[key].records
        assert records is not None
        return {str(record) for record in records}

    assert names("leads_introduced") == {"亿元", "重大", "石化"}
    assert (names("leads_billion"), names("leads_major"), names("introduced_petrochemical")) == (
        {"亿元"}, {"重大"}, {"石化"},
    )  # fmt: skip
    assert names("enterprises_added") == {"前一年公司", "石化公司"}
    amounts = found["funds_arrived"].records
    assert amounts is not None
    assert sorted(a.amount for a in amounts) == [Decimal(40_000_000), Decimal(60_000_000), Decimal(110_000_000)]


def test_what_was_not_known_at_as_of_does_not_count(world: TownWorld, leads: dict[str, int]):
    later = WORLD_NOW + timedelta(hours=2)
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=later)
    assert (found["leads_introduced"].value, found["leads_billion"].value) == (4, 2)  # 事后补录 entered after WORLD_NOW
    early = year_figures(
        town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW - timedelta(days=1)
    )
    assert (early["leads_introduced"].value, early["funds_arrived"].value) == (0, Decimal("0.00"))


def test_the_year_in_review_writes_it_as_the_work_report(world: TownWorld, leads: dict[str, int]):
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
    sentences = {s.topic: s for s in review_sentences({"investment": found})}
    introduced = sentences[translation.pgettext("year review topic", "招商引资")]
    added = sentences[translation.pgettext("year review topic", "新增企业")]
    assert introduced.text == "全年引进项目3个，其中亿元项目1个，重大产业项目1个，引进石化配套企业1家。"
    assert added.text == "全年新增企业2家，到位资金2.1亿元。"
    assert [p.key for p in added.pieces if p.records] == ["enterprises_added", "funds_arrived"]


def test_the_english_sentences_name_what_they_count(world: TownWorld, leads: dict[str, int]):
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
    with translation.override("en"):
        texts = [s.text for s in review_sentences({"investment": found}) if s.pieces[1].source == "investment"]
    assert texts == [
        "Projects introduced in the year: 3, of which projects of 100 million yuan or more: 1, major industrial "
        "projects: 1; petrochemical supply enterprises introduced: 1.",
        "New enterprises in the year: 2; funds arrived: 210 million yuan.",
    ]


def test_enclave_projects_are_counted_and_said_only_in_a_year_with_any(
    world: TownWorld, investor: User, leads: dict[str, int]
):
    _lead(world, investor, "飞地甲", signed=date(2025, 4, 1), amount="1,200万", enclave="舟山高新区")
    _lead(world, investor, "飞地乙", signed=date(2025, 9, 1), amount="1.5亿", enclave="宁波石化区")
    _lead(world, investor, "去年飞地", signed=date(2024, 9, 1), amount="300万", enclave="舟山高新区")
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
    assert (found["leads_enclave"].value, found["leads_enclave_amount"].value) == (2, Decimal("162000000.00"))
    records = found["leads_enclave"].records
    assert records is not None
    assert sorted(str(lead) for lead in records) == ["飞地乙", "飞地甲"]
    introduced = next(s for s in review_sentences({"investment": found}) if s.pieces[1].source == "investment")
    assert introduced.text == (
        "全年引进项目5个，其中亿元项目2个，重大产业项目1个，飞地项目2个（签约金额1.62亿元），引进石化配套企业1家。"
    )
    assert [p.key for p in introduced.pieces if p.records][3:5] == ["leads_enclave", "leads_enclave_amount"]
    with translation.override("en"):
        english = [s.text for s in review_sentences({"investment": found}) if s.pieces[1].source == "investment"]
    assert english[0] == (
        "Projects introduced in the year: 5, of which projects of 100 million yuan or more: 2, major industrial "
        "projects: 1, enclave projects: 2 (signed for 162 million yuan); petrochemical supply enterprises "
        "introduced: 1."
    )
    year_before = year_figures(town=world.town, start=date(2024, 1, 1), end=date(2025, 1, 1), as_of=WORLD_NOW)
    assert (year_before["leads_enclave"].value, year_before["leads_enclave_amount"].value) == (1, Decimal(3_000_000))
    empty = year_figures(town=world.town, start=date(2023, 1, 1), end=date(2024, 1, 1), as_of=WORLD_NOW)
    texts = [s.text for s in review_sentences({"investment": empty}) if s.pieces[1].source == "investment"]
    assert texts[0] == "全年引进项目0个，其中亿元项目0个，重大产业项目0个，引进石化配套企业0家。"
