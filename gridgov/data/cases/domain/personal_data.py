"""Reporters' and actors' personal data on a case, shown by the one rule of ``org.disclosure``: a resident reporter
masked, staff acting in office by name; in full only to the command room, leaders and admins, and every unmasking
is written to the security log."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import capacities
from gridgov.data.errors import NotAllowed
from gridgov.data.org.disclosure import Disclosed, Holder, disclose, holder_of_role, shown_name
from gridgov.data.org.enums import Role, SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event

REVEAL_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})

ReporterContact = Disclosed  # the reporter's name and phone as shown (``id_number`` stays empty)


def _plain_contact(case: Case) -> tuple[str, str]:
    """Name and phone as reported, falling back to the reporter's account."""
    account = case.reporter
    name = case.reporter_name or (account.full_name if account is not None else "")
    phone = case.reporter_phone or (account.phone if account is not None else "")
    return name, phone


def reporter_holder(case: Case) -> Holder:
    """Whose the reporter's name is: a name given with the report (a caller, a public reporter, a resident a
    worker reports for) is a private person's; otherwise it is the account's, held as the role the account
    reported in — the role the timeline shows beside the same name (its first action's)."""
    if case.reporter_name or case.reporter_id is None:
        return Holder.PRIVATE
    role = CaseAction.objects.filter(case_id=case.pk, seq=1).values_list("actor_role", flat=True).first()
    return holder_of_role(role or "")


def reporter_contact(case: Case) -> ReporterContact:
    """The reporter's contact as every page shows it."""
    name, phone = _plain_contact(case)
    return disclose(holder=reporter_holder(case), name=name, phone=phone)


def shown_actor(action: CaseAction, *, revealed: bool = False) -> str:
    """Who took ``action`` as the timeline shows them ("" for no one: a public report, the system): staff and an
    enterprise's account by name, a resident masked — as the case page's facts show the same reporter."""
    return shown_name(action.actor_name, holder=holder_of_role(action.actor_role), revealed=revealed)


def timeline(case: Case, actions: Iterable[CaseAction], *, revealed: bool = False) -> list[tuple[CaseAction, str]]:
    """Each action with its actor as shown. ``revealed``: the viewer has just unmasked the reporter's contact
    (``reveal_reporter_contact``), so the reporter's own steps name them in full as well."""
    reporter = case.reporter_id if revealed and not case.reporter_name else None
    return [(a, shown_actor(a, revealed=reporter is not None and a.actor_id == reporter)) for a in actions]


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
    return disclose(holder=Holder.PRIVATE, name=name, phone=phone, revealed=True)
