"""Intake through the API: cost per request, retries with an Idempotency-Key, and side effects after commit."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.responses import NinjaJSONEncoder

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.db.prepared.sending import statements_sent
from gridgov.ui.api import present
from gridgov.ui.api.schemas import CaseCreatedOut
from tests.data.cases.test_write_cost import round_trips, shapes
from tests.factories import TownWorld, photo
from tests.ui.api.test_cases_api import photo_json

BODY = {"category": "1201", "description": "路口垃圾堆积", "address": "双合村村口"}


def test_create_on_a_warm_worker_costs_a_handful_of_statements(
    world: TownWorld, as_user, django_assert_max_num_queries, settings
) -> None:
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 0  # a client's first call: its token is read
    api = as_user(world.grid_worker_a)
    assert api.post("/api/cases", BODY, **{"Idempotency-Key": "warm-up"}).status_code == 201
    with django_assert_max_num_queries(8) as captured:  # with the test's SAVEPOINT and RELEASE
        response = api.post("/api/cases", BODY, **{"Idempotency-Key": "second"})
    assert response.status_code == 201
    postgresql = connection.vendor == "postgresql"
    assert shapes(captured) == [
        "SELECT access_apitoken",  # who (last_used_at is written at most once a minute)
        "SELECT org_membership",  # their scope
        *(["SELECT ?"] if postgresql else []),  # the keys of this connection's next report, reserved ahead
        "INSERT org_counter",  # the number (SQLite: with the case's and its first action's keys)
        "INSERT cases_case",  # with its audit head (PostgreSQL: and the number, read back from the counter)
        "INSERT cases_caseaction",  # no rollup row: the task worker adds the day's counts
        "INSERT access_idempotencyrecord",  # the key for retries (no answer: a retry rebuilds it from the case)
    ]
    # on PostgreSQL the two reads share one round trip and the writes another; SQLite has none to save
    assert round_trips(captured) == (2 if postgresql else 6)


def test_a_client_calling_again_within_seconds_is_not_read_again(world: TownWorld, as_user, settings) -> None:
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 3
    api = as_user(world.grid_worker_a)
    assert api.post("/api/cases", BODY, **{"Idempotency-Key": "first"}).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/cases", BODY, **{"Idempotency-Key": "second"})
    assert response.status_code == 201
    postgresql = connection.vendor == "postgresql"
    assert [shape for shape in shapes(captured) if shape.startswith("SELECT")] == (["SELECT ?"] if postgresql else [])
    assert round_trips(captured) == (1 if postgresql else 4)


@pytest.mark.django_db(transaction=True)
def test_a_failed_wake_up_after_commit_is_not_an_error(world: TownWorld, settings, as_user) -> None:
    # The task queue refuses the wake-up (it has no queue of that name): the report is committed, so 201.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["elsewhere"]}}
    response = as_user(world.grid_worker_a).post("/api/cases", BODY)
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert list(notifications.pending().values_list("case_id", flat=True)) == [case.pk]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert notifications.deliver_due().notifications == 1  # the command room hears of it on the next run
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["operator"]


@pytest.mark.django_db(transaction=True)
def test_a_retry_after_a_lost_answer_gets_the_first_answer(world: TownWorld, as_user) -> None:
    api = as_user(world.grid_worker_a)
    first = api.post("/api/cases", BODY, **{"Idempotency-Key": "lost-1"})  # committed; say the answer was lost
    again = api.post("/api/cases", BODY, **{"Idempotency-Key": "lost-1"})
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 200, "true")
    assert again.json() == first.json()
    assert Case.objects.count() == 1


def test_a_retry_after_the_case_moved_on_gets_the_first_answer_byte_for_byte(world: TownWorld, as_user) -> None:
    """The record keeps no answer (a report neither renders nor stores it in its transaction): a retry rebuilds it
    from the case as its report left it — 待受理, its first version, the report's photos — not as it is now."""
    api = as_user(world.grid_worker_a)
    body = {**BODY, "photos": [photo_json(), photo_json("other")]}
    first = api.post("/api/cases", body, **{"Idempotency-Key": "moved-on"})
    case = Case.objects.get()
    assert list(IdempotencyRecord.objects.values_list("case_id", "response_body")) == [(case.pk, None)]
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.COMMENT, note="补一张", photos=photo())
    case.refresh_from_db()
    assert (case.status, case.version, case.attachments.count()) == (Status.DISPATCHED, 4, 3)

    again = api.post("/api/cases", body, **{"Idempotency-Key": "moved-on"})
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 200, "true")
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert {k: first.json()[k] for k in ("number", "status", "status_label", "version", "attachments")} == {
        "number": case.number,
        "status": "reported",
        "status_label": "待受理",
        "version": 1,
        "attachments": 2,
    }
    other = api.post("/api/cases", {**body, "description": "另一件事"}, **{"Idempotency-Key": "moved-on"})
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert Case.objects.count() == 1


def test_a_record_written_with_its_answer_replays_that_answer(world: TownWorld, as_user) -> None:
    """Records written before reports stopped storing their answer keep it, and a retry gets it as it was."""
    api = as_user(world.grid_worker_a)
    first = api.post("/api/cases", BODY, **{"Idempotency-Key": "stored"})
    kept = {**first.json(), "status_label": "kept as written"}  # not what a rebuild would give
    IdempotencyRecord.objects.filter(key="stored").update(response_body=kept)
    again = api.post("/api/cases", BODY, **{"Idempotency-Key": "stored"})
    assert (again.status_code, again["Idempotent-Replayed"], again.json()) == (200, "true", kept)
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_case(world: TownWorld, as_user) -> None:
    clients = [as_user(world.grid_worker_a) for _ in range(4)]
    start = threading.Barrier(len(clients))
    answers: list[tuple[int, str, dict[str, object]]] = []
    lock = threading.Lock()

    def post(client) -> None:
        try:
            start.wait()
            response = client.post("/api/cases", BODY, **{"Idempotency-Key": "same-key"})
            with lock:
                answers.append((response.status_code, response["Idempotent-Replayed"], response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((status, replayed) for status, replayed, _body in answers) == [
        (200, "true"),
        (200, "true"),
        (200, "true"),
        (201, "false"),
    ]
    bodies = [body for _status, _replayed, body in answers]
    assert all(body == bodies[0] for body in bodies)  # everyone got the first answer (rebuilt from the case)
    assert Case.objects.count() == 1
    assert list(IdempotencyRecord.objects.values_list("response_body", flat=True)) == [None]
    assert Case.objects.get().seq == 1  # the losers' numbers were rolled back: no gap


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC),
        datetime(2026, 11, 23, 1, 2, 3, tzinfo=UTC),  # no fraction
        datetime(2026, 11, 23, 9, 2, 3, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
    ],
)
def test_the_compact_answer_is_what_its_schema_dumps(world: TownWorld, moment: datetime) -> None:
    case = world.report()
    case.reported_at = moment
    answer = present.case_created(case, attachments=2)
    # as the API writes a schema's answer (ninja's encoder: milliseconds, UTC as Z), as every read does
    shown = CaseCreatedOut.model_validate({**answer, "reported_at": moment})
    written = json.dumps(shown.model_dump(), cls=NinjaJSONEncoder)
    assert answer == json.loads(written)
    assert answer["links"]["self"] == reverse("api:get_case", kwargs={"case_id": case.pk})
    assert json.loads(json.dumps(answer)) == answer


@pytest.mark.django_db(transaction=True)
def test_a_report_outside_any_transaction_is_two_round_trips_on_postgresql(world: TownWorld, as_user, settings) -> None:
    """No test transaction around it: on PostgreSQL, BEGIN and COMMIT go out with the writes
    (``prepared.transaction``) and the number is drawn among them, so a report is the token read and the rest."""
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 0  # the token is read (a client's first call)
    api = as_user(world.grid_worker_a)
    assert api.post("/api/cases", BODY, **{"Idempotency-Key": "warm-up"}).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/cases", BODY, **{"Idempotency-Key": "second"})
    assert response.status_code == 201
    sent = [
        [statement.split()[0].upper() for statement in statements_sent(q["sql"])] for q in captured.captured_queries
    ]
    request = sent[: next(i for i, verbs in enumerate(sent) if "COMMIT" in verbs) + 1]  # then: the worker's
    if connection.vendor == "postgresql":
        assert request == [
            ["SELECT", "SELECT"],  # the token with its user, and the memberships
            # the next report's keys, the counter's upsert, case, action, idempotency record
            ["BEGIN", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "COMMIT"],
        ]
    else:  # in-process: no round trips to save
        assert request == [["SELECT"], ["SELECT"], *[["INSERT"]] * 4, ["COMMIT"]]
    case = Case.objects.get(number=response.json()["number"])
    assert (case.seq, case.action_count, IdempotencyRecord.objects.get(key="second").case_id) == (2, 1, case.pk)
    assert [broken for _case, broken in verify_chains([case], check_files=False)] == [None]


@pytest.mark.django_db(transaction=True)
def test_a_report_that_fails_inside_its_transaction_leaves_nothing_and_no_gap(world: TownWorld) -> None:
    def fail(case: Case) -> None:
        raise RuntimeError("the caller's record could not be made")

    first = world.report()
    with pytest.raises(RuntimeError):
        report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="写到一半失败",
            area=world.grid_a,
            on_written=fail,
        )
    assert list(Case.objects.values_list("seq", flat=True)) == [first.seq]
    assert CaseAction.objects.count() == 1
    after = world.report()  # the connection is usable, and the failed report's number was not used
    assert after.seq == first.seq + 1
    assert not connection.in_atomic_block


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2026, 11, 23, 2, 3, 4, 123456, tzinfo=UTC), "2026-11-23T02:03:04.123Z"),
        (datetime(2026, 11, 23, 2, 3, 4, 999, tzinfo=UTC), "2026-11-23T02:03:04.000Z"),
        (datetime(2026, 11, 23, 2, 3, 4, tzinfo=UTC), "2026-11-23T02:03:04Z"),
    ],
)
def test_the_create_answer_writes_reported_at_as_the_reads_do(
    world: TownWorld, as_user, moment: datetime, written: str
) -> None:
    api = as_user(world.grid_worker_a)
    with time_machine.travel(moment, tick=False):
        created = api.post("/api/cases", BODY)
        replayed = api.post("/api/cases", BODY, **{"Idempotency-Key": "k-1"})
    assert created.status_code == 201
    case_id = created.json()["id"]
    read = api.get(f"/api/cases/{case_id}").json()
    listed = [row for row in api.get("/api/cases").json()["results"] if row["id"] == case_id]
    assert created.json()["reported_at"] == written
    assert replayed.json()["reported_at"] == written
    assert read["reported_at"] == written
    assert [row["reported_at"] for row in listed] == [written]
