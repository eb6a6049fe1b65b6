"""Reporters' personal data: masked everywhere by default; shown in full only to the command room, leaders
and admins, and every unmasking is written to the security log."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities
from gridgov.data.errors import NotAllowed
from gridgov.data.org.enums import Role, SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.privacy import mask_name, mask_phone

REVEAL_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class ReporterContact:
    name: str
    phone: str
    masked: bool


def _plain_contact(case: Case) -> tuple[str, str]:
    """Name and phone as reported, falling back to the reporter's account."""
    account = case.reporter
    name = case.reporter_name or (account.full_name if account is not None else "")
    phone = case.reporter_phone or (account.phone if account is not None else "")
    return name, phone


def reporter_contact(case: Case) -> ReporterContact:
    """The reporter's contact as every page shows it: masked."""
    name, phone = _plain_contact(case)
    return ReporterContact(name=mask_name(name), phone=mask_phone(phone) if phone else "", masked=True)


def can_reveal(user: User, case: Case) -> bool:
    return bool(capacities(user, case) & REVEAL_ROLES)


def reveal_reporter_contact(*, user: User, case: Case, client: Client | None = None) -> ReporterContact:
    """The reporter's contact in full, for a role that needs it; the unmasking is logged."""
    if not can_reveal(user, case):
        raise NotAllowed(_("您的角色不能查看上报人的完整信息"))
    name, phone = _plain_contact(case)
    record_event(
        kind=SecurityEventKind.PERSONAL_DATA_REVEALED,
        user=user,
        client=client,
        detail={"case": case.number, "fields": ["reporter_name", "reporter_phone"]},
    )
    return ReporterContact(name=name, phone=phone, masked=False)
