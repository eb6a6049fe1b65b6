"""The group-rental houses of ``people``'s year (整改群租房1278间): found with fire-safety problems, filed by
``check_rectification``, their cases replayed by the engine's rules (signed, resolved with an after photo, accepted
at 验收), planned into slices of ``RENTALS_PER_SLICE`` and written with the bulk path of cases; after 验收 the
houses are let as ordinary rentals."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import store_photo, write_cases
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.cases.models import Case
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import House
from gridgov.data.rentals.domain import RectificationInput, check_rectification, rectification_row
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.ops.demo.ledgers_2022.people_register import Register, Slice, moment
from gridgov.ops.demo.ledgers_2022.problemlists import jpeg, weekday

RECTIFIED_ROOMS = 1278  # 整改群租房1278间
RENTALS_PER_SLICE = 40  # cases of five steps each


def plan_rentals(register: Register) -> Iterator[Slice]:
    """Group-rental houses found with fire-safety problems in the year, rectified and accepted: 1278 rooms."""
    rng, org = register.rng, register.org
    calendar = WorkCalendar.load()
    department = org.departments.get("YJB")
    upload = Upload(name="after.jpg", data=jpeg((51, 153, 102)), kind=AttachmentKind.AFTER)
    after = (store_photo(town=register.town, upload=upload),)  # stored once, referred to by every case
    left, n = RECTIFIED_ROOMS, 0
    part = Slice()
    category = None
    while left > 0:
        rooms = left if left <= 12 else rng.randint(4, 12)
        left -= rooms
        house = register.house(register.grid(n * 5), HouseUse.GROUP_RENTAL, rooms=rooms + rng.randint(0, 3))
        problems = tuple(rng.sample(list(Problem)[:-1], rng.randint(1, 3)))
        found = weekday(register.day(date(register.year, 2, 7), date(register.year, 11, 30)))
        data = RectificationInput(
            house=house, rooms=rooms, problems=problems, found_on=found, department=department,
            measures=rng.choice(MEASURES),
        )  # fmt: skip
        at = moment(found, rng, start=9, end=11)
        filing = check_rectification(actor=org.operator, data=data, now=at, category=category)
        category = filing.category
        handler = org.handlers[filing.department.pk]
        replay = Replay(town=register.town, reporter=org.operator, now=at, calendar=calendar, **filing.fields)
        for action, extra in filing.steps():
            replay.act(actor=org.operator, action=action, note=filing.note, now=at, **extra)
        signed = at + timedelta(minutes=rng.randint(20, 120))
        replay.act(actor=handler, action=Action.SIGN, now=signed)
        done = calendar.add(signed, rng.randint(120, 1200), Clock.WORKING)
        replay.act(actor=handler, action=Action.RESOLVE, note=data.measures, photos=after, now=done)
        accepted = done + timedelta(hours=rng.randint(2, 48))
        replay.act(actor=org.operator, action=Action.VERIFY_PASS, note="群租房整改验收合格", now=accepted)
        row = rectification_row(
            case=Case(), data=data, filing=filing, import_key=house.import_key, rectified_on=done.date()
        )
        part.houses.append(house)
        part.rentals.append((replay.record(), row))
        part.close_unit()
        n += 1
        if len(part.rentals) >= RENTALS_PER_SLICE:
            yield part
            part = Slice()
    if part.houses:
        yield part


def write_rentals(part: Slice) -> float:
    """The slice's group-rental houses, their cases (hash-chained by the bulk path) and rectification rows, in one
    transaction; the cases are planned before it. Returns how long the transaction held the write lock."""
    details = [row for _record, row in part.rentals]
    began = 0.0

    def houses() -> None:
        nonlocal began
        began = time.monotonic()
        House.objects.bulk_create(part.houses)

    def rows_of(cases: list[Case]) -> None:
        for row, case in zip(details, cases, strict=True):
            row.case = case
        Rectification.objects.bulk_create(details)
        # After 验收 the houses were let as ordinary rentals (each room to at most two people).
        House.objects.filter(pk__in=[h.pk for h in part.houses]).update(
            use=HouseUse.RENTED, note="群租房整改验收合格后按规定改为普通出租"
        )

    town = part.houses[0].town
    write_cases(town=town, records=[record for record, _row in part.rentals], before=houses, then=rows_of)
    return time.monotonic() - began


MEASURES = (
    "清理消防通道，设置电动车集中充电点",
    "每间加装独立式烟感报警器，配置灭火器",
    "拆除易燃隔断，重新敷设电线",
    "打开防盗窗逃生口，张贴疏散指示",
)
