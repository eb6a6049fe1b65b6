"""Who may see what, and do what now: the one module every page, export, API endpoint and Open311 call asks.

- **Cases**: ``visible_cases`` / ``case_for`` (the scope rule of ``cases/scope.py``, stated once as the user's
  grants) and ``available_actions`` — the transition table (``cases/transitions.py``) ∩ the user's capacities.
- **Ledger records** (hazards, service requests, problem items, disputes, inspection problems) are cases with a
  ledger row: ``visible_records`` / ``record_for`` see them through their case, and ``record_actions`` names the
  buttons of a ledger page from the very same ``available_actions`` as the case page (``LEDGER_STEPS`` maps each
  button to its transition), plus the few rules that are a ledger's own (a petition is extended once; the parties
  of a dispute are unmasked for the roles that may see personal data).
- **Cases that have left their reader** (``out_of_reach``): a case someone was told of and may no longer see —
  why it no longer opens, for their message and the case's address, on the same scope rule.
- **Enterprises**, **figures** (``viewer_of``) and **follow tokens** (a public report's signed link).

Why here: ``access`` is the top of the data layer (it already files Open311 reports through the engine), so it may
import every ledger app and ``reports``, and nothing in ``gridgov.data`` imports it. The membership primitives the
domain functions enforce themselves (``capacities``, ``town_roles``, ``is_global_admin``) stay in ``cases/scope.py``,
the lowest layer that knows a case, and this module is their only door for the UI, the API and Open311.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from enum import StrEnum
from functools import reduce

from django.db.models import Model, Q, QuerySet
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from gridgov.data.access.visits_scope import *  # noqa: F403  # the visit round's scope
from gridgov.data.assistance.scope import *  # noqa: F403  # social assistance's rule (its ``__all__``)
from gridgov.data.cases.domain.notification_inbox import OutOfReach, out_of_reach
from gridgov.data.cases.domain.personal_data import can_reveal
from gridgov.data.cases.domain.queries import available_actions
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import (
    FIELD_ROLES,
    area_parts,
    capacities,
    check_may_report_into,
    handling_departments,
    home_area,
    is_global_admin,
    may_import_town_ledgers,
    may_report_into,
    may_report_through,
    memberships_of,
    own_channel,
    town_roles,
    visible_cases,
    visible_parts,
)
from gridgov.data.cases.scope import get_case_for_user as case_for
from gridgov.data.cases.transitions import Transition
from gridgov.data.collective.scope import *  # noqa: F403  # the village collective economy's rule (its ``__all__``)
from gridgov.data.disputes.domain import MANAGER_ROLES as DISPUTE_MANAGERS
from gridgov.data.disputes.enums import DisputeType
from gridgov.data.disputes.models import Dispute
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES as ENTERPRISE_MANAGER_ROLES
from gridgov.data.enterprises.domain.enterprises import (
    is_enterprise_user,
    own_enterprise_ids,
    staff_town_ids,
    visible_enterprises,
)
from gridgov.data.enterprises.importers import may_import as may_import_enterprise_books
from gridgov.data.enterprises.models import Hazard, Meeting, ServiceRequest
from gridgov.data.enterprises.scope import *  # noqa: F403  # the enterprises' yearly figures' rule (its ``__all__``)
from gridgov.data.errors import NotFound
from gridgov.data.inspections.domain import MANAGER_ROLES as INSPECTION_MANAGERS
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.investment.scope import *  # noqa: F403  # investment attraction's rule (its ``__all__``)
from gridgov.data.notify.domain.messages import follow_token
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User
from gridgov.data.people.models import House
from gridgov.data.people.scope import *  # noqa: F403  # the people register's rule (its ``__all__``)
from gridgov.data.people.scope import may_revitalise
from gridgov.data.problemlists.domain import MANAGER_ROLES as PROBLEM_LIST_MANAGERS
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.projects.scope import *  # noqa: F403  # the key projects' rule (its ``__all__``)
from gridgov.data.rentals.domain import MANAGER_ROLES as RENTAL_MANAGERS
from gridgov.data.rentals.models import Rectification
from gridgov.data.reports.domain.viewers import Viewer, viewer_of
from gridgov.data.sheets.framework import ImportReport, importers
from gridgov.data.sheets.models import ImportJob, JobMode

__all__ = [
    "FIELD_ROLES",
    "LEDGER_STEPS",
    "MEDIATE_ROLES",
    "Ledger",
    "OutOfReach",
    "Viewer",
    "area_parts",
    "available_actions",
    "capacities",
    "case_for",
    "check_may_report_into",
    "duplicate_number",
    "follow_token",
    "follow_token_ok",
    "followed_case",
    "handling_departments",
    "home_area",
    "is_enterprise_user",
    "is_global_admin",
    "ledger_actions",
    "may_confirm_import",
    "may_import",
    "may_report_into",
    "may_report_through",
    "may_reveal_contact",
    "may_verify",
    "meeting_actions",
    "memberships_of",
    "offered_actions",
    "out_of_reach",
    "own_channel",
    "own_enterprise_ids",
    "problem_list_for",
    "public_case_by_phone",
    "record_actions",
    "record_for",
    "revitalisation_actions",
    "round_for",
    "staff_town_ids",
    "town_roles",
    "viewer_of",
    "visible_cases",
    "visible_enterprises",
    "visible_meetings",
    "visible_parts",
    "visible_problem_lists",
    "visible_records",
    "visible_rounds",
]

LedgerRecord = Hazard | ServiceRequest | ProblemItem | Dispute | InspectionProblem | Rectification

# The buttons of each ledger's detail page, each the transition it takes (the page's form posts the step).
LEDGER_STEPS: Mapping[type[Model], Mapping[str, Action]] = {
    Hazard: {"rectify": Action.RESOLVE, "accept": Action.VERIFY_PASS},
    ServiceRequest: {"solve": Action.RESOLVE, "rate": Action.RATE},
    ProblemItem: {"progress": Action.PROGRESS, "write_off": Action.VERIFY_PASS},
    Dispute: {
        "ask_extension": Action.REQUEST_EXTENSION,
        "approve_extension": Action.APPROVE_EXTENSION,
        "deny_extension": Action.DENY_EXTENSION,
        "mediate": Action.COMMENT,
    },
    InspectionProblem: {},
    Rectification: {"sign": Action.SIGN, "rectify": Action.RESOLVE, "accept": Action.VERIFY_PASS},
}
# A mediation is a comment in the case's chain; it is recorded by the people who mediate, not by anyone in scope.
MEDIATE_ROLES = frozenset({Role.HANDLER, Role.OPERATOR, Role.LEADER, Role.ADMIN})
PUBLIC_CHANNELS = (Channel.RESIDENT, Channel.OPEN311)
ENTERPRISE_MANAGERS = tuple(ENTERPRISE_MANAGER_ROLES)


# ---------------------------------------------------------------------------------------------------
# Cases


def offered_actions(*, user: User, case: Case) -> frozenset[Action]:
    """The actions of ``available_actions`` as a set, for pages that ask "is this button on?"."""
    return frozenset(Action(t.action) for t in available_actions(user=user, case=case))


def may_verify(*, user: User, case: Case) -> bool:
    """Whether ``user`` may check the case's result now (核查通过/不通过: the phone's verify form)."""
    return Action.VERIFY_PASS in offered_actions(user=user, case=case)


def may_reveal_contact(*, user: User, case: Case) -> bool:
    """Whether ``user`` may see the personal data of ``case`` in full: the reporter's contact, a dispute's parties.

    The rule is ``personal_data.can_reveal`` (the roles that may unmask, within the user's capacities on the
    case), which the unmasking functions enforce themselves; pages ask here."""
    return can_reveal(user, case)


def duplicate_number(*, user: User, case: Case) -> str | None:
    """The number of the case ``case`` duplicates — only when ``user`` may see that case too."""
    if case.duplicate_of_id is None:
        return None
    found: str | None = (
        visible_cases(user, Case.objects.filter(pk=case.duplicate_of_id)).values_list("number", flat=True).first()
    )
    return found


# ---------------------------------------------------------------------------------------------------
# Ledger records


def visible_records[R: (Hazard, ServiceRequest, ProblemItem, Dispute, InspectionProblem, Rectification)](
    user: User, model: type[R]
) -> QuerySet[R]:
    """The ledger rows of ``model`` whose case ``user`` may see."""
    return model.objects.filter(case__in=visible_cases(user).values("pk"))


def record_for[R: (Hazard, ServiceRequest, ProblemItem, Dispute, InspectionProblem, Rectification)](
    user: User, queryset: QuerySet[R], pk: int
) -> R:
    """One ledger row of ``queryset`` if ``user`` may see its case; otherwise NotFound (never say it exists)."""
    found = queryset.filter(pk=pk, case__in=visible_cases(user).values("pk")).first()
    if found is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return found


def record_actions(*, user: User, record: LedgerRecord, transitions: list[Transition] | None = None) -> frozenset[str]:
    """The buttons ``user`` has on ``record``'s ledger page now: the steps of ``LEDGER_STEPS`` whose transition
    ``available_actions`` offers on the record's case (the case page's buttons), narrowed by the ledger's own
    rules; for a dispute also ``reveal`` (the parties in full) and ``clear`` (积案化解销号)."""
    case = record.case
    if transitions is None:
        transitions = available_actions(user=user, case=case)
    actions = {Action(t.action) for t in transitions}
    steps = {step for step, action in LEDGER_STEPS[type(record)].items() if action in actions}
    if isinstance(record, Dispute):
        steps |= _dispute_steps(user, record, case, steps)
    return frozenset(steps)


def _dispute_steps(user: User, dispute: Dispute, case: Case, steps: set[str]) -> set[str]:
    caps = capacities(user, case)
    if dispute.type != DisputeType.PETITION or case.extension_count > 0:  # 信访: extended once, with approval
        steps.discard("ask_extension")
    if dispute.type != DisputeType.PETITION:
        steps -= {"approve_extension", "deny_extension"}
    if not caps & MEDIATE_ROLES:
        steps.discard("mediate")
    if may_reveal_contact(user=user, case=case):
        steps.add("reveal")
        if dispute.backlog and dispute.backlog_cleared_at is None and case.status == Status.CLOSED:
            steps.add("clear")
    return steps


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """乡镇长有约 meetings: those of the towns ``user`` serves, and those their company took part in."""
    condition = Q(town_id__in=staff_town_ids(user)) | Q(enterprises__in=own_enterprise_ids(user))
    return Meeting.objects.filter(condition).distinct()


class Ledger(StrEnum):
    ENTERPRISES = "enterprises"
    MEETINGS = "meetings"
    HAZARDS = "hazards"
    SERVICES = "services"
    INSPECTIONS = "inspections"
    PROBLEM_LISTS = "problem_lists"
    DISPUTES = "disputes"
    RENTALS = "rentals"


# Who keeps each civic ledger of a town (registers rows by hand, imports sheets, sees the town's progress).
CIVIC_KEEPERS: Mapping[Ledger, frozenset[Role]] = {
    Ledger.INSPECTIONS: INSPECTION_MANAGERS,
    Ledger.PROBLEM_LISTS: PROBLEM_LIST_MANAGERS,
    Ledger.DISPUTES: DISPUTE_MANAGERS,
    Ledger.RENTALS: RENTAL_MANAGERS,
}


def ledger_actions(*, user: User, ledger: Ledger, town: Area | None = None) -> frozenset[str]:
    """What ``user`` may do on a ledger's list page: ``add`` (register rows by hand, and for the civic ledgers
    see the town's progress) and ``import`` (upload the ledger's sheet). The civic ledgers are
    kept per town (``town``); the enterprise register and meetings by the staff of any town."""
    if ledger in CIVIC_KEEPERS:
        keeps = town is not None and bool(town_roles(user, town) & CIVIC_KEEPERS[ledger])
        if not keeps:
            return frozenset()
        # Their sheets are imported by the command room only (the civic importers' own ``allowed``): a leader
        # opens inspection rounds by hand but is not offered an upload the import page would refuse.
        return frozenset({"add", "import"}) if may_import_town_ledgers(user) else frozenset({"add"})
    if ledger in (Ledger.ENTERPRISES, Ledger.MEETINGS):
        return frozenset({"add"}) if staff_town_ids(user, ENTERPRISE_MANAGERS) else frozenset()
    return frozenset({"import"}) if may_import_enterprise_books(user) else frozenset()


def meeting_actions(*, user: User, meeting: Meeting) -> frozenset[str]:
    """``add``: the staff of the meeting's town register the requests raised at it."""
    return frozenset({"add"}) if meeting.town_id in staff_town_ids(user) else frozenset()


def revitalisation_actions(*, user: User, house: House) -> frozenset[str]:
    """``revitalise``: record an idle farmhouse's revitalisation (盘活) — the town's command room and admins, and
    the staff of the house's village (``people.scope.may_revitalise``, which the write enforces)."""
    return frozenset({"revitalise"}) if may_revitalise(user, house) else frozenset()


def visible_problem_lists(user: User) -> QuerySet[ProblemList]:
    """The problem lists of every town ``user`` works in or sees a problem item of."""
    towns = [t.pk for t in Area.objects.filter(level=AreaLevel.TOWN) if town_roles(user, t)]
    seen = visible_records(user, ProblemItem).values("town_id")
    return ProblemList.objects.filter(Q(town_id__in=towns) | Q(town_id__in=seen))


def problem_list_for(user: User, problem_list_id: int) -> ProblemList | None:
    """The list a new problem item is added to, when ``user`` works in its town (None otherwise: never say it
    exists); whether they may add to it is the domain's own check."""
    found = ProblemList.objects.select_related("town").filter(pk=problem_list_id).first()
    return found if found is not None and town_roles(user, found.town) else None


def visible_rounds(user: User, town: Area | None = None) -> QuerySet[InspectionRound]:
    """Inspection rounds (of ``town``, or of every town): all of a town's for its keepers, otherwise those ``user``
    organises or inspects in — for the ledger pages and the API alike."""
    towns = [town] if town is not None else list(Area.objects.filter(level=AreaLevel.TOWN))
    kept = [t.pk for t in towns if "add" in ledger_actions(user=user, ledger=Ledger.INSPECTIONS, town=t)]
    rounds = InspectionRound.objects.all() if town is None else InspectionRound.objects.filter(town=town)
    if town is not None and kept:
        return rounds
    return rounds.filter(Q(town_id__in=kept) | Q(inspectors=user) | Q(organizer=user)).distinct()


def round_for(user: User, round_id: int) -> InspectionRound:
    """One round, for its organiser, its inspectors and its town's keepers; otherwise NotFound."""
    round_ = InspectionRound.objects.select_related("town", "organizer").filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(_("督查不存在"))
    is_inspector = round_.organizer_id == user.pk or round_.inspectors.filter(pk=user.pk).exists()
    if not (is_inspector or town_roles(user, round_.town) & INSPECTION_MANAGERS):
        raise NotFound(_("督查不存在或您无权查看"))
    return round_


# ---------------------------------------------------------------------------------------------------
# Follow tokens: a public reporter follows their case by a signed link, or by its number and their phone.


def follow_token_ok(number: str, token: str) -> bool:
    return bool(token) and constant_time_compare(follow_token(number), token)


def followed_case(number: str, token: str) -> Case | None:
    """The public case behind a follow link, or None when the token does not match (never say which)."""
    if not follow_token_ok(number, token):
        return None
    return (
        Case.objects.select_related("category", "major_category")
        .filter(number=number, channel__in=PUBLIC_CHANNELS)
        .order_by("id")
        .first()
    )


def public_case_by_phone(number: str, phone: str) -> Case | None:
    """A publicly reported case whose reporter phone matches (the phone is encrypted: compared in Python)."""
    number = number.strip().upper()
    for case in Case.objects.filter(number=number, channel__in=PUBLIC_CHANNELS).order_by("id")[:5]:
        if case.reporter_phone and constant_time_compare(case.reporter_phone.strip(), phone.strip()):
            return case
    return None


# ---------------------------------------------------------------------------------------------------
# Sheet imports


def may_import(user: User) -> bool:
    """Whether ``user`` may use at least one sheet import (the 导入 menu entry and page). Each importer states
    who may use it (``Importer.allowed``, which ``sheets.jobs`` enforces on every upload); this is their union."""
    return user.is_authenticated and any(importer.allowed(user) for importer in importers())


def may_confirm_import(*, job: ImportJob, report: ImportReport | None) -> bool:
    """Whether the job page offers 确认导入: a dry run (of a job its uploader sees, ``get_job``) that found no
    errors and has rows left to write."""
    return job.mode == JobMode.DRY_RUN and report is not None and report.ok and report.valid > report.skipped


# ---------------------------------------------------------------------------------------------------
# The village collective economy's pages (村级集体经济)


def may_see_collective(user: User) -> bool:
    """Whether the collective economy's pages answer ``user`` at all: a role that sees villages' incomes
    (``INCOME_VIEWERS``: the town's command room, leaders, admins and village staff)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_global_admin(user) or any(m.role in INCOME_VIEWERS for m in memberships_of(user))  # noqa: F405


def income_villages(user: User, town: Area) -> QuerySet[Area]:
    """The villages of ``town`` whose incomes ``user`` sees (the rule of ``visible_incomes``): every village for
    the town's command room, leaders and admins; their own village for village staff; none for others."""
    villages = Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code")
    if not may_see_collective(user):
        return villages.none()
    if is_global_admin(user):
        return villages
    conditions = [
        Q(path__startswith=m.area.path)
        for m in memberships_of(user)
        if m.role in INCOME_VIEWERS and m.area is not None  # noqa: F405
    ]
    return villages.filter(reduce(operator.or_, conditions)) if conditions else villages.none()


def income_recording_villages(user: User, town: Area) -> list[Area]:
    """The villages of ``town`` for which ``user`` records incomes and enterprises' help (the rule of
    ``may_record_income``, asked once for the whole town): every village for the town's operators and admins,
    their own for village staff."""
    villages = list(income_villages(user, town))
    if is_global_admin(user) or town_roles(user, town) & INCOME_RECORDERS:  # noqa: F405
        return villages
    own = [m.area.path for m in memberships_of(user) if m.role == Role.VILLAGE_STAFF and m.area is not None]
    return [v for v in villages if any(v.path.startswith(path) for path in own)]
