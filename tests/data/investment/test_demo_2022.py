"""The demo's investment attraction: 岱西镇's 2022 reads as the work report — 全年引进项目10个，其中亿元项目1个，
重大产业项目1个，引进石化配套企业1家；全年新增企业16家，到位资金2.1亿元 — counted from the leads, enterprises
and monthly arrivals the demo enters through the domain; built again, it writes nothing; the current year has
leads at every stage and arrivals up to the last finished month."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from gridgov.data.investment.enums import Stage
from gridgov.data.investment.figures import year_figures
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.credit_code import normalise_credit_code
from gridgov.data.org.models import Enterprise
from gridgov.data.reports.domain.year_review import review_sentences
from gridgov.ops.demo.ledgers_2022 import investment
from gridgov.ops.demo.organisation import build_organisation
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2023, 1, 15, 9, tzinfo=SHANGHAI)  # the day of the work report


def test_2022_reads_like_the_work_report() -> None:
    org = build_organisation(random.Random(1))
    investment.build(town=org.town, rng=random.Random(7), year=2022)
    found = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert {key: f.value for key, f in found.items()} == {
        "leads_introduced": 10,
        "leads_billion": 1,
        "leads_major": 1,
        "leads_enclave": 0,  # the work report names none; this year's live ledger has one
        "leads_enclave_amount": Decimal(0),
        "introduced_petrochemical": 1,
        "introduced_shipbuilding": 3,
        "introduced_aquatic": 3,
        "introduced_tourism": 2,
        "introduced_other": 1,
        "enterprises_added": 16,
        "funds_arrived": Decimal(210_000_000),
    }
    sentences = {s.topic: s.text for s in review_sentences({"investment": found})}
    assert sentences[translation.pgettext("year review topic", "招商引资")] == (
        "全年引进项目10个，其中亿元项目1个，重大产业项目1个，引进石化配套企业1家。"
    )
    assert sentences[translation.pgettext("year review topic", "新增企业")] == "全年新增企业16家，到位资金2.1亿元。"
    codes = list(Enterprise.objects.filter(town=org.town).values_list("credit_code", flat=True))
    assert len(codes) == 16
    assert [normalise_credit_code(code) for code in codes] == codes  # each passes the GB 32100 check
    assert "investment" in LEDGER_BUILDERS
    counts = (Lead.objects.count(), FundArrival.objects.count(), Enterprise.objects.count())
    investment.build(town=org.town, rng=random.Random(8), year=2022)
    assert (Lead.objects.count(), FundArrival.objects.count(), Enterprise.objects.count()) == counts


def test_the_current_year_has_leads_at_every_stage_and_arrivals_of_finished_months(clock) -> None:
    org = build_organisation(random.Random(1))
    year = timezone.localdate().year
    investment.build(town=org.town, rng=random.Random(7), year=year)
    stages = sorted(Lead.objects.values_list("stage", flat=True))
    assert {stage: stages.count(stage) for stage in Stage} == {
        Stage.LEAD: 2, Stage.TALKS: 2, Stage.SIGNED: 2, Stage.LANDED: 2, Stage.PRODUCING: 1,
    }  # fmt: skip
    assert Lead.objects.exclude(enterprise=None).count() == 3  # the landed and the producing
    assert list(Lead.objects.filter(enclave=True).values_list("name", "enclave_place")) == [
        ("船舶尾气处理装置项目", "舟山高新区")
    ]
    this_month = timezone.localdate().month
    expected = {
        (lead.pk, month)
        for lead in Lead.objects.exclude(signed_on=None)
        for month in range(1, this_month)
        if lead.signed_on is not None and (lead.signed_on.year, lead.signed_on.month) <= (year, month)
    }
    assert set(FundArrival.objects.values_list("lead", "month")) == expected
    assert expected  # the world's clock (November) leaves finished months after the signings
