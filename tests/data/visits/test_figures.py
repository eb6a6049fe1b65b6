"""累计走访困难对象N户: the distinct households of the residents visited who were, on the visit's day, members of
困难家庭 or 低保/低边."""

from __future__ import annotations

from datetime import date, datetime

from gridgov.data.people.models import Resident
from gridgov.data.visits.figures import year_figures
from tests.data.visits.builders import group, house, member, resident, visited
from tests.factories import TownWorld, at

YEAR = (date(2026, 1, 1), date(2027, 1, 1))


def _visited(world: TownWorld, as_of: datetime | None = None):
    moment = as_of or at(2027, 1, 10)
    return year_figures(town=world.town, start=YEAR[0], end=YEAR[1], as_of=moment)["hardship_households_visited"]


def _housemate(of: Resident, name: str) -> Resident:
    return Resident.objects.create(
        town=of.town, household=of.household, name=name, created_at=of.created_at, updated_at=of.updated_at
    )


def test_households_visited_in_hardship_are_counted_once(world: TownWorld) -> None:
    poor = group(world, code="poor_family", every=30)
    dibao = group(world, code="minimum_living", every=90)
    elderly = group(world, code="elderly_alone", every=30)
    head = resident(world, name="甲")
    spouse = _housemate(head, "甲妻")
    member(head, poor, since=date(2025, 6, 1))
    member(spouse, dibao, since=date(2026, 1, 1))
    other = resident(world, name="乙")
    member(other, dibao, since=date(2026, 2, 1))
    counted = [
        visited(world, at=at(2026, 3, 1), person=head),
        visited(world, at=at(2026, 9, 1), person=head),  # the same household again
        visited(world, at=at(2026, 1, 1, 0, 30), person=spouse),  # the same household, by its other member
        visited(world, at=at(2026, 2, 1, 0, 30), person=other),  # a member from that very day (Shanghai time)
    ]
    alone = resident(world, name="丙")
    member(alone, elderly, since=date(2025, 1, 1))
    visited(world, at=at(2026, 4, 1), person=alone)  # a member of no hardship group
    late = resident(world, name="丁")
    member(late, poor, since=date(2026, 6, 1))
    visited(world, at=at(2026, 5, 31), person=late)  # not yet a member that day
    left = resident(world, name="戊")
    member(left, dibao, since=date(2026, 1, 1), until=date(2026, 4, 1))
    visited(world, at=at(2026, 4, 1), person=left)  # no longer a member on the day the membership ended
    member(new_year := resident(world, name="己"), poor, since=date(2025, 1, 1))
    visited(world, at=at(2025, 12, 31, 23, 30), person=new_year)  # last year, in Shanghai
    visited(world, at=at(2026, 6, 1), place=house(world))  # a house, not a person

    figure = _visited(world)
    assert (figure.value, figure.unit) == (2, "户")  # 甲's household and 乙's
    assert figure.records is not None
    assert set(figure.records) == set(counted)
    last_year = year_figures(town=world.town, start=date(2025, 1, 1), end=YEAR[0], as_of=at(2027, 1, 10))
    assert last_year["hardship_households_visited"].value == 1  # 己


def test_as_of_excludes_visits_made_or_written_later(world: TownWorld) -> None:
    poor = group(world, code="poor_family", every=30)
    early, late_written = resident(world, name="甲"), resident(world, name="乙")
    member(early, poor, since=date(2025, 1, 1))
    member(late_written, poor, since=date(2025, 1, 1))
    visited(world, at=at(2026, 3, 1), person=early)
    written_later = visited(world, at=at(2026, 3, 1), person=late_written)
    written_later.created_at = at(2026, 12, 20)
    written_later.save(update_fields=["created_at"])
    visited(world, at=at(2026, 12, 28), person=resident(world, name="丙"))  # no member: never counted
    assert _visited(world, as_of=at(2026, 12, 1)).value == 1
    assert _visited(world).value == 2
