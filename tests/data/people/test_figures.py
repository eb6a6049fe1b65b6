"""纳管人员N人: the distinct residents brought under management (a key-group membership from a day of the year)."""

from __future__ import annotations

from datetime import date

from gridgov.data.people.domain import DEFAULT_GROUPS
from gridgov.data.people.enums import GroupKind
from gridgov.data.people.figures import HARDSHIP_GROUP_CODES, year_figures
from tests.data.visits.builders import group, member, resident
from tests.factories import TownWorld, at

YEAR = (date(2026, 1, 1), date(2027, 1, 1))


def _managed(world: TownWorld, *, year: tuple[date, date] = YEAR, as_of_day: tuple[int, int, int] = (2027, 1, 10)):
    return year_figures(town=world.town, start=year[0], end=year[1], as_of=at(*as_of_day))["managed_persons"]


def test_persons_brought_under_management_in_the_year(world: TownWorld) -> None:
    released = group(world, code="released_prisoner", every=90, kind=GroupKind.KEY)
    youth = group(world, code="key_youth", every=90, kind=GroupKind.KEY)
    elderly = group(world, code="elderly_alone", every=30)  # a care group: not 纳管
    first_day = resident(world, name="甲")
    new_years_eve = resident(world, name="乙")
    two_groups = resident(world, name="丙")
    last_day = resident(world, name="丁")
    ended = resident(world, name="戊")
    cared_for = resident(world, name="己")
    counted = [
        member(first_day, released, since=date(2026, 1, 1)),
        member(two_groups, released, since=date(2026, 3, 1)),
        member(two_groups, youth, since=date(2026, 8, 1)),
        member(last_day, youth, since=date(2026, 12, 31)),
        member(ended, youth, since=date(2026, 2, 1), until=date(2026, 5, 1)),  # brought in this year, since released
    ]
    member(new_years_eve, released, since=date(2025, 12, 31))  # last year's
    member(cared_for, elderly, since=date(2026, 4, 1))

    figure = _managed(world)
    assert (figure.value, figure.unit) == (4, "人")  # 甲, 丙 (two groups, one person), 丁, 戊
    assert figure.records is not None
    assert set(figure.records) == set(counted)
    assert _managed(world, year=(date(2025, 1, 1), date(2026, 1, 1))).value == 1  # 乙, on 2025-12-31


def test_as_of_narrows_by_the_membership_day_only(world: TownWorld) -> None:
    youth = group(world, code="key_youth", every=90, kind=GroupKind.KEY)
    member(resident(world, name="甲"), youth, since=date(2026, 12, 30))
    member(resident(world, name="乙"), youth, since=date(2026, 12, 31))
    # A review drawn up on 2026-12-30 (Asia/Shanghai) knows 甲, not 乙 (a membership has no time of writing).
    assert _managed(world, as_of_day=(2026, 12, 30)).value == 1
    assert _managed(world).value == 2


def test_the_hardship_groups_are_default_care_groups() -> None:
    defaults = {g.code: g for g in DEFAULT_GROUPS}
    assert [defaults[code].name for code in HARDSHIP_GROUP_CODES] == ["困难家庭", "低保/低边"]
    assert {defaults[code].kind for code in HARDSHIP_GROUP_CODES} == {GroupKind.CARE}
