"""``first_or_not_found``: the domain's one way to fetch a row the caller may see, or say it is not there."""

from __future__ import annotations

import pytest

from gridgov.data.errors import NotFound, first_or_not_found
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db


def test_the_first_row_of_the_queryset(world: TownWorld) -> None:
    villages = Area.objects.filter(town=world.town, level=AreaLevel.VILLAGE).order_by("code")
    assert first_or_not_found(villages, "村不存在") == villages[0]


def test_no_row_is_not_found_with_the_callers_message(world: TownWorld) -> None:
    with pytest.raises(NotFound) as raised:
        first_or_not_found(Area.objects.filter(town=world.town, code="none"), "村不存在")
    assert (raised.value.code, raised.value.message) == ("not_found", "村不存在")
