"""One-time form tokens: accepted once, released on failure, bound to their user."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from gridgov.ui.web import once
from tests.factories import TownWorld


def test_once_token_is_accepted_once_and_released_on_failure(world: TownWorld) -> None:
    request = RequestFactory().post("/")
    request.user = world.grid_worker_a
    token = once.issue(request)
    first = once.claim(request, token)
    assert first.state is once.State.FRESH
    assert once.claim(request, token).state is once.State.USED
    once.finish(first, "/m/cases/1/")
    again = once.claim(request, token)
    assert (again.state, again.result_url) == (once.State.USED, "/m/cases/1/")
    retry = once.issue(request)
    failed = once.claim(request, retry)
    once.release(failed)
    assert once.claim(request, retry).state is once.State.FRESH


@pytest.mark.parametrize("token", ["", "forged", None])
def test_once_token_refuses_forged_and_foreign_tokens(world: TownWorld, token: str | None) -> None:
    request = RequestFactory().post("/", {once.FIELD: token or ""})
    request.user = world.grid_worker_a
    assert once.claim(request).state is once.State.INVALID
    other = RequestFactory().post("/")
    other.user = world.grid_worker_b
    assert once.claim(request, once.issue(other)).state is once.State.INVALID
