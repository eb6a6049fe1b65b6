"""The demo's live year (the builder called with the current year, from the test's clock): last year in full at the
2022 sizes, this year only up to the last finished month (no month entered before it has come) and a little above
last year's pace; 村企结对 and 共富工坊 records for 2022 and for this year's finished months; built again, nothing
twice."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone

from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.ops.demo.ledgers_2022 import collective
from gridgov.ops.demo.organisation import build_organisation

pytestmark = pytest.mark.django_db


def _operating(year: int, months: range) -> int:
    total = VillageIncome.objects.filter(year=year, month__in=months, kind=IncomeKind.OPERATING).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


def test_the_live_year_stops_at_the_last_finished_month(clock) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    org = build_organisation(random.Random(1))
    collective.build(town=org.town, rng=random.Random(7), year=today.year, now=now)

    assert _operating(today.year - 1, range(1, 13)) == 6_830_000  # last year in full, at the 2022 sizes
    months = set(VillageIncome.objects.filter(year=today.year).values_list("month", flat=True))
    assert months == set(range(1, today.month))
    assert all(row.created_at <= now for row in VillageIncome.objects.all())
    finished = range(1, today.month)
    if today.month > 1:  # this year's pace a little above last year's over the same months
        assert _operating(today.year, finished) > _operating(today.year - 1, finished)

    supports = set(VillageSupport.objects.filter(year=today.year).values_list("village__name", "on"))
    expected = {(name, date(today.year, month, 15)) for name, _k, _p, _w, _n, month in collective.SUPPORTS}
    assert supports == {(name, day) for name, day in expected if day.month < today.month}

    written = VillageIncome.objects.count(), VillageSupport.objects.count()
    collective.build(town=org.town, rng=random.Random(8), year=today.year, now=now)
    assert (VillageIncome.objects.count(), VillageSupport.objects.count()) == written


def test_2022_has_its_pairings_and_workshops(clock) -> None:
    org = build_organisation(random.Random(1))
    assert collective.write_supports(town=org.town, year=2022) == len(collective.SUPPORTS)
    rows = VillageSupport.objects.filter(year=2022)
    assert (rows.count(), int(rows.aggregate(total=Sum("amount"))["total"])) == (7, 300_000)  # 企业助农30万元
    paired = rows.filter(kind="pairing").values("village").distinct().count()
    assert paired == 5  # 全镇五个村实现村企结对
    assert sorted(set(rows.values_list("kind", flat=True))) == ["pairing", "workshop"]
    assert collective.write_supports(town=org.town, year=2022) == 0
