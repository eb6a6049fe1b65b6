"""The demo's economic indicators: the 2023 work report's 2022 figures to the last digit, and a current year
in progress computed from the clock."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.data.reports.domain.economy import indicator_table
from gridgov.data.reports.domain.year_review import year_review
from gridgov.data.reports.models import IndicatorActual, IndicatorDefinition
from gridgov.ops.demo.ledgers_2022 import economy
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db


def test_2022_reads_like_the_work_report(world: TownWorld) -> None:
    economy.build(town=world.town, rng=random.Random(1), year=2022, now=WORLD_NOW)
    rows = {row.indicator.name: row for row in indicator_table(town=world.town, year=2022)}
    assert {name: row.to_date for name, row in rows.items()} == {
        "工业总产值": Decimal("27.8"),
        "规上工业产值": Decimal("26.1"),
        "新增规上企业": Decimal(4),
        "重点企业固定资产投资": Decimal("7.7"),
        "财政总收入": Decimal("1.89"),
        "地方财政收入": Decimal("1.58"),
        "帮助企业融资": Decimal(5436),
        "税费支持": Decimal(107),
    }
    assert all(row.through == 12 and len(row.actuals) == 12 for row in rows.values())
    assert IndicatorActual.objects.filter(year=2021).count() == 8 * 12  # so 2022 has its 同比
    texts = {s.topic: s.text for s in year_review(town=world.town, year=2022, as_of=WORLD_NOW).economy}
    assert texts["工业总产值"] == "全年实现工业总产值27.8亿元，同比增长59.22%，完成年度目标的106.9%。"
    assert texts["规上工业产值"] == "全年实现规上工业产值26.1亿元，同比增长66.17%，完成年度目标的108.8%。"
    assert texts["财政总收入"] == "全年实现财政总收入1.89亿元，同比增长9.88%，完成年度目标的102.2%。"
    assert texts["地方财政收入"] == "全年实现地方财政收入1.58亿元，同比增长9.72%，完成年度目标的101.9%。"
    assert texts["重点企业固定资产投资"].startswith("全年实现重点企业固定资产投资7.7亿元，")
    assert texts["新增规上企业"].startswith("全年实现新增规上企业4家，")
    assert texts["帮助企业融资"].startswith("全年实现帮助企业融资5436万元，")
    assert texts["税费支持"].startswith("全年实现税费支持107万元，")
    # Built again (the demo command may run twice): the same indicators, the same figures.
    economy.build(town=world.town, rng=random.Random(2), year=2022, now=WORLD_NOW)
    assert IndicatorDefinition.objects.filter(town=world.town).count() == 8
    assert indicator_table(town=world.town, year=2022)[0].to_date == Decimal("27.8")


def test_the_current_year_runs_to_the_last_finished_month_of_the_clock(world: TownWorld) -> None:
    year, month = WORLD_NOW.year, WORLD_NOW.month  # the world's clock: November 2026
    economy.build(town=world.town, rng=random.Random(1), year=year, now=WORLD_NOW)
    rows = indicator_table(town=world.town, year=year)
    assert {row.through for row in rows} == {month - 1}
    assert all(row.target is not None and row.last_year_to_date is not None for row in rows)
    assert not IndicatorActual.objects.filter(entered_at__gt=WORLD_NOW).exists()
    texts = {s.topic: s.text for s in year_review(town=world.town, year=year, as_of=WORLD_NOW).economy}
    assert texts["工业总产值"].startswith(f"截至{month - 1}月，实现工业总产值")


def test_the_leaders_economy_page_shows_them(world: TownWorld) -> None:
    economy.build(town=world.town, rng=random.Random(1), year=2022, now=WORLD_NOW)
    client = Client()
    client.force_login(world.leader)
    page = client.get(reverse("dashboard:economy"), {"year": 2022}).text
    assert "尚未设置指标" not in page
    for name in ("工业总产值", "规上工业产值", "财政总收入", "地方财政收入", "重点企业固定资产投资", "新增规上企业"):
        assert name in page
    assert "66.17" in page
