"""A person as every page, list, export and API answer shows them: masked (张*, 330921********0123,
138****8000). The plain values only through ``reveal_person``, for the roles that may unmask, and logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gridgov.data.errors import NotAllowed
from gridgov.data.org.disclosure import Holder, disclose
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.people.enums import Relation, ResidentKind, Sex
from gridgov.data.people.models import Resident
from gridgov.data.people.scope import may_unmask_person

ERASED_NAME = "已删除"  # the name an erased person's row keeps (not personal data)
PERSONAL_FIELDS = ("name", "id_number", "phone", "birth_date")


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonView:
    """A resident for display. ``masked``: name, number and phone are masked and the birth date shown as its
    year only (``birth_year``); unmasked (``reveal_person``) ``birth_date`` is the full date."""

    pk: int
    name: str
    id_number: str
    phone: str
    birth_year: int | None
    birth_date: date | None
    sex: Sex
    kind: ResidentKind
    relation: Relation
    household_id: int
    moved_out_on: date | None
    erased: bool
    masked: bool


def person_view(resident: Resident) -> PersonView:
    """``resident`` masked: what everyone who may see the resident is shown."""
    return _view(resident, revealed=False)


def plain_view(resident: Resident) -> PersonView:
    """``resident`` in full, for the functions that have checked and logged (``reveal_person``, the export)."""
    return _view(resident, revealed=True)


def _view(resident: Resident, *, revealed: bool) -> PersonView:
    """``resident`` as the disclosure rule shows a private person: masked, or in full when ``revealed``. An erased
    person is named ``ERASED_NAME`` either way (the name their row keeps)."""
    erased = resident.erased_at is not None
    shown = disclose(
        holder=Holder.PRIVATE, name=resident.name, phone=resident.phone, id_number=resident.id_number, revealed=revealed
    )
    return PersonView(
        pk=resident.pk,
        name=ERASED_NAME if erased else shown.name,
        id_number=shown.id_number,
        phone=shown.phone,
        birth_year=resident.birth_date.year if resident.birth_date else None,
        birth_date=resident.birth_date if revealed else None,
        sex=Sex(resident.sex),
        kind=ResidentKind(resident.kind),
        relation=Relation(resident.relation),
        household_id=resident.household_id,
        moved_out_on=resident.moved_out_on,
        erased=erased,
        masked=not revealed,
    )


def reveal_person(*, user: User, resident: Resident, client: Client | None = None) -> PersonView:
    """The resident's name, ID number, phone and birth date in full — only for ``may_unmask_person`` (the command
    room, leaders and admins over the resident's area; the handlers of the resident's groups); logged."""
    if not may_unmask_person(user=user, resident=resident):
        raise NotAllowed(_("您的角色不能查看该人员的完整信息"))
    record_event(
        kind=SecurityEventKind.PERSONAL_DATA_REVEALED,
        user=user,
        client=client,
        detail={"resident": resident.pk, "town": resident.town_id, "fields": list(PERSONAL_FIELDS)},
    )
    return plain_view(resident)
