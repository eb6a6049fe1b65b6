from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.domain.services import (
    next_meeting_due,
    raise_request,
    rate_request,
    record_meeting,
    solve_request,
)
from gridgov.data.enterprises.enums import RequestType
from gridgov.data.enterprises.models import ServiceRequest
from gridgov.data.errors import InvalidInput, NotAllowed
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900, photo


def solve(ew: EnterpriseWorld, request: ServiceRequest, amount: Decimal = Decimal(0)) -> None:
    w, t = ew.w, MONDAY_0900
    apply_action(case_id=request.case_id, actor=w.operator, action=Action.REGISTER, now=t + timedelta(minutes=1))
    apply_action(
        case_id=request.case_id,
        actor=w.operator,
        action=Action.DISPATCH,
        department=w.dept_b,
        now=t + timedelta(minutes=2),
    )
    apply_action(case_id=request.case_id, actor=w.handler_b, action=Action.SIGN, now=t + timedelta(minutes=3))
    solve_request(
        case_id=request.case_id,
        actor=w.handler_b,
        note="协调银行授信",
        financing_amount=amount,
        photos=photo(),
        now=t + timedelta(minutes=4),
    )
    apply_action(case_id=request.case_id, actor=w.operator, action=Action.VERIFY_PASS, now=t + timedelta(minutes=5))


def test_request_from_a_meeting_lifecycle_and_enterprise_rating(ew: EnterpriseWorld) -> None:
    meeting = record_meeting(
        actor=ew.w.leader,
        town=ew.w.town,
        held_on=date(2026, 11, 20),
        attendees="镇长、经发办主任",
        enterprises=[ew.shipyard, ew.chemical],
        today=date(2026, 11, 23),
    )
    assert meeting.title == "乡镇长有约（2026年11月20日）"
    request = raise_request(
        actor=ew.w.operator,
        enterprise=ew.shipyard,
        request_type=RequestType.FINANCING,
        description="扩建船台需要流动资金贷款",
        meeting=meeting,
        now=MONDAY_0900,
    )
    case = request.case
    assert (case.kind, case.category.code, case.enterprise_id) == (Kind.SERVICE, "FW02", ew.shipyard.pk)
    assert list(meeting.requests.all()) == [request]
    solve(ew, request, Decimal("5000000"))
    rate_request(
        case_id=request.case_id,
        actor=ew.shipyard_user,
        rating=Satisfaction.SATISFIED,
        now=MONDAY_0900 + timedelta(hours=1),
    )
    case.refresh_from_db()
    request.refresh_from_db()
    assert (case.status, case.satisfaction, request.financing_amount) == (
        Status.CLOSED,
        Satisfaction.SATISFIED,
        Decimal("5000000.00"),
    )
    # another enterprise may not rate it
    from gridgov.data.errors import OutOfScope

    with pytest.raises(OutOfScope):
        rate_request(case_id=request.case_id, actor=ew.chemical_user, rating=Satisfaction.UNSATISFIED)


def test_enterprise_raises_its_own_request_only(ew: EnterpriseWorld) -> None:
    request = raise_request(
        actor=ew.shipyard_user,
        enterprise=ew.shipyard,
        request_type=RequestType.LABOUR,
        description="招焊工20名",
        now=MONDAY_0900,
    )
    assert request.case.reporter_id == ew.shipyard_user.pk
    with pytest.raises(NotAllowed):
        raise_request(actor=ew.shipyard_user, enterprise=ew.chemical, request_type=RequestType.LABOUR, description="x")
    with pytest.raises(InvalidInput) as info:
        raise_request(actor=ew.shipyard_user, enterprise=ew.shipyard, request_type="loan", description="x")
    assert info.value.field == "request_type"
    assert Case.objects.count() == 1


def test_negative_financing_is_refused_and_the_case_unchanged(ew: EnterpriseWorld) -> None:
    request = raise_request(
        actor=ew.w.operator,
        enterprise=ew.shipyard,
        request_type=RequestType.FINANCING,
        description="贷款",
        now=MONDAY_0900,
    )
    with pytest.raises(InvalidInput) as info:
        solve_request(case_id=request.case_id, actor=ew.w.handler_b, note="x", financing_amount=Decimal("-1"))
    assert info.value.message == "协调融资金额不能为负数"


def test_meeting_rules(ew: EnterpriseWorld) -> None:
    with pytest.raises(NotAllowed):
        record_meeting(actor=ew.shipyard_user, town=ew.w.town, held_on=date(2026, 11, 1), enterprises=[ew.shipyard])
    with pytest.raises(InvalidInput) as info:
        record_meeting(actor=ew.w.leader, town=ew.w.town, held_on=date(2026, 11, 1), enterprises=[])
    assert info.value.message == "请至少选择一家参会企业"
    with pytest.raises(InvalidInput) as info:
        record_meeting(
            actor=ew.w.leader,
            town=ew.w.town,
            held_on=date(2026, 12, 1),
            enterprises=[ew.shipyard],
            today=date(2026, 11, 23),
        )
    assert info.value.message == "会议日期不能晚于今天"
    assert next_meeting_due(town=ew.w.town) is None
    record_meeting(
        actor=ew.w.leader,
        town=ew.w.town,
        held_on=date(2026, 11, 30),
        enterprises=[ew.shipyard],
        today=date(2026, 12, 1),
    )
    assert next_meeting_due(town=ew.w.town) == date(2027, 1, 28)
