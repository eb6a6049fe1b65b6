"""The civic demo builders reproduce the 2022 work report through the domain functions, and give the
current year live data."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.figures import Figure
from gridgov.data.cases.models import Case
from gridgov.data.disputes.figures import year_figures as dispute_figures
from gridgov.data.inspections.figures import year_figures as inspection_figures
from gridgov.data.inspections.models import InspectionBulletin
from gridgov.data.problemlists.figures import year_figures as problem_figures
from gridgov.ops.demo.ledgers_2022 import disputes, inspections, problemlists
from gridgov.ops.demo.organisation import build_organisation
from tests.factories import WORLD_NOW

pytestmark = pytest.mark.django_db
AS_OF = datetime(2023, 1, 31, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def values(figures: dict[str, Figure]) -> dict[str, object]:
    return {key: figure.value for key, figure in figures.items()}


@pytest.mark.usefixtures("clock")
def test_2022_matches_the_work_report_and_2026_has_live_data() -> None:
    """The builders read the process clock (the current year's live data runs up to it): the ``clock``
    fixture puts it at the world's moment, and the figures are read as of that moment."""
    rng = random.Random(2023)
    org = build_organisation(rng)
    town = org.town
    problemlists.build(town=town, rng=rng, year=2022)
    inspections.build(town=town, rng=rng, year=2022, problems_per_round=6)
    disputes.build(town=town, rng=rng, year=2022)
    span = {"town": town, "start": date(2022, 1, 1), "end": date(2023, 1, 1), "as_of": AS_OF}
    assert values(problem_figures(**span)) == {
        "problem_items": 188,
        "problem_rectified": 184,
        "problem_rate": Decimal(184) / Decimal(188),
    }
    rate = problem_figures(**span)["problem_rate"].value
    assert rate is not None
    assert round(rate * 100) == 98
    assert values(inspection_figures(**span)) == {
        "inspection_rounds": 5,
        "inspection_bulletins": 5,
        "inspection_problems": 30,
        "inspection_rectified": 30,
    }
    assert [b.title for b in InspectionBulletin.objects.order_by("seq")] == [
        f"创城督查通报2022年第{n}期" for n in range(1, 6)
    ]
    assert values(dispute_figures(**span)) == {
        "petitions_received": 9,
        "petition_backlog_cleared": 2,
        "disputes_received": 41,
        "disputes_resolved": 40,
        "disputes_rate": Decimal(40) / Decimal(41),
        "labour_disputes": 17,
        "labour_amount": Decimal("16280000.00"),
    }

    problemlists.build(town=town, rng=rng, year=2026)
    inspections.build(town=town, rng=rng, year=2026)
    disputes.build(town=town, rng=rng, year=2026)
    now_span = {
        "town": town,
        "start": date(2026, 1, 1),
        "end": date(2027, 1, 1),
        "as_of": WORLD_NOW,
    }
    assert values(problem_figures(**now_span))["problem_items"] == 21
    assert values(inspection_figures(**now_span))["inspection_bulletins"] == 1
    assert values(dispute_figures(**now_span))["labour_disputes"] == 2
    assert [case for case, broken in verify_chains(Case.objects.filter(town=town)) if broken] == []
