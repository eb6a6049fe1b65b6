"""Problem-list items: added to a list, dispatched, progress, 销号; completion rate per list; figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.models import Department
from gridgov.data.problemlists.domain import (
    SEVEN_LISTS,
    ItemInput,
    add_item,
    create_list,
    ensure_seven_lists,
    list_progress,
    report_progress,
    write_off,
)
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.figures import year_figures
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from tests.factories import MONDAY_0900, TownWorld, at, photo


def item(
    world: TownWorld,
    plist: ProblemList,
    *,
    n: int,
    deadline: date = date(2026, 12, 31),
    source: Source | str = Source.SUPERIOR,
    department: Department | None = None,
    now: datetime = MONDAY_0900,
) -> ProblemItem:
    return add_item(
        actor=world.operator,
        data=ItemInput(
            problem_list=plist,
            source=source,
            description=f"问题{n}：村级工程审批资料不全",
            department=department or world.dept_b,
            responsible_person="钱建设",
            plan="补齐资料并建立台账",
            deadline=deadline,
        ),
        now=now,
    )


def rectify(world: TownWorld, it: ProblemItem, when) -> None:
    apply_action(case_id=it.case_id, actor=world.handler_b, action=Action.SIGN, now=when)
    report_progress(item=it, actor=world.handler_b, note="已补齐一半资料", now=when + timedelta(hours=1))
    apply_action(
        case_id=it.case_id,
        actor=world.handler_b,
        action=Action.RESOLVE,
        note="已整改",
        photos=photo(),
        now=when + timedelta(hours=2),
    )
    write_off(item=it, actor=world.operator, now=when + timedelta(hours=3))


def test_item_lifecycle_to_write_off(world: TownWorld) -> None:
    plist = create_list(town=world.town, actor=world.operator, name="基层治理问题清单", now=MONDAY_0900)
    it = item(world, plist, n=1)
    case = it.case
    assert (case.kind, case.channel, case.status, case.department_id) == (
        Kind.PROBLEM_LIST,
        Channel.SUPERIOR,
        Status.DISPATCHED,
        world.dept_b.pk,
    )
    rectify(world, it, at(2026, 11, 24, 9))
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert list(case.actions.values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "sign",
        "progress",
        "resolve",
        "verify_pass",
    ]
    assert case.actions.get(action="verify_pass").note == "整改到位，予以销号"


def test_completion_rate_per_list_and_year_figures(world: TownWorld) -> None:
    first, second = ensure_seven_lists(town=world.town, actor=world.operator, now=MONDAY_0900)[:2]
    assert [p.name for p in ProblemList.objects.all()] == list(SEVEN_LISTS)
    items = [item(world, first, n=n) for n in range(4)]
    late = item(world, second, n=9, deadline=date(2026, 11, 25), source=Source.MEDIA)
    assert late.case.channel == Channel.OTHER
    for it in items[:3]:
        rectify(world, it, at(2026, 11, 24, 9))
    progress = {
        p.problem_list.name: (p.items, p.rectified, p.overdue, p.rate)
        for p in list_progress(town=world.town, as_of=at(2026, 11, 30, 9))
    }
    assert progress[first.name] == (4, 3, 0, Decimal("0.75"))
    assert progress[second.name] == (1, 0, 1, Decimal(0))
    assert progress["平安稳定问题清单"] == (0, 0, 0, None)

    figures = year_figures(town=world.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=at(2026, 12, 31))
    assert {k: f.value for k, f in figures.items()} == {
        "problem_items": 5,
        "problem_rectified": 3,
        "problem_rate": Decimal("0.6"),
    }
    empty = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=at(2026, 12, 31))
    assert empty["problem_rate"].value is None


def test_bad_items_change_nothing(world: TownWorld) -> None:
    plist = create_list(town=world.town, actor=world.operator, name="经济生态问题清单")
    with pytest.raises(InvalidInput, match="整改时限不能早于发现日期") as error:
        item(world, plist, n=1, deadline=date(2026, 11, 1))
    assert error.value.field == "deadline"
    with pytest.raises(InvalidInput, match="问题来源"):
        item(world, plist, n=1, source="gossip")
    with pytest.raises(NotAllowed):
        add_item(
            actor=world.handler_b,
            data=ItemInput(
                problem_list=plist,
                source=Source.SELF_CHECK,
                description="x",
                department=world.dept_b,
                responsible_person="x",
                plan="x",
                deadline=date(2026, 12, 1),
            ),
        )
    with pytest.raises(InvalidInput, match="已存在"):
        create_list(town=world.town, actor=world.operator, name="经济生态问题清单")
    assert ProblemItem.objects.count() == 0
    from gridgov.data.cases.models import Case

    assert Case.objects.count() == 0
