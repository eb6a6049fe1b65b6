"""The API's case list rides on the web's ``search_cases``: its lamp filter agrees with deadlines.lamp_of,
several values of one filter are the union of the single-value lists, and the API-only narrowings work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridgov.data.access.queries import CaseFilters, api_cases
from gridgov.data.cases.domain.deadlines import lamp_of
from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from tests.factories import MONDAY_0900, TownWorld


def test_lamp_filter_matches_lamp_of(world: TownWorld) -> None:
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
            found = {c.pk for c in api_cases(user=world.admin, filters=CaseFilters(lamp=(lamp,)), now=now)}
            assert found == expected, (hours, lamp)
        both = {c.pk for c in api_cases(user=world.admin, filters=CaseFilters(lamp=(Lamp.RED, Lamp.NONE)), now=now)}
        assert both == {c.pk for c in Case.objects.all() if lamp_of(c, now=now) in (Lamp.RED, Lamp.NONE)}


def test_text_search_finds_number_and_words(world: TownWorld) -> None:
    case = world.report()
    admin = world.admin
    assert list(api_cases(user=admin, filters=CaseFilters(q=case.number), now=MONDAY_0900)) == [case]
    assert list(api_cases(user=admin, filters=CaseFilters(q="满溢"), now=MONDAY_0900)) == [case]
    assert list(api_cases(user=admin, filters=CaseFilters(q="不存在的词"), now=MONDAY_0900)) == []


def test_several_channels_and_unknown_area(world: TownWorld) -> None:
    case = world.report()
    admin = world.admin
    either = CaseFilters(channel=(Channel.OPEN311, Channel(case.channel)))
    found = api_cases(user=admin, filters=either, now=MONDAY_0900)
    assert list(found) == [case]
    assert list(api_cases(user=admin, filters=CaseFilters(channel=(Channel.OPEN311,)), now=MONDAY_0900)) == []
    with pytest.raises(InvalidInput) as raised:
        api_cases(user=admin, filters=CaseFilters(area_id=987654), now=MONDAY_0900)
    assert raised.value.field == "area"
