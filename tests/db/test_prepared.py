"""Statements built once per process (gridgov.db.prepared): what they write and read is what the ORM would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from gridgov.data.access.models import ApiToken, IdempotencyRecord
from gridgov.data.access.tokens import authenticate_token, create_token, revoke_token
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import memberships_of
from gridgov.data.org.models import Area, Membership, User
from gridgov.db import prepared
from gridgov.db.prepared import sending
from tests.factories import MONDAY_0900, TownWorld


def _columns(obj: Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _copy(case: Case, *, seq: int) -> Case:
    values = _columns(case)
    values.update(id=None, seq=seq, number=f"DX2026-{seq:06d}", latitude=Decimal("30.123456"))
    return Case(**values)


def test_an_insert_writes_what_save_would_write(world: TownWorld) -> None:
    template = world.report()
    by_orm = _copy(template, seq=900)
    by_orm.save(force_insert=True)
    fast = _copy(template, seq=901)
    with CaptureQueriesContext(connection) as queries:
        assert prepared.insert(fast) is fast
    assert len(queries.captured_queries) == 1
    assert fast.pk is not None
    assert fast._state.adding is False
    stored_orm = _columns(Case.objects.get(pk=by_orm.pk))
    stored_fast = _columns(Case.objects.get(pk=fast.pk))
    differing = {name for name in stored_orm if stored_orm[name] != stored_fast[name]}
    assert differing == {"id", "seq", "number", "created_at", "updated_at"}  # own keys; auto_now stamps
    assert stored_fast["latitude"] == Decimal("30.123456")
    assert stored_fast["created_at"] is not None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),  # whole seconds: no fraction written
        datetime(2026, 11, 23, 1, 2, 3, 5, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai")),  # another day in UTC
    ],
)
def test_an_insert_writes_datetimes_exactly_as_save_would(world: TownWorld, moment: datetime) -> None:
    template = world.report()
    rows = []
    for seq, fast in ((910, False), (911, True)):
        case = _copy(template, seq=seq)
        case.reported_at = case.registered_at = moment
        if fast:
            prepared.insert(case)
        else:
            case.save(force_insert=True)
        rows.append(case.pk)
    table, columns = Case._meta.db_table, ("reported_at", "registered_at", "dispatch_deadline")
    with connection.cursor() as cursor:  # the stored form itself (text on SQLite), not a converted read
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id IN (%s, %s) ORDER BY id", rows)
        by_orm, fast = cursor.fetchall()
    assert fast == by_orm
    assert Case.objects.get(pk=rows[1]).reported_at == moment


def test_an_insert_with_a_json_field_and_a_given_key(world: TownWorld) -> None:
    case = world.report()
    record = IdempotencyRecord(
        pk=4242,
        user=world.grid_worker_a,
        key="k-1",
        body_hash="0" * 64,
        case=case,
        response_status=201,
        response_body={"number": case.number, "links": {"self": "/api/cases/1"}},
        created_at=MONDAY_0900,
    )
    prepared.insert(record)
    stored = IdempotencyRecord.objects.get(pk=4242)
    assert (stored.case_id, stored.response_body, stored.created_at) == (
        case.pk,
        {"number": case.number, "links": {"self": "/api/cases/1"}},
        MONDAY_0900,
    )


def test_a_model_with_a_save_receiver_goes_through_save(world: TownWorld) -> None:
    template = world.report()
    saved: list[int] = []

    def receiver(sender: type[Model], instance: Case, **kwargs: object) -> None:
        saved.append(instance.seq)

    post_save.connect(receiver, sender=Case, dispatch_uid="test-prepared")
    try:
        prepared.insert(_copy(template, seq=902))
    finally:
        post_save.disconnect(dispatch_uid="test-prepared", sender=Case)
    assert saved == [902]


def test_an_update_changes_only_the_named_fields(world: TownWorld) -> None:
    case = world.report()
    case.audit_head = "f" * 64
    case.description = "not saved"
    with CaptureQueriesContext(connection) as queries:
        assert prepared.update(case, ["audit_head"]) == 1
    assert len(queries.captured_queries) == 1
    stored = Case.objects.get(pk=case.pk)
    assert (stored.audit_head, stored.description) == ("f" * 64, "路边垃圾桶满溢")


def test_an_update_with_a_version_check_changes_nothing_once_the_version_moved(world: TownWorld) -> None:
    case = world.report()
    stale = Case.objects.get(pk=case.pk)
    case.version += 1
    assert prepared.update(case, ["version"], only_if=("version", case.version - 1)) == 1
    stale.version += 1
    stale.updated_at = MONDAY_0900 + timedelta(days=1)
    assert prepared.update(stale, ["version", "updated_at"], only_if=("version", stale.version - 1)) == 0
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.updated_at) == (case.version, MONDAY_0900)  # as its report left it


def test_select_for_update_reads_the_row_inside_a_transaction(world: TownWorld) -> None:
    from django.db import transaction

    case = world.report()
    with transaction.atomic():
        [locked] = prepared.select(Case, where="t0.id = %s", params=[case.pk], related=("category",), for_update=True)
    assert (locked.pk, locked.category.name) == (case.pk, world.category.name)


def test_select_loads_related_rows_and_null_keys_like_select_related(world: TownWorld) -> None:
    where = "t0.user_id = %s AND t0.active = %s"
    users: list[User] = [world.grid_worker_a, world.handler_a, world.admin]
    for user in users:
        expected = list(
            Membership.objects.filter(user=user, active=True).select_related("area", "department").order_by("pk")
        )
        with CaptureQueriesContext(connection) as queries:
            found = sorted(
                prepared.select(Membership, where=where, params=[user.pk, True], related=("area", "department")),
                key=lambda m: m.pk,
            )
        assert len(queries.captured_queries) == 1
        assert [_columns(m) for m in found] == [_columns(m) for m in expected]
        for got, want in zip(found, expected, strict=True):
            assert (got.area and _columns(got.area)) == (want.area and _columns(want.area))
            assert (got.department and _columns(got.department)) == (want.department and _columns(want.department))
        with CaptureQueriesContext(connection) as queries:
            [(m.area, m.department) for m in found]
        assert queries.captured_queries == []  # loaded with the row, as select_related would


def test_token_sign_in_reads_the_user_and_memberships_in_one_round_trip_on_postgresql(
    world: TownWorld, settings
) -> None:
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 0  # each call reads
    issued = create_token(user=world.grid_worker_a, name="phone", now=MONDAY_0900)
    ApiToken.objects.filter(pk=issued.record.pk).update(last_used_at=MONDAY_0900)
    with CaptureQueriesContext(connection) as queries:
        user = authenticate_token(issued.secret, now=MONDAY_0900)
        assert user is not None
        memberships = memberships_of(user)  # read with the token: no statement of its own
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    expected = Membership.objects.filter(user=world.grid_worker_a, active=True).select_related("area", "department")
    assert [(m.pk, m.role, m.area, m.department) for m in sorted(memberships, key=lambda m: m.pk)] == [
        (m.pk, m.role, m.area, m.department) for m in expected.order_by("pk")
    ]
    assert (user.pk, {m.role for m in memberships}) == (world.grid_worker_a.pk, {m.role for m in expected})
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert authenticate_token(issued.secret, now=MONDAY_0900) is None
    User.objects.filter(pk=user.pk).update(is_active=True)
    revoke_token(user=world.grid_worker_a, token_id=issued.record.pk, now=MONDAY_0900)
    assert authenticate_token(issued.secret, now=MONDAY_0900) is None


@pytest.mark.parametrize("secret", ["", "x" * 201, "ggt_not-a-token"])
def test_no_user_for_a_wrong_token(world: TownWorld, secret: str) -> None:
    assert authenticate_token(secret) is None


def _record(world: TownWorld, key: str, case: Case) -> IdempotencyRecord:
    return IdempotencyRecord(
        user=world.grid_worker_a,
        key=key,
        body_hash="0" * 64,
        case=case,
        response_status=201,
        response_body={"number": case.number},
        created_at=MONDAY_0900,
    )


def test_a_batch_sends_its_writes_at_the_end_in_one_round_trip_on_postgresql(world: TownWorld) -> None:
    case = world.report()
    with CaptureQueriesContext(connection) as queries, prepared.batched():
        prepared.insert(_record(world, "b-1", case), returning=False)
        prepared.execute(f"UPDATE {Case._meta.db_table} SET title = %s WHERE id = %s", ["批量写入", case.pk])
        prepared.insert(_record(world, "b-2", case), returning=False)
        assert queries.captured_queries == []  # nothing sent yet
    sent = [q["sql"] for q in queries.captured_queries]
    assert len(sent) == (1 if connection.vendor == "postgresql" else 3)
    assert sorted(IdempotencyRecord.objects.filter(case=case).values_list("key", flat=True)) == ["b-1", "b-2"]
    assert Case.objects.get(pk=case.pk).title == "批量写入"


def test_a_batch_that_raises_sends_nothing(world: TownWorld) -> None:
    case = world.report()

    def fail_after_queueing() -> None:
        with prepared.batched():
            prepared.insert(_record(world, "c-1", case), returning=False)
            raise LookupError

    with pytest.raises(LookupError):
        fail_after_queueing()
    assert not IdempotencyRecord.objects.filter(key="c-1").exists()


def test_a_read_inside_a_batch_sees_what_was_queued_before_it(world: TownWorld) -> None:
    case = world.report()
    with prepared.batched():
        prepared.execute(f"UPDATE {Case._meta.db_table} SET title = %s WHERE id = %s", ["先写后读", case.pk])
        found = prepared.select(Case, where="t0.id = %s", params=[case.pk])
    assert [c.title for c in found] == ["先写后读"]


def test_a_duplicate_in_a_batch_fails_at_its_end_and_the_transaction_keeps_nothing(world: TownWorld) -> None:
    case = world.report()
    prepared.insert(_record(world, "d-1", case), returning=False)

    def write_twice() -> None:
        with transaction.atomic(), prepared.batched():
            prepared.execute(f"UPDATE {Case._meta.db_table} SET title = %s WHERE id = %s", ["不应留下", case.pk])
            prepared.insert(_record(world, "d-1", case), returning=False)

    with pytest.raises(IntegrityError):
        write_twice()
    assert Case.objects.get(pk=case.pk).title == case.title
    assert IdempotencyRecord.objects.filter(key="d-1").count() == 1


def test_a_staged_insert_writes_what_save_would_with_the_values_set_later(world: TownWorld) -> None:
    template = world.report()
    by_orm = _copy(template, seq=910)
    by_orm.save(force_insert=True)
    staged = prepared.stage(_copy(template, seq=0))
    assert staged is not None
    key = Case.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    staged.set(id=key, seq=911, number="DX2026-000911", audit_head="f" * 64)
    with CaptureQueriesContext(connection) as queries:
        assert prepared.insert_staged(staged).pk == key
    sent = sending.statements_sent(queries.captured_queries[-1]["sql"])[-1]
    named = re.findall(r'"(\w+)"', sent.split(" VALUES ")[0])[1:]  # after the table's name
    empty = [f.column for f in Case._meta.concrete_fields if getattr(staged.obj, f.attname) is None]
    assert (len(named), sorted(set(named) & set(empty))) == (len(Case._meta.concrete_fields) - len(empty), [])
    stored_orm = _columns(Case.objects.get(pk=by_orm.pk))
    stored_staged = _columns(Case.objects.get(pk=key))
    differing = {name for name in stored_orm if stored_orm[name] != stored_staged[name]}
    assert differing == {"id", "seq", "number", "audit_head", "created_at", "updated_at"}
    assert (stored_staged["seq"], stored_staged["audit_head"]) == (911, "f" * 64)


def test_memberships_leave_the_area_boundary_unread_until_used(world: TownWorld) -> None:
    Area.objects.filter(pk=world.grid_a.pk).update(
        boundary={"type": "Polygon", "coordinates": [[[122.0, 30.0], [122.1, 30.0], [122.1, 30.1], [122.0, 30.0]]]}
    )
    user = User.objects.get(pk=world.grid_worker_a.pk)
    mine = [m for m in memberships_of(user) if m.area_id == world.grid_a.pk]
    assert [m.area.get_deferred_fields() for m in mine] == [{"boundary"}]
    assert mine[0].area.boundary == Area.objects.get(pk=world.grid_a.pk).boundary  # read when used


@pytest.mark.skipif(connection.vendor != "postgresql", reason="literals are bound on the client on PostgreSQL only")
@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, 7, -3, 2**62, -(2**62), "", "双合村村口", "a'b", "back\\slash", "tab\tand\nnewline"],
)
def test_plain_literals_are_what_psycopg_writes(db, value: Any) -> None:
    connection.ensure_connection()
    ours = sending._plain_literal(value)
    theirs = sending._literal(connection)(value).decode()
    escaped = isinstance(value, str) and ("'" in value or "\\" in value)
    assert ours == ("" if escaped else theirs)  # the plain ones bound here, the others left to psycopg
    with connection.cursor() as cursor:  # and the database reads back the value
        sending.run(cursor, "SELECT %s", [value])
        assert cursor.fetchone()[0] == value


_POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)


def _stored_alike(case: Case, other: Case) -> set[str]:
    ours, theirs = _columns(Case.objects.get(pk=case.pk)), _columns(Case.objects.get(pk=other.pk))
    return {name for name in ours if ours[name] != theirs[name]}


@_POSTGRESQL_ONLY
def test_an_insert_sent_again_and_again_is_prepared_on_the_connection_and_writes_the_same(world: TownWorld) -> None:
    template = world.report()
    by_orm = _copy(template, seq=900)
    by_orm.save(force_insert=True)
    rounds = sending.PREPARE_AFTER_USES + 2
    with CaptureQueriesContext(connection) as queries:
        copies = [prepared.insert(_copy(template, seq=910 + i)) for i in range(rounds)]
    texts = [q["sql"] for q in queries.captured_queries]
    assert len(texts) == rounds  # a PREPARE goes out in the same round trip as its first EXECUTE
    assert sum(text.count("PREPARE gridgov_") for text in texts) <= 1  # once per connection
    assert [text.startswith("EXECUTE gridgov_") for text in texts[-2:]] == [True, True]
    assert [sending.statements_sent(text)[-1].startswith('INSERT INTO "cases_case"') for text in texts] == [
        True
    ] * rounds
    assert [_stored_alike(copy, by_orm) for copy in copies] == [
        {"id", "seq", "number", "created_at", "updated_at"}
    ] * rounds


@_POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_round_trip_that_fails_after_its_prepare_leaves_the_next_one_working(world: TownWorld) -> None:
    case = world.report()
    for i in range(sending.PREPARE_AFTER_USES):
        prepared.insert(_record(world, f"p-{i}", case), returning=False)  # the statement is worth preparing
    connection.close()  # a new connection: nothing prepared on it yet

    def duplicate() -> None:
        with prepared.batched():  # PREPARE, then EXECUTE, which fails: one round trip
            prepared.insert(_record(world, "p-0", case), returning=False)

    with CaptureQueriesContext(connection) as failed, pytest.raises(IntegrityError):
        duplicate()
    with CaptureQueriesContext(connection) as queries:
        prepared.insert(_record(world, "p-next", case), returning=False)
    first = failed.captured_queries[0]["sql"].split(" AS ")[0]
    again = queries.captured_queries[0]["sql"].split(" AS ")[0]
    assert first.startswith("PREPARE gridgov_")
    assert again.startswith("PREPARE gridgov_")
    assert first != again  # prepared anew under a fresh name: whether the failed round trip's ran is not known
    assert sorted(IdempotencyRecord.objects.filter(case=case).values_list("key", flat=True)) == [
        *(f"p-{i}" for i in range(sending.PREPARE_AFTER_USES)),
        "p-next",
    ]


@_POSTGRESQL_ONLY
def test_prepared_statements_can_be_turned_off_for_a_pooler(world: TownWorld, settings) -> None:
    settings.GRIDGOV_PG_PREPARE = False
    template = world.report()
    with CaptureQueriesContext(connection) as queries:
        for i in range(sending.PREPARE_AFTER_USES + 1):
            prepared.insert(_copy(template, seq=950 + i))
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"] * (sending.PREPARE_AFTER_USES + 1)


@_POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_statements_the_session_lost_are_prepared_again(world: TownWorld) -> None:
    case = world.report()
    for i in range(sending.PREPARE_AFTER_USES + 1):
        prepared.insert(_record(world, f"l-{i}", case), returning=False)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    with pytest.raises(ProgrammingError):  # that call fails …
        prepared.insert(_record(world, "l-lost", case), returning=False)
    prepared.insert(_record(world, "l-again", case), returning=False)  # … the next prepares anew
    assert IdempotencyRecord.objects.filter(case=case, key__in=["l-lost", "l-again"]).count() == 1


def test_a_row_wanted_from_a_batch_arrives_when_the_batch_is_sent(world: TownWorld) -> None:
    case = world.report()
    table = Case._meta.db_table
    with CaptureQueriesContext(connection) as queries, prepared.batched():
        prepared.execute(f"UPDATE {table} SET title = %s WHERE id = %s", ["排队读回", case.pk])
        title = prepared.fetch_later(f"SELECT title, seq FROM {table} WHERE id = %s", [case.pk])
        missing = prepared.fetch_later(f"SELECT title FROM {table} WHERE id = %s", [-1])
        assert (title.row, queries.captured_queries) == (None, [])  # nothing sent yet
    assert (title.row, missing.row) == (("排队读回", case.seq), None)
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 3)
    outside = prepared.fetch_later(f"SELECT seq FROM {table} WHERE id = %s", [case.pk])  # no batch: at once
    assert outside.row == (case.seq,)


def test_a_column_the_database_computes_is_written_with_its_expression(world: TownWorld) -> None:
    template = world.report()
    staged = prepared.stage(_copy(template, seq=0))
    assert staged is not None
    key = Case.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    staged.set(id=key, audit_head="e" * 64)
    staged.compute(seq=prepared.SQL("(%s * 2)", (456,)), number=prepared.SQL("(%s || %s)", ("X-", "912")))
    assert (staged.obj.seq, staged.obj.number) == (None, None)  # known once written
    with prepared.batched():
        prepared.insert_staged(staged)
        record = prepared.new(
            IdempotencyRecord,
            user=world.grid_worker_a,
            key="computed",
            body_hash="0" * 64,
            case_id=key,
            response_status=201,
            response_body=prepared.SQL(
                "jsonb_build_object('n', %s)" if connection.vendor == "postgresql" else "json_object('n', %s)", (7,)
            ),
            created_at=MONDAY_0900,
        )
        prepared.insert(record, returning=False)
    stored = Case.objects.get(pk=key)
    assert (stored.seq, stored.number, stored.audit_head) == (912, "X-912", "e" * 64)
    assert IdempotencyRecord.objects.get(key="computed").response_body == {"n": 7}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="keys are reserved ahead on PostgreSQL only")
def test_keys_reserved_ahead_are_never_handed_out_twice(world: TownWorld) -> None:
    with prepared.batched():
        first = prepared.reserved_keys(Case, IdempotencyRecord)  # nothing kept ahead yet: read at once
    with CaptureQueriesContext(connection) as queries, prepared.batched():
        second = prepared.reserved_keys(Case, IdempotencyRecord)  # kept ahead by the first batch
        assert queries.captured_queries == []
    orm = world.report()  # a sequence's next value, after the keys kept ahead for the next call
    third = prepared.reserved_keys(Case, IdempotencyRecord)
    cases = [first[0], second[0], third[0], orm.pk]
    assert (len(set(cases)), len({key for keys in (first, second, third) for key in keys[1:]})) == (4, 3)
    assert (second[0], third[0]) == (first[0] + 1, first[0] + 2)


def test_a_field_class_is_plain_when_it_saves_values_as_its_plain_base_does() -> None:
    from gridgov.data.org.fields import NonNegativeIntegerField, NonNegativeSmallIntegerField
    from gridgov.data.privacy import EncryptedTextField
    from gridgov.db.prepared.fields import plain_type

    assert plain_type(NonNegativeIntegerField()) is int  # changes only its checks and validators
    assert plain_type(NonNegativeSmallIntegerField()) is int
    assert plain_type(EncryptedTextField()) is None  # a TextField that encrypts on the way: not plain
    assert plain_type(Case._meta.get_field("version")) is int
