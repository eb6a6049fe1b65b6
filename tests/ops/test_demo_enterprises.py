"""The enterprise demo builder reproduces the 2022 work report through the domain functions."""

from __future__ import annotations

import random
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.timezone import localdate

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Action, Kind, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction, Notification
from gridgov.data.enterprises.figures import year_figures
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.ops.demo.ledgers_2022 import enterprises
from gridgov.ops.demo.organisation import build_organisation

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2023, 1, 31, 12, tzinfo=SHANGHAI)


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


def test_a_past_year_is_replayed_and_written_in_slices_owing_nobody_a_notification() -> None:
    """A past year's hazards and requests are replayed in memory and written through the bulk path: numbered in
    order (hazards, then requests), every report already in the rollups (none waits for the worker), no step owed
    a notification even outside ``without_notifications``, every chain intact, each ledger row agreeing with the
    steps of its case and each rectification or solution with its photo."""
    rng = random.Random(2023)
    org = build_organisation(rng)
    enterprises.build(town=org.town, rng=rng, year=2022, hazards=(30, 20, 10), solved=45)
    cases = Case.objects.filter(town=org.town, year=2022).order_by("seq")
    assert [(c.seq, c.kind) for c in cases] == [(n, Kind.HAZARD) for n in range(1, 61)] + [
        (n, Kind.SERVICE) for n in range(61, 106)
    ]
    assert (cases.exclude(status=Status.CLOSED).count(), cases.filter(report_rolled_up=False).count()) == (0, 0)
    actions = CaseAction.objects.filter(case__in=cases)
    assert (actions.filter(notify_due_at__isnull=False).count(), Notification.objects.count()) == (0, 0)
    assert [c.number for c, broken in verify_chains(list(cases)) if broken is not None] == []
    hazards = Hazard.objects.filter(town=org.town).select_related("case")
    assert [(h.rectified_on, h.accepted_on) for h in hazards] == [
        (localdate(h.case.resolved_at, SHANGHAI), localdate(h.case.closed_at, SHANGHAI)) for h in hazards
    ]
    requests = ServiceRequest.objects.filter(town=org.town)
    assert sum(r.financing_amount for r in requests) == Decimal("54360000.00")
    assert requests.exclude(case__satisfaction="").count() == 45
    resolved = actions.filter(action=Action.RESOLVE)
    assert (resolved.count(), Attachment.objects.filter(action__in=resolved).count()) == (105, 105)
