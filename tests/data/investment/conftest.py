"""The investment department's handler (经济发展办, code JFB) beside the world's personas."""

from __future__ import annotations

import pytest

from gridgov.data.org.models import User
from tests.data.investment.support import make_investor
from tests.factories import TownWorld


@pytest.fixture
def investor(world: TownWorld) -> User:
    return make_investor(world)
