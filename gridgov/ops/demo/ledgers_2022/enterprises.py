"""Demo enterprise ledgers: the 2022 work report's figures, built through the domain functions.

2022: 企业自查隐患918条, 政府端和第三方机构排查隐患790条, 整改率100%; "乡镇长有约" every two months (6
meetings); 帮助企业解决实际问题134个; 全年帮助企业融资5400余万元. The current year gets a smaller, live set
(some hazards still open, a few overdue; requests in progress).

Both years draw their hazards and requests from the same random stream (``hazard_plans``, ``request_plans``).
The current year files them through the engine as they happen; a past year replays each case by the engine's
rules in memory (``plan_hazard``/``plan_request``, then ``Replay.act`` for every later step) and writes it
with its ledger row through the bulk path, ``SLICE`` cases per short transaction, so the demo's 2022 never
holds the write lock for long and owes nobody a notification.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.bulk import StoredFile, insert_rows, store_photo, write_cases
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import install_enterprise_categories
from gridgov.data.enterprises.domain.enterprises import add_enterprise_user, create_enterprise
from gridgov.data.enterprises.domain.hazards import (
    accept_hazard,
    plan_hazard,
    record_hazard,
    report_rectification,
)
from gridgov.data.enterprises.domain.services import plan_request, raise_request, solve_request
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.data.org.credit_code import ALPHABET, check_character
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, Membership, User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.ops.demo.ledgers_2022.enterprise_plans import (
    GOV_2022,
    HOUR,
    RECTIFIED,
    SELF_2022,
    SOLVED,
    SOLVED_2022,
    THIRD_2022,
    Crew,
    DemoYear,
    HazardPlan,
    RequestPlan,
    Step,
    hazard_plans,
    local_day,
    photo,
    request_plans,
)
from gridgov.ops.demo.ledgers_2022.problemlists import period

ENTERPRISES = [
    "浙江岱西船舶修造有限公司", "岱山宁兴船舶修造有限公司", "岱山和泰船舶有限公司", "舟山华丰船舶工程有限公司",
    "岱山卓然石化装备有限公司", "岱西润和石化储运有限公司", "舟山珈和科技有限公司", "岱西海丰水产品加工厂",
    "岱山双合海蜇专业合作社", "岱西前岸机械制造有限公司", "岱西港口物流有限公司", "岱山青黑农业开发有限公司",
    "岱西摇星浦冷链仓储有限公司", "岱山茶前山建材有限公司", "岱西火箭村渔业服务有限公司", "岱山后岸新材料有限公司",
]  # fmt: skip
SLICE = 40  # past cases per transaction (about 250 actions): well under 200 ms, so a request can interleave


def _crew(town: Area) -> Crew:
    memberships = Membership.objects.filter(active=True, town=town).select_related("user", "department", "area")
    by_role: dict[str, User] = {}
    handlers: dict[str, tuple[Department, User]] = {}
    for m in memberships.order_by("id"):
        if m.role in (Role.OPERATOR, Role.LEADER) and m.area_id == town.pk:
            by_role.setdefault(m.role, m.user)
        if m.role == Role.HANDLER and m.department is not None:
            handlers.setdefault(m.department.code, (m.department, m.user))
    safety = handlers.get("YJB") or next(iter(handlers.values()))
    economy = handlers.get("JFB") or safety
    return Crew(by_role[Role.OPERATOR], by_role[Role.LEADER], safety[0], safety[1], economy[0], economy[1])


def synthetic_credit_code(rng: random.Random) -> str:
    """A valid synthetic unified social credit code of 岱山县 (330921), with its check character."""
    body = "9133092" + "1" + "MA2" + "".join(rng.choice(ALPHABET[:-5]) for _ in range(6))
    return body + check_character(body)


def ensure_enterprises(*, town: Area, rng: random.Random) -> list[Enterprise]:
    """The town's demo enterprises (created once); the demo 'qiye' account belongs to the first."""
    existing = list(Enterprise.objects.filter(town=town).order_by("id"))
    if existing:
        return existing
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    created = []
    for index, name in enumerate(ENTERPRISES):
        village = villages[index % len(villages)] if villages else None
        created.append(
            create_enterprise(
                town=town,
                name=name,
                credit_code=synthetic_credit_code(rng),
                address=f"{village.name if village else town.name}工业区{index + 1}号",
                village=village,
                contact_name=rng.choice("王李张陈林徐") + rng.choice(["经理", "厂长", "主任"]),
                contact_phone=f"138{rng.randint(10_000_000, 99_999_999)}",
            )
        )
    qiye = User.objects.filter(username="qiye").first()
    if qiye is not None:
        add_enterprise_user(user=qiye, enterprise=created[0])
    return created


def build(
    *,
    town: Area,
    rng: random.Random,
    year: int = 2022,
    hazards: tuple[int, int, int] | None = None,
    solved: int | None = None,
) -> None:
    """Enterprises, both hazard books and the enterprise services of ``year``.

    ``hazards`` = (self-check, government, third-party) counts, ``solved`` = requests solved; by default
    the 2022 work report's numbers for 2022 and a small live set for the current year.
    """
    install_enterprise_categories(town=town)
    enterprises = ensure_enterprises(town=town, rng=rng)
    crew = _crew(town)
    current = year >= timezone.localdate().year
    if hazards is None:
        hazards = (36, 20, 8) if current else (SELF_2022, GOV_2022, THIRD_2022)
    if solved is None:
        solved = 14 if current else SOLVED_2022
    first, last = period(year, days_before_today=3)
    demo_year = DemoYear(
        town=town, rng=rng, enterprises=enterprises, crew=crew, first=first, last=last, current=current
    )
    if current:  # live: through the engine, step by step
        for hazard in hazard_plans(demo_year, counts=hazards):
            _file_hazard(hazard, crew)
        for request in request_plans(demo_year, solved=solved):
            _file_request(request, crew)
        return
    past = _past(demo_year)
    _write_past(town, (_replay_hazard(hazard, past) for hazard in hazard_plans(demo_year, counts=hazards)))
    _write_past(town, (_replay_request(request, past) for request in request_plans(demo_year, solved=solved)))


# The current year, live: each step through the engine as it happens.


def _file_hazard(plan: HazardPlan, crew: Crew) -> None:
    with transaction.atomic():  # one commit per hazard's whole life, not one per step
        hazard = record_hazard(actor=crew.operator, data=plan.data, now=plan.now)
        for actor, action, when, extra in plan.handover(crew):
            apply_action(case_id=hazard.case_id, actor=actor, action=action, now=when, **extra)
        if plan.rectified is None:
            return
        rectified = plan.rectified
        report_rectification(
            case_id=hazard.case_id,
            actor=crew.safety_handler,
            measures=RECTIFIED,
            funds=rectified.funds,
            rectified_on=local_day(rectified.at),
            photos=photo(AttachmentKind.AFTER),
            now=rectified.at,
        )
        accept_hazard(
            case_id=hazard.case_id,
            actor=crew.operator,
            acceptor=str(crew.operator),
            accepted_on=local_day(rectified.accepted),
            now=rectified.accepted,
        )


def _file_request(plan: RequestPlan, crew: Crew) -> None:
    request = raise_request(
        actor=crew.operator,
        enterprise=plan.enterprise,
        request_type=plan.kind,
        description=plan.description,
        meeting=plan.meeting,
        now=plan.now,
    )
    case_id = request.case_id
    for actor, action, when, extra in plan.handover(crew):
        apply_action(case_id=case_id, actor=actor, action=action, now=when, **extra)
    if plan.solved is None:
        return
    done = plan.solved
    solve_request(
        case_id=case_id,
        actor=crew.economy_handler,
        note=SOLVED,
        financing_amount=done.financing,
        photos=photo(AttachmentKind.OTHER),
        now=done.at,
    )
    apply_action(case_id=case_id, actor=crew.operator, action=Action.VERIFY_PASS, now=done.at + HOUR)
    apply_action(case_id=case_id, actor=crew.operator, action=Action.RATE, rating=done.rating, now=done.at + 3 * HOUR)


# A past year: every case replayed by the engine's rules in memory, written through the bulk path a slice at a
# time (numbered, hash-chained and rolled up as the engine would); nobody is notified of a past year.


@dataclass(frozen=True)
class _Past:
    """What replaying a past year needs once: the calendar and the photos, stored once for every case."""

    crew: Crew
    calendar: WorkCalendar
    after: tuple[StoredFile, ...]
    other: tuple[StoredFile, ...]


def _past(year: DemoYear) -> _Past:
    def stored(kind: AttachmentKind) -> tuple[StoredFile, ...]:
        return tuple(store_photo(town=year.town, upload=upload) for upload in photo(kind))

    calendar = WorkCalendar.load()
    return _Past(year.crew, calendar, stored(AttachmentKind.AFTER), stored(AttachmentKind.OTHER))


def _replay_hazard(plan: HazardPlan, past: _Past) -> PlannedRow[Hazard]:
    crew = past.crew
    planned = plan_hazard(actor=crew.operator, data=plan.data, source_key="", now=plan.now, calendar=past.calendar)
    replay = _handed_over(planned, plan.handover(crew), past)
    rectified = plan.rectified
    if rectified is not None:
        replay.act(
            actor=crew.safety_handler, action=Action.RESOLVE, note=RECTIFIED, photos=past.after, now=rectified.at
        )
        acceptor = str(crew.operator)
        note = _("验收合格，予以销号（验收人：%(a)s）") % {"a": acceptor}
        replay.act(actor=crew.operator, action=Action.VERIFY_PASS, note=note, now=rectified.accepted)
        hazard = planned.detail
        hazard.measures, hazard.funds, hazard.rectified_on = RECTIFIED, rectified.funds, local_day(rectified.at)
        hazard.acceptor, hazard.accepted_on = acceptor[:64], local_day(rectified.accepted)
    return planned


def _replay_request(plan: RequestPlan, past: _Past) -> PlannedRow[ServiceRequest]:
    crew = past.crew
    planned = plan_request(
        actor=crew.operator,
        enterprise=plan.enterprise,
        request_type=plan.kind,
        description=plan.description,
        meeting=plan.meeting,
        source_key="",
        now=plan.now,
        calendar=past.calendar,
    )
    replay = _handed_over(planned, plan.handover(crew), past)
    done = plan.solved
    if done is not None:
        replay.act(actor=crew.economy_handler, action=Action.RESOLVE, note=SOLVED, photos=past.other, now=done.at)
        replay.act(actor=crew.operator, action=Action.VERIFY_PASS, now=done.at + HOUR)
        replay.act(actor=crew.operator, action=Action.RATE, rating=done.rating, now=done.at + 3 * HOUR)
        planned.detail.financing_amount = done.financing
    return planned


def _handed_over[D: Model](planned: PlannedRow[D], steps: list[Step], past: _Past) -> Replay:
    """The planned case, resumed in memory and taken through ``steps`` as the engine would take them."""
    replay = Replay.resume(planned.record, calendar=past.calendar)
    for actor, action, when, extra in steps:
        replay.act(actor=actor, action=action, now=when, **extra)
    return replay


def _write_past[D: Model](town: Area, planned: Iterable[PlannedRow[D]]) -> None:
    """Write the replayed cases and their ledger rows, ``SLICE`` cases per short transaction."""
    for part in itertools.batched(planned, SLICE):
        _write_slice(town, part)


def _write_slice[D: Model](town: Area, part: Sequence[PlannedRow[D]]) -> None:
    def rows(cases: list[Case]) -> None:
        insert_rows([row for one, case in zip(part, cases, strict=True) for row in one.rows(case)])

    write_cases(town=town, records=[one.record for one in part], then=rows)
