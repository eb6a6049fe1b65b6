"""Digests: 08:30 on working days per department and village, weekly for leaders; planned once."""

from __future__ import annotations

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.notify.domain.deliveries import send_due
from gridgov.data.notify.domain.digests import digests_due, plan_digests, queue_due_digests
from gridgov.data.notify.models import ChannelAccount, Delivery, DigestRun
from tests.data.notify.fakes import FakeProviders
from tests.factories import TownWorld, at

TUESDAY_0830 = at(2026, 11, 24, 8, 30)


@pytest.fixture
def emails(world: TownWorld, settings) -> TownWorld:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    for user in (world.handler_a, world.village_staff_a, world.leader):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def overdue_case(world: TownWorld):
    case = world.report(now=at(2026, 11, 23, 8, 50))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 8, 55))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=at(2026, 11, 23, 9)
    )
    return case  # 4 working hours: due Monday 14:30


def test_digests_are_due_from_0830_on_working_days_only(emails: TownWorld) -> None:
    assert plan_digests(now=at(2026, 11, 24, 8, 29)) == 0
    assert plan_digests(now=at(2026, 11, 28, 9, 0)) == 0  # Saturday
    assert digests_due(now=TUESDAY_0830) is True
    assert plan_digests(now=TUESDAY_0830) > 0
    assert digests_due(now=TUESDAY_0830) is False
    assert plan_digests(now=at(2026, 11, 24, 9)) == 0  # once a day
    assert list(DigestRun.objects.values_list("kind", "day")) == [("daily", TUESDAY_0830.date())]


def test_the_department_digest_counts_its_cases_and_names_the_overdue_ones(
    emails: TownWorld, providers: FakeProviders, settings
) -> None:
    world = emails
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "dingtalk_robot"]
    case = overdue_case(world)
    plan_digests(now=TUESDAY_0830)
    day = TUESDAY_0830.date().isoformat()
    dept = Delivery.objects.filter(event_key=f"digest:dept:{world.dept_a.pk}:{day}")
    assert sorted(dept.values_list("channel", "recipient_key")) == [
        ("dingtalk_robot", "robot:zfz"),
        ("email", f"user:{world.handler_a.pk}"),
    ]
    mail = dept.get(channel="email")
    assert mail.title == f"【每日汇总】{world.dept_a.name} 11月24日"
    assert mail.text == "\n".join(
        [
            "在办 1 件：待签收 1，处置中 0",
            "临期（黄灯）0 件，超期（红灯）1 件",
            f"超期：{case.number}（期限 11月23日 14:30）",
        ]
    )
    village = Delivery.objects.get(event_key=f"digest:village:{world.village_a.pk}:{day}")
    assert (village.recipient_key, village.text.splitlines()[0]) == (
        f"user:{world.village_staff_a.pk}",
        "在办 1 件：待签收 1，处置中 0",
    )
    assert not Delivery.objects.filter(event_key__startswith="digest:week:").exists()  # Tuesday
    # and the village committee's department digest to its staff member
    committee = Delivery.objects.get(event_key=f"digest:dept:{world.committee_a.pk}:{day}")
    assert (committee.recipient_key, committee.text.splitlines()[0]) == (
        f"user:{world.village_staff_a.pk}",
        "在办 0 件：待签收 0，处置中 0",
    )
    assert Delivery.objects.count() == 4
    assert send_due(now=TUESDAY_0830).sent == 4
    assert len(providers.provider.sent("dingtalk_robot")) == 1


def test_leaders_get_a_weekly_digest_on_the_first_working_day_of_the_week(emails: TownWorld) -> None:
    world = emails
    case = overdue_case(world)
    monday = at(2026, 11, 30, 8, 30)
    plan_digests(now=monday)
    weekly = Delivery.objects.get(event_key=f"digest:week:{world.town.pk}:2026-11-30")
    assert (weekly.recipient_key, weekly.title) == (
        f"user:{world.leader.pk}",
        f"【每周汇总】{world.town.name} 11月30日",
    )
    assert weekly.text.splitlines() == [
        "上周新上报 1 件，结案 0 件",
        "目前在办 1 件，其中超期 1 件",
        f"超期：{case.number}（期限 11月23日 14:30）",
    ]
    assert sorted(DigestRun.objects.values_list("kind", flat=True)) == ["daily", "weekly"]


def test_the_loop_queues_the_digest_task_for_the_worker(emails: TownWorld, clock) -> None:
    clock.move_to(TUESDAY_0830)
    assert queue_due_digests() is True  # the immediate backend of the tests runs it at once
    assert DigestRun.objects.filter(kind="daily").count() == 1
    assert queue_due_digests() is False


def test_a_villages_grid_workers_each_get_their_own_grids_digest(emails: TownWorld) -> None:
    world = emails
    for user in (world.grid_worker_a, world.grid_worker_b):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    case = overdue_case(world)  # in grid A
    plan_digests(now=TUESDAY_0830)
    day = TUESDAY_0830.date().isoformat()
    grid_a = Delivery.objects.get(event_key=f"digest:grid:{world.grid_a.pk}:{day}")
    grid_b = Delivery.objects.get(event_key=f"digest:grid:{world.grid_b.pk}:{day}")
    assert (grid_a.recipient_key, grid_a.title, grid_a.text.splitlines()) == (
        f"user:{world.grid_worker_a.pk}",
        f"【每日汇总】{world.village_a.name} · {world.grid_a.name} 11月24日",
        [
            "在办 1 件：待签收 1，处置中 0",
            "临期（黄灯）0 件，超期（红灯）1 件",
            f"超期：{case.number}（期限 11月23日 14:30）",
        ],
    )
    assert (grid_b.recipient_key, grid_b.text.splitlines()) == (
        f"user:{world.grid_worker_b.pk}",
        ["在办 0 件：待签收 0，处置中 0", "临期（黄灯）0 件，超期（红灯）0 件"],
    )
    assert Delivery.objects.filter(event_key__startswith="digest:grid:").count() == 2


def test_digests_are_written_in_each_readers_language_and_robots_in_the_towns(
    emails: TownWorld, providers: FakeProviders, settings
) -> None:
    world = emails
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "dingtalk_robot"]
    ChannelAccount.objects.create(user=world.village_staff_a, language="en")
    case = overdue_case(world)
    plan_digests(now=TUESDAY_0830)
    day = TUESDAY_0830.date().isoformat()
    village = Delivery.objects.get(event_key=f"digest:village:{world.village_a.pk}:{day}")
    assert (village.title, village.text.splitlines(), village.button) == (
        f"[Daily digest] {world.village_a.name} 11/24",
        [
            "1 open: 1 to sign for, 0 in hand",
            "0 due soon (yellow), 1 overdue (red)",
            f"Overdue: {case.number} (deadline 11/23 14:30)",
        ],
        "Open",
    )
    dept = Delivery.objects.filter(event_key=f"digest:dept:{world.dept_a.pk}:{day}")
    assert [(d.channel, d.title) for d in dept.order_by("channel")] == [
        ("dingtalk_robot", f"【每日汇总】{world.dept_a.name} 11月24日"),  # the town reads Chinese
        ("email", f"【每日汇总】{world.dept_a.name} 11月24日"),
    ]

    DigestRun.objects.all().delete()
    Delivery.objects.all().delete()
    settings.GRIDGOV_NOTIFY_TOWN_LANGUAGES = f"{world.town.code}:en"  # the town chose English for its groups
    world.dept_a.name_en = "Law Enforcement Squad"
    world.dept_a.save(update_fields=["name_en"])
    plan_digests(now=TUESDAY_0830)
    robot = Delivery.objects.get(event_key=f"digest:dept:{world.dept_a.pk}:{day}", channel="dingtalk_robot")
    mail = Delivery.objects.get(event_key=f"digest:dept:{world.dept_a.pk}:{day}", channel="email")
    assert (robot.title, robot.text.splitlines()[0], mail.title) == (
        "[Daily digest] Law Enforcement Squad 11/24",
        "1 open: 1 to sign for, 0 in hand",
        f"【每日汇总】{world.dept_a.name} 11月24日",  # the handler chose no language: Chinese
    )
