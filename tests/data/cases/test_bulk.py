"""The bulk path: cases written with bulk inserts count, roll up and verify exactly like the engine's."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.bulk import (
    ActionRecord,
    CaseRecord,
    Pacer,
    StoredFile,
    paced,
    write_cases,
    write_cases_in_slices,
)
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.history import HistoricalCase, import_historical_cases
from gridgov.data.cases.domain.rollups import count_pending_reports
from gridgov.data.cases.enums import Action, Channel, Satisfaction, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.errors import Conflict
from gridgov.data.metrics import rollups
from gridgov.data.metrics.indicators import Period, Scope, compute, count_by
from gridgov.data.org.models import Counter
from tests.factories import at, photo

pytestmark = pytest.mark.django_db

_COPIED = [
    f.attname
    for f in Case._meta.concrete_fields
    if f.attname not in ("id", "number", "seq", "action_count", "audit_head", "created_at", "updated_at")
]


def drive(world, start: datetime) -> None:
    """A small, varied set of cases through the engine (no photos: the bulk path writes no attachments)."""
    op, handler = world.operator, world.handler_a

    def report(minutes: int, **kwargs: object) -> Case:
        return report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="路边垃圾桶满溢",
            area=world.grid_a,
            now=start + timedelta(minutes=minutes),
            **kwargs,
        )

    def act(case: Case, minutes: int, actor, action: Action, **kwargs: object) -> None:
        apply_action(case_id=case.pk, actor=actor, action=action, now=start + timedelta(minutes=minutes), **kwargs)

    closed = report(0)
    for minutes, (actor, action, kwargs) in enumerate(
        [
            (op, Action.REGISTER, {}),
            (op, Action.DISPATCH, {"department": world.dept_a}),
            (handler, Action.SIGN, {}),
            (handler, Action.RESOLVE, {"note": "已清运", "photos": photo()}),
            (world.grid_worker_a, Action.VERIFY_FAIL, {"note": "仍有遗留"}),
            (handler, Action.RESOLVE, {"note": "已返工", "photos": photo()}),
            (world.grid_worker_a, Action.VERIFY_PASS, {}),
            (op, Action.RATE, {"rating": Satisfaction.SATISFIED}),
        ],
        start=1,
    ):
        act(closed, minutes, actor, action, **kwargs)
    late = report(20)
    act(late, 21, op, Action.REGISTER)
    act(late, 22, op, Action.DISPATCH, department=world.dept_a)
    act(late, 23, handler, Action.SIGN)
    act(late, 60 * 24 * 3, handler, Action.RESOLVE, note="迟办", photos=photo())
    rejected = report(30)
    act(rejected, 31, op, Action.REJECT, note="不属于受理范围")
    report(40, resolve_on_spot=True, resolution_note="已现场处置", resolution_photos=photo())
    dispatched = report(50)
    act(dispatched, 51, op, Action.REGISTER)
    act(dispatched, 52, op, Action.DISPATCH, department=world.dept_b)


def records_of(world) -> list[CaseRecord]:
    """The town's cases described in full, as a batch job would describe them."""
    records = []
    for case in Case.objects.filter(town=world.town).order_by("reported_at", "id"):
        copy = Case(**{name: getattr(case, name) for name in _COPIED}, number="")
        actions = [
            ActionRecord(
                action=row.action,
                from_status=row.from_status,
                to_status=row.to_status,
                created_at=row.created_at,
                actor_id=row.actor_id,
                actor_name=row.actor_name,
                actor_role=row.actor_role,
                note=row.note,
                data=row.data,
                files=tuple(StoredFile.of(a) for a in row.attachments.order_by("id")),
            )
            for row in CaseAction.objects.filter(case=case).order_by("seq")
        ]
        records.append(CaseRecord(case=copy, actions=actions))
    return records


def figures(world, as_of: datetime) -> tuple[object, ...]:
    period = Period.custom(date(2026, 11, 1), date(2026, 12, 31))
    town = compute(scope=Scope(town=world.town), period=period, as_of=as_of)
    village = compute(scope=Scope(town=world.town, area=world.village_a), period=period, as_of=as_of)
    by_department = count_by(town=world.town, period=period, group="department", as_of=as_of)
    cases = Case.objects.filter(town=world.town).order_by("seq")
    chains = [(c.number, broken) for c, broken in verify_chains(cases)]
    numbers = list(cases.values_list("number", "seq", "status", "closed_at", "handle_deadline"))
    files = list(Attachment.objects.filter(town=world.town).order_by("id").values_list("action__seq", "sha256", "file"))
    return town, village, by_department, rollups.stored(town=world.town), chains, numbers, files


def test_bulk_written_cases_give_the_engines_indicators_rollups_and_chains(world) -> None:
    start = at(2026, 11, 2, 9, 0)
    as_of = at(2026, 11, 23, 9, 0)
    with transaction.atomic():
        drive(world, start)
        through_engine = figures(world, as_of)
        records = records_of(world)
        transaction.set_rollback(True)
    assert not Case.objects.filter(town=world.town).exists()

    written = write_cases(town=world.town, records=records)

    assert len(written) == 5
    assert figures(world, as_of) == through_engine
    assert rollups.check(town=world.town) == []
    assert all(broken is None for _number, broken in through_engine[4])


def history(world, n: int, **changes: object) -> list[HistoricalCase]:
    base = HistoricalCase(
        number="",
        category=world.category_days,
        area=world.grid_a,
        channel=Channel.GRID_WORKER,
        description="村道路灯不亮",
        status=Status.CLOSED,
        reported_at=at(2022, 3, 7, 9, 0),
        registered_at=at(2022, 3, 7, 9, 30),
        dispatched_at=at(2022, 3, 7, 10, 0),
        resolved_at=at(2022, 3, 9, 15, 0),
        closed_at=at(2022, 3, 10, 10, 0),
    )
    return [
        dataclasses.replace(base, number=f"OLD-{i:04d}", reported_at=base.reported_at + timedelta(minutes=i), **changes)
        for i in range(1, n + 1)
    ]


def test_an_all_or_nothing_import_with_one_bad_row_writes_nothing(world) -> None:
    taken = world.report()  # a native case: its number cannot be imported
    records = history(world, 30)
    records[17] = dataclasses.replace(records[17], number=taken.number)
    before = list(Counter.objects.filter(series="case").values_list("year", "last_value"))

    with pytest.raises(Conflict):
        import_historical_cases(town=world.town, records=records, imported_by=world.admin, now=at(2026, 11, 23))

    assert list(Case.objects.filter(imported=True)) == []
    assert list(CaseAction.objects.filter(action=Action.IMPORT)) == []
    assert list(Counter.objects.filter(series="case").values_list("year", "last_value")) == before
    assert rollups.check(town=world.town) == []


def test_a_rerun_after_an_interrupted_import_finishes_without_duplicates_or_gaps(world) -> None:
    from gridgov.data.cases.domain.history import Limits, historical_case_record
    from gridgov.data.worktime.calendar import WorkCalendar

    calendar, limits, now = WorkCalendar.load(), Limits(), at(2026, 11, 23)
    records = [
        historical_case_record(town=world.town, record=r, imported_by=None, now=now, calendar=calendar, limits=limits)
        for r in history(world, 25)
    ]

    def interrupted() -> Iterator[CaseRecord]:
        for i, record in enumerate(records):
            if i == 17:  # killed while describing the third slice: the slice being written is lost
                raise KeyboardInterrupt
            yield record

    with pytest.raises(KeyboardInterrupt):
        write_cases_in_slices(town=world.town, records=interrupted(), slice_size=8)
    assert Case.objects.filter(town=world.town).count() == 16

    again = [
        historical_case_record(town=world.town, record=r, imported_by=None, now=now, calendar=calendar, limits=limits)
        for r in history(world, 25)
    ]
    written = write_cases_in_slices(town=world.town, records=again, slice_size=8)

    assert len(written) == 9
    cases = Case.objects.filter(town=world.town, year=2022).order_by("seq")
    assert list(cases.values_list("number", "seq")) == [(f"OLD-{i:04d}", i) for i in range(1, 26)]
    assert Counter.objects.get(series="case", town=world.town, year=2022).last_value == 25
    assert all(broken is None for _case, broken in verify_chains(cases))
    assert rollups.check(town=world.town) == []


def test_cases_without_a_number_get_the_towns_own_numbers_gap_free(world) -> None:
    records = records_for_own_numbers(world)
    first = write_cases(town=world.town, records=records[:3])
    second = write_cases_in_slices(town=world.town, records=records[3:], slice_size=2)
    prefix = world.town.case_prefix or world.town.code
    assert [c.number for c in first + second] == [f"{prefix}2022-{i:06d}" for i in range(1, 6)]
    assert Counter.objects.get(series="case", town=world.town, year=2022).last_value == 5


def records_for_own_numbers(world) -> list[CaseRecord]:
    from gridgov.data.cases.domain.history import Limits, historical_case_record
    from gridgov.data.worktime.calendar import WorkCalendar

    calendar, limits, now = WorkCalendar.load(), Limits(), at(2026, 11, 23)
    described = []
    for r in history(world, 5):
        record = historical_case_record(
            town=world.town, record=r, imported_by=None, now=now, calendar=calendar, limits=limits
        )
        record.case.number = ""
        described.append(record)
    return described


def test_a_write_failing_inside_the_transaction_leaves_no_case_action_or_counter_bump(world) -> None:
    from django.db import IntegrityError

    records = records_for_own_numbers(world)
    records[3].case.status = "bogus"  # refused by the database after the counter bump and the first inserts
    with pytest.raises(IntegrityError):
        write_cases(town=world.town, records=records)
    assert list(Case.objects.filter(town=world.town)) == []
    assert list(Counter.objects.filter(series="case", town=world.town, year=2022)) == []
    assert rollups.stored(town=world.town) == {}

    written = write_cases(town=world.town, records=records_for_own_numbers(world))
    assert [c.seq for c in written] == [1, 2, 3, 4, 5]
    assert all(broken is None for _case, broken in verify_chains(Case.objects.filter(town=world.town)))


@pytest.mark.django_db(transaction=True)
def test_a_writer_coming_between_the_plan_and_the_lock_is_noticed_and_the_plan_made_again(world) -> None:
    """Outside any transaction the slice is planned before the lock; a case written meanwhile moves the ids."""
    from gridgov.data.cases.domain import bulk_statements as statements

    records = records_for_own_numbers(world)
    prepared = statements.Prepared.of(world.town, records)
    plan = statements.plan_slice(world.town, prepared, statements.existing_numbers(world.town, prepared))
    native = world.report(now=at(2022, 3, 7, 8, 0))  # takes the next id and the first number of 2022

    with transaction.atomic():
        written = statements.write_slice(world.town, prepared, plan)

    assert native.seq == 1
    assert [c.seq for c in written] == [2, 3, 4, 5, 6]
    cases = Case.objects.filter(town=world.town, year=2022).order_by("seq")
    assert len({c.pk for c in cases}) == 6
    assert all(broken is None for _case, broken in verify_chains(cases))
    assert rollups.check(town=world.town) == []


@pytest.mark.django_db(transaction=True)
def test_rows_the_cases_point_at_are_written_first_in_their_transaction_and_fall_with_it(world) -> None:
    """``before`` runs inside the cases' transaction, before them (the cases themselves are planned outside it)."""
    seen: list[tuple[bool, int]] = []

    def before() -> None:
        seen.append((transaction.get_connection().in_atomic_block, Case.objects.filter(town=world.town).count()))

    written = write_cases(town=world.town, records=records_for_own_numbers(world)[:2], before=before)
    assert (seen, len(written)) == ([(True, 0)], 2)

    def failing() -> None:
        raise Conflict("停")

    with pytest.raises(Conflict):
        write_cases(town=world.town, records=records_for_own_numbers(world)[2:], before=failing)
    assert Case.objects.filter(town=world.town).count() == 2
    assert Counter.objects.get(series="case", town=world.town, year=2022).last_value == 2


def test_a_long_build_is_cut_into_whole_units_within_the_rows_the_last_writes_pace_allows() -> None:
    """No transaction takes more than ``most`` rows; one slower than the target makes the next ones smaller, one
    faster lets them grow again; a unit is never split, and every unit is written once, in order."""
    pacer = Pacer(most=400, target=0.08)
    units = [100] * 10 + [500] + [30] * 4
    groups = paced(units, pacer=pacer, rows=lambda rows: rows)
    assert next(groups) == [100] * 4
    pacer.took(0.32, rows=400)  # a busy machine: four times the target
    assert pacer.rows == 100
    assert next(groups) == [100]
    pacer.took(0.04, rows=100)
    assert next(groups) == [100, 100]
    pacer.took(0.01, rows=200)  # quiet again: back to the cap, never beyond
    assert pacer.rows == 400
    rest = list(groups)
    assert rest == [[100] * 3, [500], [30] * 4]  # a unit over the budget goes alone
    assert [n for group in [[100] * 4, [100], [100, 100], *rest] for n in group] == units


def script(world) -> list[tuple[int, object, Action, dict[str, object]]]:
    """(minutes after the report, actor, action, arguments): a long life with every kind of clock change."""
    op, handler, leader = world.operator, world.handler_a, world.leader
    return [
        (10, op, Action.REGISTER, {}),
        (20, op, Action.DISPATCH, {"department": world.dept_b}),
        (60, world.handler_b, Action.RETURN, {"note": "不属于本部门"}),
        (70, op, Action.DISPATCH, {"department": world.dept_a}),
        (80, handler, Action.SIGN, {}),
        (90, handler, Action.REQUEST_EXTENSION, {"note": "需协调", "extension": 2}),
        (100, leader, Action.APPROVE_EXTENSION, {"note": "同意"}),
        (110, op, Action.SUSPEND, {"note": "等待司法结论"}),
        (60 * 24 * 5, op, Action.RESUME, {}),
        (60 * 24 * 6, leader, Action.SUPERVISE, {"note": "请加快"}),
        (60 * 24 * 9, handler, Action.RESOLVE, {"note": "已处置"}),
        (60 * 24 * 9 + 30, world.grid_worker_a, Action.VERIFY_PASS, {}),
        (60 * 24 * 10, op, Action.RATE, {"rating": Satisfaction.BASICALLY}),
    ]


def test_a_replayed_case_is_the_case_the_engine_makes(world) -> None:
    """``Replay`` applies the engine's own rules: same actions (data, roles, times), deadlines and state."""
    from gridgov.data.cases.domain.replay import Replay
    from gridgov.data.worktime.calendar import WorkCalendar

    start = at(2026, 11, 2, 9, 0)
    stored = bulk_photo(world)
    steps = script(world)

    def rows(case: Case) -> list[tuple[object, ...]]:
        return list(
            CaseAction.objects.filter(case=case)
            .order_by("seq")
            .values_list(
                "action",
                "from_status",
                "to_status",
                "actor_id",
                "actor_name",
                "actor_role",
                "note",
                "data",
                "created_at",
            )
        )

    fields = [f for f in _COPIED if f not in ("version",)]
    engine_case = report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=world.category_days,
        description="村道路灯不亮",
        area=world.grid_a,
        now=start,
    )
    for minutes, actor, action, kwargs in steps:
        photos = photo() if action == Action.RESOLVE else []
        apply_action(
            case_id=engine_case.pk,
            actor=actor,
            action=action,
            now=start + timedelta(minutes=minutes),
            photos=photos,
            **kwargs,
        )
    assert count_pending_reports() == 1  # the task worker adds the engine's report to the rollups
    engine_case.refresh_from_db()

    replay = Replay(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=world.category_days,
        description="村道路灯不亮",
        area=world.grid_a,
        now=start,
        calendar=WorkCalendar.load(),
    )
    for minutes, actor, action, kwargs in steps:
        files = (stored,) if action == Action.RESOLVE else ()
        replay.act(actor=actor, action=action, now=start + timedelta(minutes=minutes), photos=files, **kwargs)
    (replayed,) = write_cases(town=world.town, records=[replay.record()])
    replayed.refresh_from_db()

    assert {f: getattr(replayed, f) for f in fields} == {f: getattr(engine_case, f) for f in fields}
    assert replayed.version == engine_case.version == 14
    assert rows(replayed) == rows(engine_case)
    assert all(broken is None for _case, broken in verify_chains(Case.objects.filter(town=world.town)))
    assert rollups.check(town=world.town) == []


def bulk_photo(world) -> StoredFile:
    from gridgov.data.cases.domain.bulk import store_photo

    return store_photo(town=world.town, upload=photo()[0])


def test_a_bulk_written_case_was_last_updated_at_its_last_step_not_when_the_batch_ran(world) -> None:
    import_historical_cases(town=world.town, records=history(world, 2), imported_by=None, now=at(2026, 11, 23))

    imported = Case.objects.filter(town=world.town, year=2022).order_by("seq")
    assert [case.updated_at for case in imported] == [at(2022, 3, 10, 10, 0)] * 2
    last_steps = [case.actions.order_by("-seq").values_list("created_at", flat=True)[0] for case in imported]
    assert last_steps == [at(2022, 3, 10, 10, 0)] * 2
