"""Two-book reconciliation on a hand-built pair of books."""

from __future__ import annotations

from datetime import date

from gridgov.data.enterprises.domain.reconcile import reconcile, similarity
from gridgov.data.enterprises.enums import Book
from gridgov.data.enterprises.models import Hazard
from tests.data.enterprises.conftest import EnterpriseWorld


def test_similarity_weights_location_and_description() -> None:
    assert similarity("1号车间", "配电箱未接地", "1号车间", "配电箱未接地") == 100.0
    assert similarity("仓库", "灭火器过期", "码头", "油罐区无防雷") < 60


def test_reconciliation_of_a_hand_built_pair_of_books(ew: EnterpriseWorld) -> None:
    d = date(2026, 11, 10)
    # The enterprise's own book: three entries.
    own_1 = ew.hazard(location="1号车间", description="配电箱未接地", category=ew.electric, found_on=d)
    own_2 = ew.hazard(location="仓库", description="灭火器压力不足", category=ew.fire, found_on=d)
    own_3 = ew.hazard(location="食堂", description="燃气报警器失效", category=ew.fire, found_on=d)
    # The government / third-party books: four entries.
    gov_1 = ew.hazard(
        book=Book.GOVERNMENT,
        location="1号车间东侧",
        description="车间配电箱未接地，线路老化",
        category=ew.electric,
        found_on=d,
    )
    gov_2 = ew.hazard(
        book=Book.THIRD_PARTY, location="仓库", description="灭火器压力不足", category=ew.fire, found_on=d
    )
    # same words as own_1 but another category: not a match
    gov_3 = ew.hazard(
        book=Book.GOVERNMENT, location="1号车间", description="配电箱未接地", category=ew.fire, found_on=d
    )
    # nothing like it in the own book
    gov_4 = ew.hazard(
        book=Book.THIRD_PARTY, location="码头", description="油罐区防雷检测过期", category=ew.fire, found_on=d
    )
    # another enterprise's book is never compared
    ew.hazard(enterprise=ew.chemical, location="码头", description="油罐区防雷检测过期", category=ew.fire, found_on=d)

    result = reconcile(enterprise=ew.shipyard, hazards=Hazard.objects.all())
    assert [(p.government.pk, p.own.pk) for p in result.matched] == [(gov_1.pk, own_1.pk), (gov_2.pk, own_2.pk)]
    assert [p.score for p in result.matched] == [
        similarity("1号车间东侧", "车间配电箱未接地，线路老化", "1号车间", "配电箱未接地"),
        100.0,
    ]
    assert [h.pk for h in result.missed] == [gov_3.pk, gov_4.pk]
    assert [h.pk for h in result.self_only] == [own_3.pk]
    assert result.government_total == 4


def test_each_own_entry_matches_at_most_one_government_entry(ew: EnterpriseWorld) -> None:
    d = date(2026, 11, 10)
    own = ew.hazard(location="仓库", description="灭火器压力不足", category=ew.fire, found_on=d)
    best = ew.hazard(book=Book.GOVERNMENT, location="仓库", description="灭火器压力不足", category=ew.fire, found_on=d)
    second = ew.hazard(
        book=Book.GOVERNMENT, location="仓库门口", description="灭火器压力不足", category=ew.fire, found_on=d
    )
    result = reconcile(enterprise=ew.shipyard, hazards=Hazard.objects.all())
    assert [(p.government.pk, p.own.pk) for p in result.matched] == [(best.pk, own.pk)]
    assert [h.pk for h in result.missed] == [second.pk]
    # a period excludes hazards found outside it
    later = reconcile(enterprise=ew.shipyard, hazards=Hazard.objects.all(), start=date(2026, 11, 11))
    assert later.government_total == 0
