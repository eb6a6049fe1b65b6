"""A server error shows our own Chinese page with an error id, and that id is in the log line."""

from __future__ import annotations

import logging
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.factories import TownWorld


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("", include("gridgov.urls"))]
handler500 = "gridgov.ui.web.errors.server_error"

pytestmark = pytest.mark.urls("tests.ui.web.test_server_error")


def _page_and_log(client: Client, caplog: pytest.LogCaptureFixture) -> tuple[str, str, int]:
    with caplog.at_level(logging.ERROR, logger="gridgov.errors"):
        response = client.get("/boom/")
    match = re.search(r'<strong id="error-id">([0-9A-F]{8})</strong>', response.text)
    assert match is not None, response.text[:500]
    lines = [r.getMessage() for r in caplog.records if r.name == "gridgov.errors"]
    return match.group(1), "\n".join(lines), response.status_code


def test_a_server_error_shows_our_page_with_an_id_that_is_logged(
    world: TownWorld, caplog: pytest.LogCaptureFixture, settings
) -> None:
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(raise_request_exception=False)
    client.force_login(world.grid_worker_a)
    error_id, log, status = _page_and_log(client, caplog)
    assert status == 500
    assert f"错误编号 {error_id}: GET /boom/" in log


def test_with_debug_on_a_grid_worker_still_gets_our_page_not_the_debug_page(
    world: TownWorld, caplog: pytest.LogCaptureFixture, settings
) -> None:
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(world.grid_worker_a)
    error_id, log, status = _page_and_log(client, caplog)
    assert status == 500
    assert f"错误编号 {error_id}: GET /boom/" in log
    assert "Traceback" not in client.get("/boom/").text
