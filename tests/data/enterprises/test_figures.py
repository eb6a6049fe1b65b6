"""Year figures with hand-computed values."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from gridgov.data.enterprises.domain.services import raise_request, record_meeting
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.figures import figures_by_book, hazards_in, year_figures
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.data.enterprises.test_services import solve
from tests.factories import MONDAY_0900

TZ = ZoneInfo("Asia/Shanghai")


def test_year_figures_hand_computed(ew: EnterpriseWorld) -> None:
    # Self-check book: 3 found in the year, 2 rectified (销号); 1 found the year before (not counted).
    s1 = ew.hazard(found_on=date(2026, 3, 1))
    s2 = ew.hazard(found_on=date(2026, 6, 1), grade=Grade.MAJOR)
    ew.hazard(found_on=date(2026, 11, 1), deadline=date(2026, 11, 10))  # open, overdue on 2026-11-23
    ew.hazard(found_on=date(2025, 12, 31))
    ew.rectify(s1)
    ew.rectify(s2)
    # Government + third party: 2 found, 1 rectified, 1 major; one resolved but not accepted is not rectified.
    g1 = ew.hazard(book=Book.GOVERNMENT, found_on=date(2026, 5, 5), grade=Grade.MAJOR)
    g2 = ew.hazard(book=Book.THIRD_PARTY, found_on=date(2026, 7, 7))
    ew.rectify(g1)
    ew.rectify(g2, accept=False)
    # Services: 3 requests, 2 solved, financing 3,000,000 + 0; 2 meetings in the year, 1 the year before.
    r1 = raise_request(
        actor=ew.w.operator,
        enterprise=ew.shipyard,
        request_type=RequestType.FINANCING,
        description="贷款",
        now=MONDAY_0900,
    )
    r2 = raise_request(
        actor=ew.w.operator,
        enterprise=ew.chemical,
        request_type=RequestType.APPROVAL,
        description="审批",
        now=MONDAY_0900,
    )
    raise_request(
        actor=ew.w.operator,
        enterprise=ew.chemical,
        request_type=RequestType.POLICY,
        description="政策",
        now=MONDAY_0900,
    )
    solve(ew, r1, Decimal("3000000"))
    solve(ew, r2)
    for day in (date(2025, 11, 1), date(2026, 1, 10), date(2026, 3, 10)):
        record_meeting(
            actor=ew.w.leader, town=ew.w.town, held_on=day, enterprises=[ew.shipyard], today=date(2026, 11, 23)
        )

    as_of = MONDAY_0900 + timedelta(hours=2)
    f = year_figures(town=ew.w.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=as_of)
    values = {key: figure.value for key, figure in f.items()}
    assert values == {
        "hazards_self_found": 3,
        "hazards_self_rectified": 2,
        "hazards_self_rate": Decimal("0.6667"),
        "hazards_gov_found": 2,
        "hazards_gov_rectified": 1,
        "hazards_gov_rate": Decimal("0.5000"),
        "hazards_major": 2,
        "service_requests": 3,
        "service_solved": 2,
        "service_meetings": 2,
        "financing_amount": Decimal("3000000.00"),
    }
    assert f["hazards_self_rectified"].cases is not None
    assert set(f["hazards_self_rectified"].cases.values_list("pk", flat=True)) == {s1.case_id, s2.case_id}
    # as of a moment before anything was accepted, nothing is rectified yet
    early = year_figures(
        town=ew.w.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=datetime(2026, 11, 1, tzinfo=TZ)
    )
    assert (early["hazards_self_rectified"].value, early["service_solved"].value) == (0, 0)
    # per book, with overdue
    lines = figures_by_book(
        hazards=hazards_in(town=ew.w.town, start=date(2026, 1, 1), end=date(2027, 1, 1)), as_of=as_of
    )
    assert [(x.label, x.found, x.rectified, x.overdue, x.major) for x in lines] == [
        ("企业自查", 3, 2, 1, 1),
        ("政府检查", 1, 1, 0, 1),
        ("第三方", 1, 0, 1, 0),  # deadline 2026-08-06 (30 days), not accepted by 2026-11-23
        ("政府端和第三方合计", 2, 1, 1, 1),
    ]


def test_rates_are_none_without_hazards(ew: EnterpriseWorld) -> None:
    f = year_figures(town=ew.w.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=MONDAY_0900)
    assert (f["hazards_self_rate"].value, f["hazards_gov_rate"].value, f["financing_amount"].value) == (
        None,
        None,
        Decimal(0),
    )
