"""Digests: every working day at 08:30 one per department and one per village; every week one for leaders.

Planned once per day (``DigestRun``, unique per kind and day) as ordinary deliveries (kind ``digest``): each
member's channels (preferences; SMS off by default) and the group robots of the department or village. A
village's digest also reaches its grid workers, one per grid, each counting their own grid's cases. Each
member reads it in the language of their channel account; a group robot in its town's language.
Recipients are found with the cases outbox's own rules (``department_people``, ``area_people``). The weekly
digest goes out on the first working day of the ISO week. Safe to run any number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.notifications import area_people, department_people
from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES, OPEN_STATUSES, Status
from gridgov.data.cases.models import Case
from gridgov.data.notify.channels.base import Message
from gridgov.data.notify.channels.registry import allowed_channels
from gridgov.data.notify.channels.robots import robots
from gridgov.data.notify.domain.messages import delivery_content, town_language, when
from gridgov.data.notify.domain.planning import address_of, rate_key, wake_sender, wanted_channels
from gridgov.data.notify.enums import DeliveryStatus, EventKind
from gridgov.data.notify.models import ChannelAccount, Delivery, DigestRun
from gridgov.data.org.english import local_name
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.worktime.calendar import WorkCalendar

DIGEST_AT = time(8, 30)
LIST_AT_MOST = 5


@dataclass(frozen=True, slots=True)
class Counts:
    open: int
    to_sign: int
    handling: int
    yellow: int
    red: int
    overdue: list[tuple[str, datetime | None]]  # (number, deadline) of the red ones, at most LIST_AT_MOST


def _counts(cases: Q, now: datetime) -> Counts:
    qs = Case.objects.filter(cases, status__in=OPEN_STATUSES)
    handle = Q(status__in=HANDLE_PHASE_STATUSES)
    dispatch = Q(status__in=DISPATCH_PHASE_STATUSES)
    red = (handle & Q(handle_deadline__lt=now)) | (dispatch & Q(dispatch_deadline__lt=now))
    yellow = (handle & Q(handle_warn_at__lte=now, handle_deadline__gte=now)) | (
        dispatch & Q(dispatch_warn_at__lte=now, dispatch_deadline__gte=now)
    )
    totals = qs.aggregate(
        open=Count("id"),
        to_sign=Count("id", filter=Q(status=Status.DISPATCHED)),
        handling=Count("id", filter=Q(status=Status.HANDLING)),
        yellow=Count("id", filter=yellow),
        red=Count("id", filter=red),
    )
    overdue = [
        (number, handle_deadline or dispatch_deadline)
        for number, handle_deadline, dispatch_deadline in qs.filter(red)
        .order_by("handle_deadline", "dispatch_deadline", "id")
        .values_list("number", "handle_deadline", "dispatch_deadline")[:LIST_AT_MOST]
    ]
    return Counts(overdue=overdue, **totals)


def _text(title: str, counts: Counts, link: str) -> Message:  # in the active language
    lines = [
        _("在办 %(open)s 件：待签收 %(to_sign)s，处置中 %(handling)s") % {
            "open": counts.open, "to_sign": counts.to_sign, "handling": counts.handling,
        },
        _("临期（黄灯）%(yellow)s 件，超期（红灯）%(red)s 件") % {"yellow": counts.yellow, "red": counts.red},
    ]  # fmt: skip
    for number, deadline in counts.overdue:
        lines.append(_("超期：%(number)s（期限 %(deadline)s）") % {"number": number, "deadline": when(deadline)})
    return Message(title=title[:120], text="\n".join(lines), link=link, button=_("打开查看"))


def _weekly_text(title: str, town: Area, start: datetime, now: datetime, link: str) -> Message:
    in_town = Q(town=town)
    reported = Case.objects.filter(in_town, reported_at__gte=start, reported_at__lt=now).count()
    closed = Case.objects.filter(in_town, status=Status.CLOSED, closed_at__gte=start, closed_at__lt=now).count()
    counts = _counts(in_town, now)
    lines = [
        _("上周新上报 %(reported)s 件，结案 %(closed)s 件") % {"reported": reported, "closed": closed},
        _("目前在办 %(open)s 件，其中超期 %(red)s 件") % {"open": counts.open, "red": counts.red},
    ]
    for number, deadline in counts.overdue:
        lines.append(_("超期：%(number)s（期限 %(deadline)s）") % {"number": number, "deadline": when(deadline)})
    return Message(title=title[:120], text="\n".join(lines), link=link)


#: Builds a digest's message in the active language (called once per language its readers chose).
Build = Callable[[], Message]


def _day(day: date) -> str:
    return _("%(month)s月%(day)s日") % {"month": day.month, "day": day.day}


def _deliveries(
    *,
    event_key: str,
    build: Build,
    user_ids: list[int],
    robot_scope: tuple[str, str] | None,
    robot_language: str,
    now: datetime,
) -> list[Delivery]:
    """One delivery per member and channel (in the member's language) and per group robot of ``robot_scope``
    (in ``robot_language``, the town's)."""
    rows: list[Delivery] = []
    messages: dict[str, Message] = {}

    def message_in(language: str) -> Message:
        language = language or settings.LANGUAGE_CODE
        if language not in messages:
            with translation.override(language):
                messages[language] = build()
        return messages[language]

    wanted = wanted_channels(user_ids=user_ids, kind=EventKind.DIGEST)
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    accounts = {a.user_id: a for a in ChannelAccount.objects.filter(user_id__in=user_ids)}
    for uid in user_ids:
        user = users[uid]
        account = accounts.get(uid)
        for channel in wanted.get(uid, []):
            address = address_of(channel=channel, user_email=user.email, user_phone=user.phone, account=account)
            if address:
                message = message_in(account.language if account else "")
                rows.append(_row(event_key, message, channel, f"user:{uid}", rate_key(channel, address), now, uid))
    if robot_scope is not None:
        allowed = set(allowed_channels())
        for robot in robots():
            if (robot.scope_kind, robot.scope_code) == robot_scope and robot.channel in allowed:
                key = f"robot:{robot.name}"[:64]
                rows.append(_row(event_key, message_in(robot_language), robot.channel, key, key, now, None))
    return rows


def _row(
    event_key: str, message: Message, channel: str, recipient: str, rate: str, now: datetime, user_id: int | None
) -> Delivery:
    return Delivery(
        user_id=user_id,
        channel=channel,
        kind=EventKind.DIGEST,
        event_key=event_key[:64],
        recipient_key=recipient,
        rate_key=rate,
        **delivery_content(message),
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
    )


def _members(who: Q | None) -> list[int]:
    if who is None:
        return []
    return sorted(set(Membership.objects.filter(who, active=True).values_list("user_id", flat=True)))


def _daily(name: Callable[[], str], day: date, counts: Counts, link: str) -> Build:
    def build() -> Message:
        title = _("【每日汇总】%(name)s %(day)s") % {"name": name(), "day": _day(day)}
        return _text(title, counts, link)

    return build


def daily_deliveries(*, now: datetime, day: date) -> list[Delivery]:
    """Per department (its people and robots), per village (its staff and robots) and per grid (its grid
    workers, each hearing of their own grid's cases)."""
    rows: list[Delivery] = []
    base = settings.GRIDGOV_PUBLIC_URL
    for dept in Department.objects.select_related("town").order_by("id"):
        rows += _deliveries(
            event_key=f"digest:dept:{dept.pk}:{day.isoformat()}",
            build=_daily(
                partial(local_name, dept.name, dept.name_en), day, _counts(Q(department=dept), now), f"{base}/inbox/"
            ),
            user_ids=_members(department_people(dept.pk)),
            robot_scope=("dept", dept.code),
            robot_language=town_language(dept.town.path),
            now=now,
        )
    villages = list(Area.objects.filter(level=AreaLevel.VILLAGE).order_by("id"))
    for village in villages:
        rows += _deliveries(
            event_key=f"digest:village:{village.pk}:{day.isoformat()}",
            build=_daily(partial(str, village.name), day, _counts(Q(village=village), now), f"{base}/cases/"),
            user_ids=_members(Q(area=village, role=Role.VILLAGE_STAFF)),
            robot_scope=("area", village.code),
            robot_language=town_language(village.path),
            now=now,
        )
    for grid in Area.objects.filter(level=AreaLevel.GRID).select_related("parent").order_by("path"):
        workers = _members(Q(area__path__startswith=grid.path, role=Role.GRID_WORKER))
        if not workers:
            continue
        name = f"{grid.parent.name} · {grid.name}" if grid.parent is not None else grid.name
        rows += _deliveries(
            event_key=f"digest:grid:{grid.pk}:{day.isoformat()}",
            build=_daily(partial(str, name), day, _counts(Q(grid=grid), now), f"{base}/m/"),
            user_ids=workers,
            robot_scope=None,
            robot_language="",
            now=now,
        )
    return rows


def weekly_deliveries(*, now: datetime, day: date) -> list[Delivery]:
    rows: list[Delivery] = []
    for town in Area.objects.filter(level=AreaLevel.TOWN).order_by("id"):

        def build(town: Area = town) -> Message:
            title = _("【每周汇总】%(name)s %(day)s") % {"name": town.name, "day": _day(day)}
            return _weekly_text(title, town, now - timedelta(days=7), now, f"{settings.GRIDGOV_PUBLIC_URL}/")

        rows += _deliveries(
            event_key=f"digest:week:{town.pk}:{day.isoformat()}",
            build=build,
            user_ids=_members(area_people(town.path, [Role.LEADER])),
            robot_scope=None,
            robot_language="",
            now=now,
        )
    return rows


def first_workday_of_week(day: date, calendar: WorkCalendar) -> bool:
    monday = day - timedelta(days=day.weekday())
    return next((d for d in (monday + timedelta(days=i) for i in range(7)) if calendar.is_workday(d)), None) == day


def plan_digests(*, now: datetime | None = None) -> int:
    """Plan today's digests if they are due (a working day, from 08:30) and not planned yet; returns how many."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    local = timezone.localtime(now, calendar.tz)
    day = local.date()
    if local.time() < DIGEST_AT or not calendar.is_workday(day):
        return 0
    planned = _plan_once("daily", day, now, lambda: daily_deliveries(now=now, day=day))
    if first_workday_of_week(day, calendar):
        planned += _plan_once("weekly", day, now, lambda: weekly_deliveries(now=now, day=day))
    return planned


def _plan_once(kind: str, day: date, now: datetime, build: Callable[[], list[Delivery]]) -> int:
    if DigestRun.objects.filter(kind=kind, day=day).exists():
        return 0
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(kind=kind, day=day, created_at=now)
            rows = build()
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            run.deliveries = len(rows)
            run.save(update_fields=["deliveries"])
            if rows:
                transaction.on_commit(wake_sender)
    except IntegrityError:  # another process planned them first
        return 0
    return len(rows)


def digests_due(*, now: datetime) -> bool:
    """Whether today's digests are due and not planned yet."""
    calendar = WorkCalendar.load()
    local = timezone.localtime(now, calendar.tz)
    day = local.date()
    if local.time() < DIGEST_AT or not calendar.is_workday(day):
        return False
    kinds = {"daily", "weekly"} if first_workday_of_week(day, calendar) else {"daily"}
    return set(DigestRun.objects.filter(day=day).values_list("kind", flat=True)) != kinds


def queue_due_digests(*, now: datetime | None = None) -> bool:
    """From the periodic loop: queue the digest task for the worker when today's digests are due."""
    from gridgov.data.notify.tasks import send_digests

    if not digests_due(now=now or timezone.now()):
        return False
    send_digests.enqueue()
    return True
