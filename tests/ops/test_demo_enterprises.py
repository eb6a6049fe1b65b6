"""The enterprise demo builder reproduces the 2022 work report through the domain functions."""

from __future__ import annotations

import random
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Kind
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.figures import year_figures
from gridgov.ops.demo.ledgers_2022 import enterprises
from gridgov.ops.demo.organisation import build_organisation

pytestmark = pytest.mark.django_db
AS_OF = datetime(2023, 1, 31, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_enterprise_ledgers_2022_scaled_and_current_year() -> None:
    rng = random.Random(2023)
    org = build_organisation(rng)
    started = time.monotonic()
    enterprises.build(town=org.town, rng=rng, year=2022, hazards=(10, 6, 4), solved=10)
    elapsed = time.monotonic() - started
    f = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert {k: v.value for k, v in f.items()} == {
        "hazards_self_found": 10,
        "hazards_self_rectified": 10,
        "hazards_self_rate": Decimal("1.0000"),
        "hazards_gov_found": 10,
        "hazards_gov_rectified": 10,
        "hazards_gov_rate": Decimal("1.0000"),
        "hazards_major": 9,
        "service_requests": 10,
        "service_solved": 10,
        "service_meetings": 6,
        "financing_amount": Decimal("54360000.00"),
    }
    print(f"enterprise demo: {elapsed:.1f}s for 20 hazards + 10 requests")
    broken = [c for c, b in verify_chains(list(Case.objects.filter(kind=Kind.HAZARD)[:20])) if b is not None]
    assert broken == []
