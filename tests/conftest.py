"""Shared fixtures: a small town with two villages, the default taxonomy, and one persona per role.

The world lives at a fixed moment: its cases are made from ``MONDAY_0900`` on, and its ``clock`` fixture
moves the process clock to ``WORLD_NOW`` (an hour later, ticking; time-machine) for the test. So the
application's own ``timezone.now()`` — in views, forms and domain functions — agrees with the dates the test
builds, on whatever day the suite runs. Tests without the world run on the process clock; CI runs them again
with the clock set to a year end and to a 调休 Saturday.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import pytest
import time_machine
from django.test import Client

from gridgov.data.org.enums import Role
from tests.factories import WORLD_NOW, TownWorld, signed_in, town_world


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    # Each test's rows are rolled back without signals: start every test with an empty per-process cache.
    from gridgov.data.cases.domain import reference

    reference.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The world's clock: the process clock at WORLD_NOW (2026-11-23 10:00 Asia/Shanghai), ticking."""
    with time_machine.travel(WORLD_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock) -> TownWorld:
    return town_world()


class Personas(Protocol):
    def __call__(self, role: Role) -> Client: ...


@pytest.fixture
def as_role(world: TownWorld) -> Personas:
    """A client signed in as the world's persona of a role: ``as_role(Role.OPERATOR).get(...)``."""

    def client_for(role: Role) -> Client:
        return signed_in(world.persona(role))

    return client_for


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests (everything served to Chromium by ``live_server``) carry the ``e2e`` marker."""
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
