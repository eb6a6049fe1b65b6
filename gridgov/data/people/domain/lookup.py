"""Finding a resident by the ID number someone typed: through its keyed digest (``Resident.id_digest``), the
way the register refuses a number twice — never by decrypting and scanning the stored numbers."""

from __future__ import annotations

from django.db.models import QuerySet

from gridgov.data.idcard import normalise
from gridgov.data.people.models import Resident
from gridgov.data.privacy import blind_index


def with_id_number(residents: QuerySet[Resident], typed: str) -> QuerySet[Resident]:
    """``residents`` narrowed to the one holding ``typed`` (normalised as the register keeps it: full-width to
    ASCII, spaces and hyphens out, upper case); none when ``typed`` is blank."""
    number = normalise(typed)
    if not number:
        return residents.none()
    return residents.filter(id_digest=blind_index(number))
