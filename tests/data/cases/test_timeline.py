"""What each step decided (``timeline.step_detail``), read from the step's own record: an extension refused says how
much was asked, a resume the deadline it set — not the case's deadline as it is now."""

from __future__ import annotations

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.timeline import case_timeline, step_detail
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case, CaseAction
from tests.factories import TownWorld, at


def handling(world: TownWorld) -> Case:
    case = world.report(now=at(2026, 11, 23, 9, 0))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 9, 0))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=at(2026, 11, 23, 9)
    )
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=at(2026, 11, 23, 9, 30))
    return case


def details(case: Case) -> list[tuple[str, str]]:
    return [(step.action, step_detail(step)) for step in CaseAction.objects.filter(case=case).order_by("seq")]


def test_a_refused_extension_says_how_much_was_asked(world: TownWorld) -> None:
    case = handling(world)
    apply_action(
        case_id=case.pk,
        actor=world.handler_a,
        action=Action.REQUEST_EXTENSION,
        note="缺材料",
        extension=3,
        now=at(2026, 11, 23, 10, 0),
    )
    apply_action(
        case_id=case.pk,
        actor=world.operator,
        action=Action.DENY_EXTENSION,
        note="按期办结",
        now=at(2026, 11, 23, 10, 5),
    )
    assert details(case)[-2:] == [("request_extension", "延期3个工作小时"), ("deny_extension", "延期3个工作小时")]


def test_a_resume_says_the_deadline_it_set_and_a_later_one_does_not_change_it(world: TownWorld) -> None:
    case = handling(world)  # handling deadline Monday 14:30
    apply_action(case_id=case.pk, actor=world.leader, action=Action.SUSPEND, note="待鉴定", now=at(2026, 11, 23, 10, 0))
    apply_action(case_id=case.pk, actor=world.leader, action=Action.RESUME, now=at(2026, 11, 25, 10, 0))
    apply_action(case_id=case.pk, actor=world.leader, action=Action.SUSPEND, note="再待鉴定", now=at(2026, 11, 25, 11))
    apply_action(case_id=case.pk, actor=world.leader, action=Action.RESUME, now=at(2026, 11, 26, 11, 0))
    assert [detail for action, detail in details(case) if action == "resume"] == [
        "新期限 2026年11月25日 14:30",  # two working days suspended: the deadline moved by two working days
        "新期限 2026年11月26日 14:30",
    ]


def test_the_timeline_gives_each_step_its_actor_and_its_detail(world: TownWorld) -> None:
    case = handling(world)
    actions = CaseAction.objects.filter(case=case).order_by("seq")
    assert [(e.action.action, e.who, e.detail) for e in case_timeline(case, actions)] == [
        ("report", "孙网格", ""),
        ("register", "王芳", ""),
        ("dispatch", "王芳", "处置期限 2026年11月23日 14:30"),
        ("sign", "赵执法", ""),
    ]
