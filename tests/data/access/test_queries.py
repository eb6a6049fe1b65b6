"""The lamp filter in SQL agrees with deadlines.lamp_of for every case and moment."""

from __future__ import annotations

from datetime import timedelta

from gridgov.data.access.queries import CaseFilters, filter_cases, lamp_condition
from gridgov.data.cases.domain.deadlines import lamp_of
from gridgov.data.cases.enums import Lamp, Status
from gridgov.data.cases.models import Case
from tests.factories import MONDAY_0900, TownWorld


def test_lamp_condition_matches_lamp_of(world: TownWorld) -> None:
    for status in (
        Status.REPORTED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.RESOLVED,
        Status.SUSPENDED,
        Status.CLOSED,
    ):
        world.bring_to(status)
    for hours in (0, 1, 3, 4, 30, 200):
        now = MONDAY_0900 + timedelta(hours=hours)
        for lamp in Lamp:
            expected = {c.pk for c in Case.objects.all() if lamp_of(c, now=now) == lamp}
            found = set(Case.objects.filter(lamp_condition(lamp, now=now)).values_list("pk", flat=True))
            assert found == expected, (hours, lamp)


def test_text_search_finds_number_and_words(world: TownWorld) -> None:
    case = world.report()
    assert list(filter_cases(Case.objects.all(), CaseFilters(q=case.number))) == [case]
    assert list(filter_cases(Case.objects.all(), CaseFilters(q="满溢"))) == [case]
    assert list(filter_cases(Case.objects.all(), CaseFilters(q="不存在的词"))) == []
