"""A person's rights under PIPL (个人信息保护法): their record exported for an access request (查阅、复制), and
erased on request or when the retention period after moving away has passed (删除).

Erasing blanks the name (to a placeholder), ID number, its digest, phone and birth date, ends the person's
memberships (their notes blanked too) and stamps ``erased_at``; the row stays as a placeholder, so households,
visits and payments keep their shape. The security log keeps who exported or erased whom (by row number, never
a personal value), and the cases the person reported are left alone: they hold their own masked copy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import Area, User
from gridgov.data.org.security import Client, record_event
from gridgov.data.people.domain.common import today_of
from gridgov.data.people.domain.display import ERASED_NAME, plain_view
from gridgov.data.people.enums import Sex
from gridgov.data.people.models import GroupMembership, Resident
from gridgov.data.people.scope import may_erase_person, may_unmask_person, visible_memberships
from gridgov.types import JSONObject

RETENTION_ACTOR = "people-retention"  # the security log's user name for the retention purge


def person_record(*, user: User, resident: Resident) -> JSONObject:
    """The resident's record in full as JSON-ready values: the resident, household, house, and the memberships
    ``user`` may see (a leader's or admin's export holds the sensitive groups too). Checks nothing and logs
    nothing: ``export_person`` does; a larger export (with visits, payments) builds on this."""
    person = plain_view(resident)
    household = resident.household
    house = household.house
    memberships = visible_memberships(user, GroupMembership.objects.filter(resident=resident))
    return {
        "resident": {
            "id": person.pk,
            "name": person.name,
            "id_number": person.id_number,
            "phone": person.phone,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "sex": str(person.sex.label) if person.sex else "",
            "kind": str(person.kind.label),
            "relation": str(person.relation.label),
            "moved_out_on": person.moved_out_on.isoformat() if person.moved_out_on else None,
            "registered_at": timezone.localtime(resident.created_at).isoformat(),
        },
        "household": {"id": household.pk, "number": household.number},
        "house": {
            "id": house.pk,
            "address": house.address,
            "village": house.village.name,
            "grid": house.grid.name if house.grid else "",
        },
        "memberships": [
            {
                "group": m.group.name,
                "since": m.since.isoformat(),
                "until": m.until.isoformat() if m.until else None,
                "note": m.note,
            }
            for m in memberships.select_related("group").order_by("since", "id")
        ],
    }


def export_person(*, user: User, resident: Resident, client: Client | None = None) -> JSONObject:
    """A person's record for an access request: only for the roles that may unmask them, and logged."""
    if not may_unmask_person(user=user, resident=resident):
        raise NotAllowed(_("您的角色不能导出该人员的个人信息"))
    record = person_record(user=user, resident=resident)
    record_event(
        kind=SecurityEventKind.PERSONAL_DATA_EXPORTED,
        user=user,
        client=client,
        detail={"resident": resident.pk, "town": resident.town_id},
    )
    return record


def _erase(resident: Resident, now: datetime) -> None:
    """Blank the personal values of a resident (locked by the caller) and end their memberships."""
    today = today_of(now)
    for membership in GroupMembership.objects.select_for_update().filter(resident=resident):
        if membership.until is None:
            membership.until = max(today, membership.since)
        membership.note = ""
        membership.save(update_fields=["until", "note"])
    resident.name = ERASED_NAME
    resident.id_number = ""
    resident.id_digest = ""
    resident.phone = ""
    resident.birth_date = None
    resident.sex = Sex.UNKNOWN
    resident.erased_at = now
    resident.updated_at = now
    resident.save(
        update_fields=["name", "id_number", "id_digest", "phone", "birth_date", "sex", "erased_at", "updated_at"]
    )


def erase_person(*, user: User, resident: Resident, now: datetime, client: Client | None = None) -> Resident:
    """Erase a person's data on request (the command room or an admin over their area); the erasure is logged."""
    if not may_erase_person(user=user, resident=resident):
        raise NotAllowed(_("您的角色不能删除该人员的个人信息"))
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        if locked.erased_at is not None:
            raise InvalidInput(_("该人员的个人信息已删除"), field="erased_at")
        _erase(locked, now)
        record_event(
            kind=SecurityEventKind.PERSONAL_DATA_ERASED,
            user=user,
            client=client,
            detail={"resident": locked.pk, "town": locked.town_id, "reason": "request"},
            now=now,
        )
    return locked


def purge_moved_out(*, town: Area, now: datetime, keep_days: int) -> int:
    """Erase the residents of ``town`` who moved away more than ``keep_days`` days ago; returns how many."""
    if keep_days < 0:
        raise InvalidInput(_("保存天数不能为负数"), field="keep_days")
    cutoff = today_of(now) - timedelta(days=keep_days)
    due = Resident.objects.filter(town=town, moved_out_on__lt=cutoff, erased_at__isnull=True).order_by("pk")
    erased = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Resident.objects.select_for_update().filter(pk=pk, erased_at__isnull=True).first()
            if locked is None:
                continue
            _erase(locked, now)
            record_event(
                kind=SecurityEventKind.PERSONAL_DATA_ERASED,
                username=RETENTION_ACTOR,
                detail={"resident": pk, "town": town.pk, "reason": "retention", "keep_days": keep_days},
                now=now,
            )
        erased += 1
    return erased
