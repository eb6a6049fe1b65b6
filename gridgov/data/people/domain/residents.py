"""Residents (实有人口): one household each, an ID number at most once per town (found by its digest, never by
the plain number), birth date and sex read from the ID number, one head per household.

A number already registered is refused, on the forms and in the imports alike. The refusal names the household
holding it (masked) to a writer who may see that household. To anyone else it necessarily tells that the number is
registered somewhere in the town — a register that refuses a person twice cannot hide that — but nothing more: not
where, not whom. It says how to go on (the command room or the person's village checks and moves the person), and
the attempt is written to the security log with the holder, so that someone trying numbers is seen
(``registered_elsewhere``; docs/people.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.idcard import check_passport_number, looks_like_id_number, normalise, parse_id_number
from gridgov.data.org.disclosure import Item, as_private
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.people.domain.common import (
    check_person_name,
    check_phone,
    check_writes_household,
    check_writes_resident,
    create_checked,
    today_of,
    update_checked,
)
from gridgov.data.people.enums import Relation, ResidentKind, Sex
from gridgov.data.people.models import GroupMembership, Household, Resident
from gridgov.data.people.scope import visible_households
from gridgov.data.privacy import blind_index
from gridgov.data.worktime.days import check_day


@dataclass(frozen=True, slots=True, kw_only=True)
class ResidentInput:
    """A resident as registered or changed. ``birth_date`` and ``sex`` are read from an ID number; they are
    taken from here only for a document that carries none (a foreigner's passport) or no number at all."""

    household: Household
    name: str
    id_number: str = ""
    phone: str = ""
    kind: ResidentKind = ResidentKind.REGISTERED
    relation: Relation = Relation.OTHER
    birth_date: date | None = None
    sex: Sex = Sex.UNKNOWN


@dataclass(frozen=True, slots=True)
class ResidentFields:
    """A resident's own columns as checked — by ``register_resident``/``update_resident``, or from a sheet's row
    (``importers.ResidentRow`` is one): the document number kept, its digest, and the birth date and sex."""

    name: str
    id_number: str
    id_digest: str
    birth_date: date | None
    sex: Sex
    phone: str
    kind: ResidentKind
    relation: Relation

    def values(self) -> dict[str, object]:
        """The columns by name, for the resident's row."""
        return {field.name: getattr(self, field.name) for field in fields(ResidentFields)}


def read_document(number: str, kind: ResidentKind, *, today: date) -> tuple[str, date | None, Sex | None]:
    """A given document number kept (normalised) with the birth date and sex it carries: an ID number through
    ``idcard`` (check digit, a birth date not after today); a foreigner's passport number as such (it carries
    neither: None, None)."""
    if kind == ResidentKind.FOREIGN and not looks_like_id_number(normalise(number)):
        return check_passport_number(number), None, None
    parsed = parse_id_number(number, today=today)
    return parsed.number, parsed.birth_date, Sex(parsed.sex)


def current_heads(household: Household) -> QuerySet[Resident]:
    """The household's head while living there (one at most: a household has one head)."""
    return Resident.objects.filter(
        household=household, relation=Relation.HEAD, moved_out_on__isnull=True, erased_at__isnull=True
    )


def _document(data: ResidentInput, kind: ResidentKind, today: date) -> tuple[str, date | None, Sex]:
    """The number kept (normalised), and the birth date and sex it gives (else the input's)."""
    if not data.id_number.strip():
        return "", data.birth_date, Sex(data.sex)
    number, birth_date, sex = read_document(data.id_number, kind, today=today)
    if sex is None:  # a passport: the input's
        return number, data.birth_date, Sex(data.sex)
    return number, birth_date, sex


def registered_elsewhere(
    *, actor: User, holder: Resident, number: str, via: str, client: Client | None = None
) -> str | None:
    """The refusal of ``number`` to ``actor`` when ``holder`` (another resident) has it and is out of the actor's
    sight — the attempt written to the security log; None when the actor may see the holder's household (the
    caller names it). ``via``: where it was tried ("form", "import")."""
    if visible_households(actor, Household.objects.filter(pk=holder.household_id)).exists():
        return None
    shown = as_private(number, item=Item.ID_NUMBER)
    record_event(
        kind=SecurityEventKind.PERSON_REGISTERED_ELSEWHERE,
        user=actor,
        client=client,
        detail={"holder": holder.pk, "town": holder.town_id, "via": via, "number": shown},
    )
    return _(
        "证件号码 %(v)s 不能在此登记：同一人在本镇只能登记一次。"
        "如此人确住在这里，请联系镇综合信息指挥室或其所在村（社区）核实后办理迁入；本次登记已记录备查。"
    ) % {"v": shown}


def _check_unique(actor: User, household: Household, number: str, digest: str, resident: Resident | None) -> None:
    """A number at most once in the town (another household's or this one's): looked up by its digest."""
    holders = Resident.objects.select_related("household__house").filter(town_id=household.town_id, id_digest=digest)
    if resident is not None:
        holders = holders.exclude(pk=resident.pk)
    holder = holders.first()
    if holder is None:
        return
    refusal = registered_elsewhere(actor=actor, holder=holder, number=number, via="form")
    if refusal is None:
        refusal = _("证件号码 %(v)s 已登记在%(holder)s，同一人不能登记两次") % {
            "v": as_private(number, item=Item.ID_NUMBER),
            "holder": _("户 %(household)s（%(address)s）")
            % {"household": holder.household, "address": holder.household.house.address},
        }
    raise InvalidInput(refusal, field="id_number")


def _check(actor: User, data: ResidentInput, *, resident: Resident | None, today: date) -> ResidentFields:
    household = data.household
    name = check_person_name(data.name)
    try:
        kind = ResidentKind(data.kind)
        relation = Relation(data.relation)
    except ValueError:
        raise InvalidInput(_("人口类型或与户主关系无效"), field="kind") from None
    number, birth_date, sex = _document(data, kind, today)
    if birth_date is not None and birth_date > today:
        raise InvalidInput(_("出生日期不能晚于今天"), field="birth_date")
    digest = blind_index(number) if number else ""
    if digest:
        _check_unique(actor, household, number, digest, resident)
    if relation == Relation.HEAD:
        heads = current_heads(household)
        if resident is not None:
            heads = heads.exclude(pk=resident.pk)
        if heads.exists():
            raise InvalidInput(_("户 %(household)s 已有户主") % {"household": household}, field="relation")
    return ResidentFields(name, number, digest, birth_date, sex, check_phone(data.phone), kind, relation)


def register_resident(*, actor: User, data: ResidentInput, now: datetime) -> Resident:
    """Register a resident in a household the actor may write."""
    check_writes_household(actor, data.household)
    checked = _check(actor, data, resident=None, today=today_of(now))
    values = {"town_id": data.household.town_id, "household": data.household, **checked.values()}
    return create_checked(
        Resident, values, now=now, recheck=lambda: _check(actor, data, resident=None, today=today_of(now))
    )


def check_edits_resident(actor: User, resident: Resident) -> None:
    """Whether ``actor`` may change ``resident`` now (NotAllowed with the reason if not): theirs to write, and
    the person's details not erased."""
    check_writes_resident(actor, resident)
    if resident.erased_at is not None:
        raise NotAllowed(_("该人员的个人信息已删除，不能修改"))


def update_resident(*, actor: User, resident: Resident, data: ResidentInput, now: datetime) -> Resident:
    """Change a resident (both the resident and the household they are put in the actor's to write)."""
    check_edits_resident(actor, resident)
    if data.household.pk != resident.household_id:
        check_writes_household(actor, data.household)
        if data.household.town_id != resident.town_id:
            raise InvalidInput(_("不能迁入其他乡镇的户"), field="household")
    checked = _check(actor, data, resident=resident, today=today_of(now))
    values = {"household": data.household, **checked.values()}
    return update_checked(
        resident, values, now=now, recheck=lambda: _check(actor, data, resident=resident, today=today_of(now))
    )


def move_out(*, actor: User, resident: Resident, on: date, now: datetime) -> Resident:
    """Record that a resident moved away on ``on`` (a day that has come): their open memberships end that day.
    The record stays (the retention period, ``purge_moved_out``, erases it later)."""
    check_writes_resident(actor, resident)
    if resident.moved_out_on is not None or resident.erased_at is not None:
        raise InvalidInput(_("该人员已迁出"), field="moved_out_on")
    day = check_day(on, today=today_of(now), field="moved_out_on", label=_("迁出日期"))
    with transaction.atomic():
        for membership in GroupMembership.objects.select_for_update().filter(resident=resident, until__isnull=True):
            membership.until = max(day, membership.since)
            membership.save(update_fields=["until"])
        resident.moved_out_on = day
        resident.updated_at = now
        resident.save(update_fields=["moved_out_on", "updated_at"])
    return resident
