"""A few households and residents of the world's villages, for the assistance tests (until the register's
own test factories are merged: ``tests/data/people``)."""

from __future__ import annotations

from django.utils import timezone

from gridgov.data.assistance.domain import normalise_id_number
from gridgov.data.org.models import Area
from gridgov.data.people.enums import Relation
from gridgov.data.people.models import House, Household, Resident
from gridgov.data.privacy import blind_index

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial: int, birth: str = "19600101") -> str:
    """A synthetic resident ID number of 岱山 (330921) with a valid check digit."""
    body = f"330921{birth}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def household(village: Area, number: str, head: str, *, serial: int) -> Household:
    """A household of ``village`` at its own house, with a head named ``head`` and an ID number from ``serial``."""
    now = timezone.now()
    town = village.town
    assert town is not None
    house = House.objects.create(
        town=town, village=village, address=f"{village.name}{number}号", created_at=now, updated_at=now
    )
    found = Household.objects.create(town=town, house=house, number=number, created_at=now, updated_at=now)
    person(found, head, serial=serial, relation=Relation.HEAD)
    return found


def person(household: Household, name: str, *, serial: int, relation: Relation = Relation.OTHER) -> Resident:
    now = timezone.now()
    number = id_number(serial)
    return Resident.objects.create(
        town=household.town,
        household=household,
        name=name,
        id_number=number,
        id_digest=blind_index(normalise_id_number(number)),
        relation=relation,
        created_at=now,
        updated_at=now,
    )


def head(household: Household) -> Resident:
    return Resident.objects.get(household=household, relation=Relation.HEAD)
