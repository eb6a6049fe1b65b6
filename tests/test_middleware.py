"""A request that cannot get the database in time answers 503 “系统繁忙，请稍后重试” with Retry-After — a page,
the API's JSON error or Open311's error list — never a 500 or a debug page, and writes nothing.

The lock is real: another connection holds the database's write lock, as an import or the demo's 2022 does.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from gridgov.data.cases.models import Case
from gridgov.data.org.models import User
from tests.factories import WORLD_NOW, TownWorld, build_world, signed_in
from tests.locks import short_lock_wait, write_lock_held
from tests.ui.api.conftest import ApiClient
from tests.ui.phone.conftest import once_token

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "系统繁忙，请稍后重试"
SIGN_IN = {"username": "operator", "password": "pw-for-tests-1"}


def assert_busy_page(response) -> None:
    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        503,
        "5",
        "text/html; charset=utf-8",
    )
    assert f"<h1>{BUSY}</h1>" in response.text
    assert response["Cache-Control"] == "no-store"
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in response.text  # the page keeps its style under the policy


def test_sign_in_while_a_batch_holds_the_write_lock_for_two_seconds_is_never_a_500() -> None:
    build_world()
    client = Client(raise_request_exception=False)
    answers = []
    with short_lock_wait(300), write_lock_held(seconds=2.0):
        answers.append(client.post("/login/", SIGN_IN))
    assert [a.status_code for a in answers if a.status_code not in (302, 503)] == []
    for answer in answers:
        if answer.status_code == 503:
            assert_busy_page(answer)
    after = Client().post("/login/", SIGN_IN)  # the batch is done: signing in works
    assert (after.status_code, after["Location"]) == (302, "/")


def test_sign_in_answers_the_busy_page_while_the_lock_is_held_even_with_debug_on(settings, caplog) -> None:
    build_world()
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING, logger="gridgov.db.busy"), short_lock_wait(200), write_lock_held():
        response = client.post("/login/", SIGN_IN)
    assert_busy_page(response)
    assert "Traceback" not in response.text
    messages = [r.getMessage() for r in caplog.records if r.name == "gridgov.db.busy"]
    # the statement that waited, where it was issued from, and the request that got the 503
    assert any("数据库忙：语句等待" in m for m in messages), messages
    assert any("POST /login/ 回答 503" in m for m in messages), messages
    assert User.objects.get(username="operator").last_login is None  # nothing half-written


def test_a_phone_report_while_the_lock_is_held_is_the_busy_page_and_no_case() -> None:
    world = build_world()
    client = signed_in(world.grid_worker_a)
    token = once_token(client, "/m/report/")
    report = {
        "once_token": token,
        "category": world.category.pk,
        "description": "村口垃圾桶满溢，两天未清运",
        "latitude": "",
        "longitude": "",
        "area": "",
        "address": "双合村村口",
    }
    client.raise_request_exception = False
    with short_lock_wait(200), write_lock_held():
        response = client.post("/m/report/", report)
    assert_busy_page(response)
    assert Case.objects.count() == 0


def test_a_phone_report_with_the_database_cache_while_the_lock_is_held_is_the_busy_page(settings, caplog) -> None:
    """The form's one-time token lives in the cache, which is the database in production: when it cannot be
    stored the report is not taken, and the grid worker must be told so — not sent to 我的上报 as if it had been.
    The log says a busy database, not an error with its traceback."""
    settings.CACHES = {"default": {"BACKEND": "gridgov.db.cache.DatabaseCache", "LOCATION": "gridgov_cache"}}
    call_command("createcachetable")
    world = build_world()
    client = signed_in(world.grid_worker_a)
    token = once_token(client, "/m/report/")
    report = {"once_token": token, "category": world.category.pk, "description": "路灯不亮", "address": "双合村"}
    client.raise_request_exception = False
    try:
        with caplog.at_level(logging.WARNING), short_lock_wait(200), write_lock_held():
            response = client.post("/m/report/", report)
        assert_busy_page(response)
        assert Case.objects.count() == 0
        errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
        assert errors == []
        assert any("POST /m/report/ 回答 503" in record.getMessage() for record in caplog.records)
        again = client.post("/m/report/", report)  # the lock is gone: the same form goes through
        assert (again.status_code, Case.objects.count()) == (302, 1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE gridgov_cache")


def test_a_phone_report_beside_a_two_second_batch_succeeds_or_is_busy(world_tx: TownWorld) -> None:
    client = signed_in(world_tx.grid_worker_a)
    token = once_token(client, "/m/report/")
    report = {"once_token": token, "category": world_tx.category.pk, "description": "路灯不亮", "address": "双合村"}
    client.raise_request_exception = False
    with short_lock_wait(300), write_lock_held(seconds=2.0):
        response = client.post("/m/report/", report)
    assert response.status_code in (302, 503)
    assert Case.objects.count() == (1 if response.status_code == 302 else 0)


def test_the_api_answers_503_with_its_json_error(world_tx: TownWorld) -> None:
    api = ApiClient(world_tx.grid_worker_a)
    api.client.raise_request_exception = False
    body = {"category": "1201", "description": "路口垃圾堆积", "address": "双合村村口"}
    with short_lock_wait(200), write_lock_held():
        response = api.post("/api/cases", body, **{"Idempotency-Key": "busy-1"})
    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        503,
        "5",
        "application/json; charset=utf-8",
    )
    assert response.json() == {
        "code": "busy",
        "message": BUSY,
        "message_en": "The system is busy; please try again in a few seconds.",
        "field": None,
    }
    assert Case.objects.count() == 0
    again = api.post("/api/cases", body, **{"Idempotency-Key": "busy-1"})  # the retry the 503 asked for
    assert again.status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.parametrize("debug", [False, True])
def test_the_api_answers_503_even_with_debug_on(world_tx: TownWorld, settings, debug: bool) -> None:
    settings.DEBUG = debug
    api = ApiClient(world_tx.grid_worker_a)
    api.client.raise_request_exception = False
    with short_lock_wait(200), write_lock_held():
        response = api.post("/api/cases", {"category": "1201", "description": "路口垃圾", "address": "双合村"})
    assert (response.status_code, response.json()["code"]) == (503, "busy")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_503_with_the_specs_error_list(world_tx: TownWorld, fmt: str) -> None:
    from gridgov.data.access.tokens import issue_api_key

    key = issue_api_key(town=world_tx.town, name="居民随手拍 App").secret
    data = {
        "api_key": key,
        "jurisdiction_id": "330921102",
        "service_code": "1201",
        "description": "村口垃圾三天没人清理",
        "address_string": "双合村村口",
    }
    client = Client(raise_request_exception=False)
    with short_lock_wait(200), write_lock_held():
        response = client.post(f"/open311/v2/requests.{fmt}", data)
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    if fmt == "json":
        assert response.json() == [{"code": 503, "description": BUSY}]
    else:
        assert response.content.decode() == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<errors><error><code>503</code><description>{BUSY}</description></error></errors>"
        )
    assert Case.objects.count() == 0


def test_reading_pages_needs_no_write_lock(world_tx: TownWorld) -> None:
    operator, worker = signed_in(world_tx.operator), signed_in(world_tx.grid_worker_a)
    paths = ("/triage/", "/cases/", "/notifications/", "/api/cases")
    with short_lock_wait(200), write_lock_held():
        pages = {path: operator.get(path).status_code for path in paths} | {"/m/": worker.get("/m/").status_code}
    assert pages == {"/triage/": 200, "/cases/": 200, "/notifications/": 200, "/api/cases": 200, "/m/": 200}


def test_reading_the_api_with_a_token_or_key_last_used_long_ago_needs_no_write_lock(
    world_tx: TownWorld, settings
) -> None:
    """Reading refreshes the token's and the key's "last used" at most once a minute: beside a batch that
    holds the write lock the refresh gives way (it is written on a later call), the read is answered."""
    from gridgov.data.access.models import ApiKey, ApiToken
    from gridgov.data.access.tokens import issue_api_key

    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 0
    api = ApiClient(world_tx.grid_worker_a)
    key = issue_api_key(town=world_tx.town, name="居民随手拍 App").secret
    long_ago = WORLD_NOW - timedelta(hours=2)
    ApiToken.objects.update(last_used_at=long_ago)
    ApiKey.objects.update(last_used_at=long_ago)
    with short_lock_wait(200), write_lock_held():
        answers = (
            api.get("/api/cases").status_code,
            Client().get("/open311/v2/services.json", {"api_key": key}).status_code,
        )
        during = (ApiToken.objects.get().last_used_at, ApiKey.objects.get().last_used_at)
    assert (answers, during) == ((200, 200), (long_ago, long_ago))
    assert api.get("/api/cases").status_code == 200  # the batch is done: the next call refreshes it
    refreshed = ApiToken.objects.get().last_used_at
    assert refreshed is not None
    assert refreshed >= WORLD_NOW


def test_reading_the_admin_and_a_case_needs_no_write_lock(world_tx: TownWorld) -> None:
    case = world_tx.report()
    User.objects.filter(pk=world_tx.admin.pk).update(is_staff=True, is_superuser=True)
    admin, operator, leader = signed_in(world_tx.admin), signed_in(world_tx.operator), signed_in(world_tx.leader)
    admin_paths = (
        "/admin/",
        "/admin/org/user/",
        f"/admin/org/user/{world_tx.grid_worker_a.pk}/change/",
        f"/admin/org/area/{world_tx.village_a.pk}/change/",
        "/admin/worktime/calendaryear/",
        "/admin/worktime/calendaryear/add/",
    )
    with short_lock_wait(200), write_lock_held():
        pages = {path: admin.get(path).status_code for path in admin_paths}
        pages[f"/cases/{case.pk}/"] = operator.get(f"/cases/{case.pk}/").status_code
        pages["/dashboard/"] = leader.get("/dashboard/").status_code
    assert pages == dict.fromkeys([*admin_paths, f"/cases/{case.pk}/", "/dashboard/"], 200)


@pytest.fixture
def world_tx(transactional_db) -> TownWorld:
    return build_world()


def test_a_busy_database_after_the_view_is_the_busy_page_too_even_with_debug_on(world_tx: TownWorld, settings) -> None:
    """The session is saved by its middleware after the view has answered: a lock there reached Django's 500
    handler (the debug page with GRIDGOV_DEBUG on)."""
    settings.DEBUG = True
    settings.SESSION_SAVE_EVERY_REQUEST = True  # so that a plain page view writes the session afterwards
    client = signed_in(world_tx.operator)
    client.raise_request_exception = False
    with short_lock_wait(200), write_lock_held():
        response = client.get("/cases/")
    assert_busy_page(response)
    assert "Traceback" not in response.text
