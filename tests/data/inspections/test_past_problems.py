"""A past round's problems through the bulk path: the same checks and steps as ``record_problem``, the cases
written with their detail rows, counted, scored and bulletined like any others."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.bulk import store_photo
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.inspections.domain import (
    PastProblem,
    install_inspection_categories,
    past_problem,
    village_committee,
    write_past_problems,
)
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.inspections.scoring import village_scores
from gridgov.data.worktime.calendar import WorkCalendar
from tests.data.inspections.test_rounds import make_round
from tests.factories import MONDAY_0900, TownWorld, jpeg

pytestmark = pytest.mark.django_db


def _problem(world: TownWorld, round_: InspectionRound, **changes: object) -> PastProblem:
    before = store_photo(town=world.town, upload=Upload(name="b.jpg", data=jpeg(), kind=AttachmentKind.BEFORE))
    kwargs: dict[str, object] = {
        "round": round_,
        "inspector": world.grid_worker_a,
        "item": round_.items.get(code="A01"),
        "description": "路口垃圾未清运",
        "spot": "双合村村口",
        "village": world.village_a,
        "department": village_committee(world.village_a),
        "category": install_inspection_categories(town=world.town),
        "photos": (before,),
        "now": MONDAY_0900,
        "calendar": WorkCalendar.load(),
    }
    kwargs.update(changes)
    return past_problem(**kwargs)


def test_past_problems_are_written_like_recorded_ones(world: TownWorld) -> None:
    round_ = make_round(world)
    after = store_photo(town=world.town, upload=Upload(name="a.jpg", data=jpeg(), kind=AttachmentKind.AFTER))
    fixed, open_ = _problem(world, round_), _problem(world, round_, now=MONDAY_0900 + timedelta(hours=1))
    fixed.replay.act(actor=world.village_staff_a, action=Action.SIGN, now=MONDAY_0900 + timedelta(minutes=30))
    fixed.replay.act(
        actor=world.village_staff_a,
        action=Action.RESOLVE,
        note="已清运",
        photos=(after,),
        now=MONDAY_0900 + timedelta(hours=3),
    )
    fixed.replay.act(actor=world.operator, action=Action.VERIFY_PASS, now=MONDAY_0900 + timedelta(hours=4))
    assert write_past_problems(round=round_, problems=[fixed, open_]) == 2
    rows = list(InspectionProblem.objects.filter(round=round_).select_related("case").order_by("found_at"))
    assert [(p.case.kind, p.case.channel, p.case.status) for p in rows] == [
        (Kind.INSPECTION, Channel.INSPECTION, Status.CLOSED),
        (Kind.INSPECTION, Channel.INSPECTION, Status.DISPATCHED),
    ]
    assert [(p.village, p.department, p.deduction, p.spot) for p in rows] == [
        (world.village_a, world.committee_a, Decimal("2.0"), "双合村村口")
    ] * 2
    assert rows[0].case.title == "暴露垃圾：双合村村口"
    assert list(rows[0].case.actions.values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "sign",
        "resolve",
        "verify_pass",
    ]
    assert all(broken is None for _case, broken in verify_chains(Case.objects.filter(town=world.town)))
    scores = {s.village: (s.problems, s.rectified, s.deduction) for s in village_scores(round_)}
    assert scores[world.village_a] == (2, 1, Decimal("4.0"))


def test_past_problems_are_checked_like_recorded_ones(world: TownWorld) -> None:
    round_ = make_round(world)
    with pytest.raises(InvalidInput):
        _problem(world, round_, now=MONDAY_0900 - timedelta(days=3))  # before the round
    with pytest.raises(NotAllowed):
        _problem(world, round_, inspector=world.grid_worker_b)  # not an inspector of the round
    with pytest.raises(InvalidInput):
        _problem(world, round_, photos=())
    with pytest.raises(InvalidInput):
        _problem(world, round_, department=village_committee(world.village_b))  # another village's committee
    assert Case.objects.filter(town=world.town).count() == 0
