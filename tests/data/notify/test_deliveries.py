"""Deliveries: planned with the notifications, sent by the worker, retried, given up, rate-limited, once only."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.notify.domain import deliveries
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from gridgov.data.notify.domain.deliveries import send_due
from gridgov.data.notify.domain.planning import plan_for_action
from gridgov.data.notify.enums import DeliveryStatus
from gridgov.data.notify.models import Attempt, ChannelAccount, Delivery, Preference
from gridgov.data.org.models import Membership
from tests.data.notify.fakes import FakeProviders
from tests.factories import TownWorld, at

ALL = ["email", "dingtalk", "dingtalk_robot", "wecom", "wecom_robot", "sms"]
NINE = at(2026, 11, 23, 9)  # Monday, working time


@pytest.fixture
def linked(world: TownWorld, providers: FakeProviders, settings) -> TownWorld:
    settings.GRIDGOV_NOTIFY_CHANNELS = ALL
    world.handler_a.email = "handler_a@example.org"
    world.handler_a.save(update_fields=["email"])
    ChannelAccount.objects.create(
        user=world.handler_a, dingtalk_userid="ding_a", wecom_userid="wx_a", mobile="13800138000"
    )
    return world


def dispatched(world: TownWorld, *, now=NINE) -> tuple[Case, CaseAction]:
    case = world.report(now=now - timedelta(minutes=10))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=now - timedelta(minutes=5))
    row = apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=now)
    deliver_owed(now=now)
    return case, row


def deliver_owed(*, now) -> None:
    """The worker's outbox run at ``now`` (the actions were written at the frozen clock's moment)."""
    for action_id in notifications.pending().values_list("id", flat=True):
        notifications.deliver_action(action_id=action_id, now=now)


def table(**filters: object) -> list[tuple[str, str, str]]:
    return list(
        Delivery.objects.filter(**filters)
        .order_by("channel", "recipient_key")
        .values_list("channel", "recipient_key", "status")
    )


def test_a_dispatch_reaches_the_handler_on_every_linked_channel_and_the_department_group(
    linked: TownWorld, providers: FakeProviders, settings
) -> None:
    world = linked
    case, row = dispatched(world)
    uid = f"user:{world.handler_a.pk}"
    # SMS is on by default only for red lamps and 督办; the village staff of dept A have no ids: nothing planned
    assert table(event_key=f"action:{row.pk}") == [
        ("dingtalk", uid, "pending"),
        ("dingtalk_robot", "robot:zfz", "pending"),
        ("email", uid, "pending"),
        ("wecom", uid, "pending"),
    ]
    run = send_due(now=NINE)
    assert (run.sent, run.failed) == (4, 0)
    assert table(event_key=f"action:{row.pk}") == [
        ("dingtalk", uid, "sent"),
        ("dingtalk_robot", "robot:zfz", "sent"),
        ("email", uid, "sent"),
        ("wecom", uid, "sent"),
    ]
    [ding] = providers.provider.sent("dingtalk")
    assert ding["userid_list"] == "ding_a"
    card = ding["msg"]["action_card"]  # a work notification: an action card, one button to the case
    assert (ding["msg"]["msgtype"], card["title"], card["single_title"], card["single_url"]) == (
        "action_card",
        f"新派遣案卷：{case.number}",
        "查看案卷",
        f"{settings.GRIDGOV_PUBLIC_URL}/cases/{case.pk}/",
    )
    text = card["markdown"]
    assert f"案卷：{case.number}" in text
    assert "分类：暴露垃圾" in text
    assert "期限：11月23日 14:30" in text  # 4 working hours from 09:00 (lunch 12:00–13:30)
    assert "/cases/" not in text  # the button carries the link
    [wecom] = providers.provider.sent("wecom")
    assert (wecom["msgtype"], wecom["textcard"]["url"], wecom["textcard"]["btntxt"]) == (
        "textcard",
        f"{settings.GRIDGOV_PUBLIC_URL}/cases/{case.pk}/",
        "查看案卷",
    )
    assert wecom["textcard"]["description"].startswith(f'<div class="gray">案卷：{case.number}</div>')
    [robot] = providers.provider.sent("dingtalk_robot")  # robots keep markdown, the link written out
    assert robot["msgtype"] == "markdown"
    assert f"/cases/{case.pk}/)" in robot["markdown"]["text"]
    # sending again, planning again: nothing twice
    assert send_due(now=NINE + timedelta(minutes=5)).sent == 0
    assert plan_for_action(action_id=row.pk, now=NINE) == 0
    assert Delivery.objects.filter(event_key=f"action:{row.pk}").count() == 4
    assert list(Attempt.objects.values_list("outcome", flat=True)) == ["sent"] * 4


def test_the_unit_a_case_is_reassigned_away_from_hears_it_left_on_its_channels(linked: TownWorld) -> None:
    world = linked
    case, _ = dispatched(world)
    row = apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b, note="转村镇建设办"
    )
    deliver_owed(now=NINE)
    uid = f"user:{world.handler_a.pk}"
    # a step that took the case away, not a dispatch to them ("其他流转"), to dept A's people and group robot; dept
    # B's people have no ids, its group robot hears of the dispatch to it
    assert list(
        Delivery.objects.filter(event_key=f"action:{row.pk}")
        .order_by("channel")
        .values_list("channel", "recipient_key", "kind")
    ) == [
        ("dingtalk", uid, "other"),
        ("dingtalk_robot", "robot:zfz", "other"),
        ("email", uid, "other"),
        ("wecom", uid, "other"),
        ("wecom_robot", "robot:jsb", "dispatched"),
    ]
    mail = Delivery.objects.get(event_key=f"action:{row.pk}", channel="email")
    assert mail.title == f"案卷已改派其他单位：{case.number}"
    assert mail.text.splitlines() == [
        f"案卷：{case.number}",
        f"分类：{case.category.name}",
        f"村/社区：{world.village_a.name}",
        f"{case.number}：已改派其他单位",  # no deadline, no note: nothing of where it went
    ]
    # the reader's language, and their choice for 其他流转
    ChannelAccount.objects.filter(user=world.handler_a).update(language="en")
    Preference.objects.create(user=world.handler_a, kind="other", channel="dingtalk", enabled=False)
    row = apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_a)
    deliver_owed(now=NINE)
    row = apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b)
    deliver_owed(now=NINE)
    assert list(
        Delivery.objects.filter(event_key=f"action:{row.pk}", user=world.handler_a)
        .order_by("channel")
        .values_list("channel", "title")
    ) == [
        ("email", f"Case reassigned to another unit: {case.number}"),
        ("wecom", f"Case reassigned to another unit: {case.number}"),
    ]


def test_someone_of_the_unit_left_who_still_sees_the_case_hears_of_a_step_not_a_dispatch(
    linked: TownWorld, settings
) -> None:
    world = linked
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    world.village_staff_a.email = "vs_a@example.org"
    world.village_staff_a.save(update_fields=["email"])
    # with village A's committee; its village staff see the case by their village after it leaves too
    case = world.bring_to(Status.DISPATCHED, department=world.committee_a, now=NINE)
    deliver_owed(now=NINE)
    row = apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_a, note="转执法中队"
    )
    deliver_owed(now=NINE)
    assert list(
        Delivery.objects.filter(event_key=f"action:{row.pk}")
        .order_by("recipient_key")
        .values_list("recipient_key", "kind", "title", "link")
    ) == sorted(
        [
            (
                f"user:{world.handler_a.pk}",
                "dispatched",
                f"新派遣案卷：{case.number}",
                f"{settings.GRIDGOV_PUBLIC_URL}/cases/{case.pk}/",
            ),
            (
                f"user:{world.village_staff_a.pk}",
                "other",
                f"案卷动态：{case.number}",
                f"{settings.GRIDGOV_PUBLIC_URL}/cases/{case.pk}/",
            ),
        ]
    )
    mail = Delivery.objects.get(event_key=f"action:{row.pk}", user=world.village_staff_a)
    assert mail.text.splitlines()[-1] == f"{case.number}：改派 — 转执法中队"


def test_the_group_robot_of_the_unit_a_case_left_hears_it_left_with_nothing_to_open(
    linked: TownWorld, providers: FakeProviders
) -> None:
    world = linked
    case, _ = dispatched(world)
    send_due(now=NINE)
    Membership.objects.filter(department=world.dept_a).update(active=False)  # no one of dept A to tell but its group
    row = apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b, note="转村镇建设办"
    )
    deliver_owed(now=NINE)
    robot = Delivery.objects.get(event_key=f"action:{row.pk}", recipient_key="robot:zfz")
    assert (robot.channel, robot.kind, robot.title, robot.link, robot.button) == (
        "dingtalk_robot",
        "other",
        f"案卷已改派其他单位：{case.number}",
        "",
        "",
    )
    assert robot.text.splitlines() == [
        f"案卷：{case.number}",
        f"分类：{case.category.name}",
        f"村/社区：{world.village_a.name}",
        f"{case.number}：已改派其他单位",
    ]
    providers.provider.received.clear()
    assert send_due(now=NINE).sent == 2
    [sent] = providers.provider.sent("dingtalk_robot")
    assert sent["markdown"]["text"] == (
        f"#### 案卷已改派其他单位：{case.number}\n\n案卷：{case.number}\n\n分类：{case.category.name}\n\n"
        f"村/社区：{world.village_a.name}\n\n{case.number}：已改派其他单位"
    )
    # the group of the unit the case goes back to hears of the dispatch to it, not that it left
    row = apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_a)
    deliver_owed(now=NINE)
    assert list(
        Delivery.objects.filter(event_key=f"action:{row.pk}").order_by("channel").values_list("recipient_key", "kind")
    ) == [("robot:zfz", "dispatched"), ("robot:jsb", "other")]


def test_preferences_switch_channels_per_event_kind(linked: TownWorld) -> None:
    world = linked
    Preference.objects.create(user=world.handler_a, kind="dispatched", channel="email", enabled=False)
    Preference.objects.create(user=world.handler_a, kind="dispatched", channel="sms", enabled=True)
    _, row = dispatched(world)
    assert [c for c, _, _ in table(event_key=f"action:{row.pk}")] == ["dingtalk", "dingtalk_robot", "sms", "wecom"]


def test_the_admin_allows_only_the_listed_channels(linked: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["wecom"]
    _, row = dispatched(linked)
    assert [c for c, _, _ in table(event_key=f"action:{row.pk}")] == ["wecom"]


def test_a_chosen_channel_without_an_id_is_skipped_with_its_reason(linked: TownWorld) -> None:
    world = linked
    ChannelAccount.objects.filter(user=world.handler_a).update(dingtalk_userid="")
    Preference.objects.create(user=world.handler_a, kind="dispatched", channel="dingtalk", enabled=True)
    _, row = dispatched(world)
    skipped = Delivery.objects.get(event_key=f"action:{row.pk}", channel="dingtalk")
    assert (skipped.status, skipped.last_error) == ("skipped", "用户未绑定该渠道的账号或号码")


def test_quiet_hours_hold_ordinary_messages_until_the_next_working_period(linked: TownWorld) -> None:
    evening = at(2026, 11, 23, 20)
    _, row = dispatched(linked, now=evening)
    due = set(Delivery.objects.filter(event_key=f"action:{row.pk}").values_list("next_attempt_at", flat=True))
    assert due == {at(2026, 11, 24, 8, 30)}
    assert send_due(now=evening).sent == 0
    assert send_due(now=at(2026, 11, 24, 8, 30)).sent == 4


def test_red_lamps_and_supervision_go_through_in_quiet_hours(linked: TownWorld, providers: FakeProviders) -> None:
    world = linked
    case, _ = dispatched(world)
    send_due(now=NINE)
    night = at(2026, 11, 23, 22)
    assert raise_deadline_alerts(now=night) == 1  # overdue since 14:30: red
    red = Delivery.objects.filter(kind="overdue_red")
    assert sorted(red.values_list("channel", flat=True)) == ["dingtalk", "dingtalk_robot", "email", "sms", "wecom"]
    assert set(red.values_list("next_attempt_at", "urgent")) == {(night, True)}
    assert send_due(now=night).sent == 5
    [sms] = providers.provider.sent("sms")
    assert sms["PhoneNumbers"] == "13800138000"
    assert str(sms["TemplateParam"]).startswith('{"text":"【案卷超期（红灯）】' + case.number)

    apply_action(case_id=case.pk, actor=world.leader, action=Action.SUPERVISE, note="请今日办结", now=night)
    deliver_owed(now=night)
    supervised = Delivery.objects.filter(kind="supervised")
    assert set(supervised.values_list("next_attempt_at", flat=True)) == {night}


def test_a_failing_channel_is_retried_with_backoff_and_does_not_hold_the_others(
    linked: TownWorld, providers: FakeProviders
) -> None:
    world = linked
    _, row = dispatched(world)
    providers.provider.fail_next.append((503, {}))  # the first POST (DingTalk, oldest id first) fails
    run = send_due(now=NINE)
    assert (run.sent, run.failed) == (3, 1)
    failed = Delivery.objects.get(event_key=f"action:{row.pk}", channel="dingtalk")
    assert (failed.status, failed.attempts, failed.next_attempt_at, failed.last_error) == (
        "retry",
        1,
        NINE + timedelta(seconds=30),
        "HTTP 503",
    )
    assert send_due(now=NINE + timedelta(seconds=29)).sent == 0
    assert send_due(now=NINE + timedelta(seconds=30)).sent == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2)
    assert list(Attempt.objects.filter(delivery=failed).values_list("outcome", "error")) == [
        ("failed", "HTTP 503"),
        ("sent", ""),
    ]


def test_an_unreachable_provider_defers_its_own_other_messages_only(linked: TownWorld, settings) -> None:
    world = linked
    settings.GRIDGOV_DINGTALK_API = "http://127.0.0.1:9"  # nothing listens
    dispatched(world)
    dispatched(world)
    run = send_due(now=NINE)
    # the first DingTalk message fails to connect; the second is not even tried; robot, e-mail and WeCom go
    assert (run.sent, run.failed, run.deferred) == (6, 1, 1)
    ding = list(Delivery.objects.filter(channel="dingtalk").order_by("id").values_list("status", "attempts"))
    assert ding == [("retry", 1), ("retry", 0)]


def test_a_refused_message_is_given_up_at_once_and_a_failing_one_after_the_last_attempt(
    linked: TownWorld, providers: FakeProviders
) -> None:
    world = linked
    _, row = dispatched(world)
    provider = providers.provider
    provider.fail_next.append((200, {"errcode": 60011, "errmsg": "no privilege"}))  # DingTalk: permanent
    send_due(now=NINE)
    ding = Delivery.objects.get(event_key=f"action:{row.pk}", channel="dingtalk")
    assert (ding.status, ding.attempts, ding.last_error) == ("gave_up", 1, "钉钉工作通知失败：60011 no privilege")

    second = dispatched(world, now=NINE + timedelta(minutes=1))[1]
    now = NINE + timedelta(minutes=1)
    Delivery.objects.exclude(event_key=f"action:{second.pk}", channel="wecom").update(status=DeliveryStatus.SENT)
    for _attempt in range(deliveries.MAX_ATTEMPTS):
        provider.fail_next.append((502, {}))
        send_due(now=now)
        wecom = Delivery.objects.get(event_key=f"action:{second.pk}", channel="wecom")
        if wecom.next_attempt_at is not None:
            now = wecom.next_attempt_at
    assert (wecom.status, wecom.attempts, wecom.next_attempt_at) == ("gave_up", deliveries.MAX_ATTEMPTS, None)


def test_group_robots_keep_to_their_rate_limit(linked: TownWorld, settings) -> None:
    settings.GRIDGOV_ROBOT_PER_MINUTE = 2
    settings.GRIDGOV_NOTIFY_CHANNELS = ["dingtalk_robot"]
    world = linked
    rows = [dispatched(world, now=NINE + timedelta(seconds=i))[1] for i in range(3)]
    moment = NINE + timedelta(seconds=10)
    run = send_due(now=moment)
    assert (run.sent, run.deferred) == (2, 1)
    late = Delivery.objects.get(event_key=f"action:{rows[2].pk}")
    assert (late.status, late.next_attempt_at) == ("retry", moment + timedelta(minutes=1))
    assert send_due(now=moment + timedelta(seconds=59)).sent == 0
    assert send_due(now=moment + timedelta(minutes=1)).sent == 1


def test_sms_keeps_to_the_per_number_limit(linked: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["sms"]
    world = linked
    Preference.objects.create(user=world.handler_a, kind="dispatched", channel="sms", enabled=True)
    first = dispatched(world)[1]
    second = dispatched(world, now=NINE + timedelta(seconds=5))[1]
    assert send_due(now=NINE + timedelta(seconds=5)).sent == 1  # one a minute per number
    waiting = Delivery.objects.get(event_key=f"action:{second.pk}")
    assert (waiting.status, waiting.next_attempt_at) == ("retry", NINE + timedelta(seconds=5, minutes=1))
    assert Delivery.objects.get(event_key=f"action:{first.pk}").status == "sent"
    assert not Delivery.objects.exclude(rate_key__startswith="sms:").exists()  # the number itself is not kept
    assert "13800138000" not in "".join(Delivery.objects.values_list("rate_key", flat=True))


def test_after_a_crash_between_send_and_record_only_deduplicating_channels_send_again(linked: TownWorld) -> None:
    world = linked
    _, row = dispatched(world)
    # a worker claimed every row and died: rows stay "sending"
    Delivery.objects.update(status=DeliveryStatus.SENDING, claimed_at=NINE)
    assert send_due(now=NINE + timedelta(minutes=5)).sent == 0  # not stale yet: maybe still sending
    later = NINE + deliveries.STALE + timedelta(seconds=1)
    run = send_due(now=later)
    assert run.sent == 1  # WeCom drops a repeat (enable_duplicate_check): sent again
    assert table(event_key=f"action:{row.pk}") == [
        ("dingtalk", f"user:{world.handler_a.pk}", "gave_up"),
        ("dingtalk_robot", "robot:zfz", "gave_up"),
        ("email", f"user:{world.handler_a.pk}", "gave_up"),
        ("wecom", f"user:{world.handler_a.pk}", "sent"),
    ]
    assert set(Attempt.objects.filter(outcome="unknown").values_list("delivery__channel", flat=True)) == {
        "dingtalk",
        "dingtalk_robot",
        "email",
        "wecom",
    }


def test_two_workers_never_send_the_same_row(linked: TownWorld) -> None:
    _, row = dispatched(linked)
    delivery = Delivery.objects.get(event_key=f"action:{row.pk}", channel="email")
    assert deliveries.send_one(delivery_id=delivery.pk, now=NINE, unreachable=set()) == "sent"
    assert deliveries.send_one(delivery_id=delivery.pk, now=NINE, unreachable=set()) == "skipped"
    assert Attempt.objects.filter(delivery=delivery).count() == 1


def test_the_admin_page_lists_deliveries_and_their_failures(
    linked: TownWorld, client, providers: FakeProviders
) -> None:
    world = linked
    dispatched(world)
    providers.provider.fail_next.append((200, {"errcode": 60011, "errmsg": "no privilege"}))
    send_due(now=NINE)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get("/admin/notify/delivery/?status__exact=gave_up")
    assert page.status_code == 200
    html = page.content.decode()
    assert "钉钉工作通知失败：60011 no privilege" in html
    assert "已放弃" in html
    ding = Delivery.objects.get(channel="dingtalk")
    detail = client.get(f"/admin/notify/delivery/{ding.pk}/change/")
    assert "发送尝试" in detail.content.decode()


def test_the_worker_is_woken_after_the_commit_and_sends(
    linked: TownWorld, providers: FakeProviders, django_capture_on_commit_callbacks
) -> None:
    world = linked
    case = world.report()
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deliver_due()  # the outbox run; its commit queues the sending task (run at once here)
    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        ("dingtalk", "sent"),
        ("dingtalk_robot", "sent"),
        ("email", "sent"),
        ("wecom", "sent"),
    ]
    assert [b["userid_list"] for b in providers.provider.sent("dingtalk")] == ["ding_a"]


def test_a_resident_hears_of_public_steps_by_sms_with_the_follow_link(
    linked: TownWorld, providers: FakeProviders, settings, client
) -> None:
    from gridgov.data.cases.domain.engine import report_case
    from gridgov.data.cases.enums import Channel

    settings.GRIDGOV_NOTIFY_CHANNELS = ["sms"]
    world = linked
    case = report_case(
        town=world.town,
        reporter=None,
        channel=Channel.RESIDENT,
        category=world.category,
        description="路灯不亮",
        area=world.grid_a,
        reporter_phone="13900139000",
        now=NINE,
    )
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=NINE)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.COMMENT, note="内部备注", now=NINE)
    deliver_owed(now=NINE)
    [row] = Delivery.objects.filter(recipient_key=f"reporter:{case.pk}")  # the register; not the comment
    assert (row.channel, row.kind, row.user_id) == ("sms", "reporter_status", None)
    assert send_due(now=NINE).sent == 1
    [sms] = providers.provider.sent("sms")
    assert sms["PhoneNumbers"] == "13900139000"
    text = str(sms["TemplateParam"])
    assert text.startswith('{"text":"您反映的问题（' + case.number + "）已立案。查看进展：http")
    link = row.link.removeprefix(settings.GRIDGOV_PUBLIC_URL)
    assert client.get(link).status_code == 200  # the phone app's public page accepts the signed link


def test_a_user_who_chose_english_gets_the_message_in_english(linked: TownWorld) -> None:
    world = linked
    ChannelAccount.objects.filter(user=world.handler_a).update(language="en")
    case, row = dispatched(world)
    mail = Delivery.objects.get(event_key=f"action:{row.pk}", channel="email")
    assert mail.title == f"Case dispatched to you: {case.number}"
    assert mail.text.splitlines() == [
        f"Case: {case.number}",
        f"Category: {case.category.name}",
        f"Village/community: {world.village_a.name}",
        "Deadline: 11/23 14:30",
        f"{case.number}: Dispatch",  # the 消息 page's line too
    ]
    robot = Delivery.objects.get(event_key=f"action:{row.pk}", channel="dingtalk_robot")
    assert robot.title == f"新派遣案卷：{case.number}"  # the group reads Chinese
    assert robot.text.splitlines()[-1] == f"{case.number}：派遣"
    assert mail.button == "Open case"


def test_group_robots_read_the_language_their_town_chose(linked: TownWorld, settings) -> None:
    world = linked
    settings.GRIDGOV_NOTIFY_TOWN_LANGUAGES = f"330921:zh-hans;{world.town.code}:en"  # the town's choice wins
    case, row = dispatched(world)
    robot = Delivery.objects.get(event_key=f"action:{row.pk}", channel="dingtalk_robot")
    assert (robot.title, robot.text.splitlines()[0], robot.button) == (
        f"Case dispatched to you: {case.number}",
        f"Case: {case.number}",
        "Open case",
    )
    handler = Delivery.objects.get(event_key=f"action:{row.pk}", channel="email")
    assert handler.title == f"新派遣案卷：{case.number}"  # the handler chose no language


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_keep_to_a_robots_limit_together(clock, providers: FakeProviders, settings) -> None:
    """Two db_worker processes (here: two threads, two connections) send one robot's backlog at the same moment:
    each send is counted in the database before it goes, so together they send 20 in the minute, not more."""
    settings.GRIDGOV_NOTIFY_CHANNELS = ["dingtalk_robot"]
    clock.move_to(NINE)
    robot = {"channel": "dingtalk_robot", "recipient_key": "robot:zfz", "rate_key": "robot:zfz"}
    Delivery.objects.bulk_create(
        Delivery(
            kind="dispatched",
            event_key=f"action:{i}",
            title=f"第 {i} 条",
            text="x",
            **robot,
            next_attempt_at=NINE,
            created_at=NINE,
        )
        for i in range(30)
    )
    start = threading.Barrier(2)
    runs: list[deliveries.SendRun] = []

    def worker() -> None:
        try:
            start.wait(10)
            runs.append(send_due(now=NINE, limit=30))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(run.sent for run in runs) == settings.GRIDGOV_ROBOT_PER_MINUTE == 20
    assert len(providers.provider.sent("dingtalk_robot")) == 20
    waiting = Delivery.objects.exclude(status="sent")
    assert sorted(set(waiting.values_list("status", "next_attempt_at"))) == [("retry", NINE + timedelta(minutes=1))]
    assert waiting.count() == 10


def test_a_message_is_kept_cut_to_the_delivery_row_columns() -> None:
    from gridgov.data.notify.channels.base import Message
    from gridgov.data.notify.domain.messages import delivery_content

    long = Message(
        title="标" * 130, text="正文" * 200, link="https://x.cn/" + "a" * 300, short="短" * 150, button="按" * 20
    )
    kept = delivery_content(long)
    assert {name: len(value) for name, value in kept.items()} == {
        "title": 120,
        "text": 400,
        "short": 140,
        "link": 255,
        "button": 16,
    }
    for name, value in kept.items():
        assert len(value) <= (Delivery._meta.get_field(name).max_length or len(value))
