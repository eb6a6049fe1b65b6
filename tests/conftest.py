"""Shared fixtures: a small town with two villages, the default taxonomy, and one persona per role."""

from __future__ import annotations

import pytest

from tests.factories import TownWorld, build_world


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    # Each test's rows are rolled back without signals: start every test with an empty per-process cache.
    from gridgov.data.cases.domain import reference

    reference.clear()


@pytest.fixture
def world(db) -> TownWorld:
    return build_world()
