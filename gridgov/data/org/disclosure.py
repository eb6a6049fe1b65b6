"""THE rule of showing personal data: does a viewer see this name, phone number or ID number in full?

Every page, list, export and API answer that shows a person or an organisation asks it here (``disclose``,
``shown_name``), so the same person is shown in the same form everywhere, for the same viewer.

Who the value belongs to decides (``Holder``):

- ``PRIVATE`` — a natural person as themself: a resident who reports (an account of the 居民 role, a caller, a
  public or Open311 reporter), a dispute party who is a person, a resident of the register. Name, phone and ID
  number masked (张*, 138****8000, 330921********0123).
- ``OFFICIAL`` — a person acting in their office: the town's staff (grid workers, village staff, the command
  room, handlers, leaders, administrators) in the timeline or as the reporter of their own report, and a
  company's contact person. What they did in office is not private: the name in full; the phone masked (a
  mobile is a private line).
- ``ORGANISATION`` — a company or another organisation: an enterprise's account, a party that is a company. Not
  personal data: the name and the registration number (统一社会信用代码) in full; a phone masked, since it is
  usually a person's mobile.

The viewer sees more only by unmasking (``revealed=True``): a function that has checked that the viewer's role
may unmask this record (the case's or the register's scope rule) and has written the security log passes it.
Nothing else depends on the viewer: without a logged reveal, every role is shown the same form.

Where no holder can be told, or nothing may be shown in full whoever it is — a message repeating a number someone
typed, a log line — the value is shown as a private person's (``as_private``). Nothing else masks by its own code:
``privacy``'s mask functions are the formats this rule uses, asked only from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gridgov.data.org.enums import Role
from gridgov.data.privacy import mask_id_number, mask_name, mask_phone


class Holder(StrEnum):
    PRIVATE = "private"
    OFFICIAL = "official"
    ORGANISATION = "organisation"


class Item(StrEnum):
    NAME = "name"
    PHONE = "phone"
    ID_NUMBER = "id_number"


OFFICIAL_ROLES = frozenset({Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.OPERATOR, Role.HANDLER, Role.LEADER, Role.ADMIN})

# What each holder shows in full without a reveal.
_IN_FULL: dict[Holder, frozenset[Item]] = {
    Holder.PRIVATE: frozenset(),
    Holder.OFFICIAL: frozenset({Item.NAME}),
    Holder.ORGANISATION: frozenset({Item.NAME, Item.ID_NUMBER}),
}

_MASKS = {Item.NAME: mask_name, Item.PHONE: mask_phone, Item.ID_NUMBER: mask_id_number}


def holder_of_role(role: str) -> Holder:
    """The holder of an account's name by the role it acted in: staff in office, an enterprise's account (named
    after its company), anyone else (a resident) private."""
    if role in OFFICIAL_ROLES:
        return Holder.OFFICIAL
    if role == Role.ENTERPRISE:
        return Holder.ORGANISATION
    return Holder.PRIVATE


def in_full(*, holder: Holder, item: Item, revealed: bool = False) -> bool:
    """Whether ``item`` of ``holder`` is shown in full: after a logged reveal, or when it is not private data."""
    return revealed or item in _IN_FULL[holder]


def shown(value: str, *, holder: Holder, item: Item, revealed: bool = False) -> str:
    """``value`` as the viewer sees it ("" stays "")."""
    if not value or in_full(holder=holder, item=item, revealed=revealed):
        return value
    return _MASKS[item](value)


def shown_name(name: str, *, holder: Holder, revealed: bool = False) -> str:
    return shown(name, holder=holder, item=Item.NAME, revealed=revealed)


def as_private(value: str, *, item: Item) -> str:
    """``value`` shown as a private person's, whoever's it may be: where the rule cannot know the holder, or must
    not reveal anything whatever the holder — a message that repeats an ID number someone typed (a refused form,
    an import row), a log line with a phone number."""
    return shown(value, holder=Holder.PRIVATE, item=item)


@dataclass(frozen=True, slots=True, kw_only=True)
class Disclosed:
    """A name, phone and ID number as shown; ``masked``: at least one of them is shown masked (so a reveal
    would show more)."""

    name: str
    phone: str
    id_number: str
    masked: bool


def disclose(
    *, holder: Holder, name: str = "", phone: str = "", id_number: str = "", revealed: bool = False
) -> Disclosed:
    """Name, phone and ID number of one holder, each as the rule shows it."""
    plain = {Item.NAME: name, Item.PHONE: phone, Item.ID_NUMBER: id_number}
    out = {item: shown(value, holder=holder, item=item, revealed=revealed) for item, value in plain.items()}
    return Disclosed(
        name=out[Item.NAME],
        phone=out[Item.PHONE],
        id_number=out[Item.ID_NUMBER],
        masked=any(out[item] != plain[item] for item in plain),
    )
