from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.enterprises.domain.hazards import HazardInput, accept_hazard, record_hazard
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.models import Hazard
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.taxonomy.enums import Priority
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900


def test_self_check_hazard_is_a_hazard_case_of_the_enterprise(ew: EnterpriseWorld) -> None:
    hazard = ew.hazard()
    case = hazard.case
    assert (case.kind, case.channel, case.status, case.enterprise_id) == (
        Kind.HAZARD,
        Channel.ENTERPRISE,
        Status.REPORTED,
        ew.shipyard.pk,
    )
    assert (case.area_id, case.village_id, case.priority) == (ew.w.village_a.pk, ew.w.village_a.pk, Priority.NORMAL)
    assert case.title == "岱西船舶修造有限公司：1号车间"
    # general hazard: 30 natural days from the found date
    assert hazard.deadline == date(2026, 12, 23)
    assert case.supervision_count == 0


def test_major_hazard_is_supervised_and_has_a_stricter_deadline(ew: EnterpriseWorld) -> None:
    hazard = ew.hazard(grade=Grade.MAJOR)
    case = hazard.case
    assert case.priority == Priority.MAJOR
    assert hazard.deadline == date(2026, 12, 8)  # 15 natural days
    actions = list(CaseAction.objects.filter(case=case).order_by("seq").values_list("action", "actor_id", "note"))
    assert actions == [
        (Action.REPORT, ew.shipyard_user.pk, ""),
        (Action.SUPERVISE, ew.w.leader.pk, "重大隐患，自动挂牌督办"),
    ]
    assert case.supervision_count == 1
    ew.rectify(hazard, accept=False)
    case.refresh_from_db()
    # handling deadline from the major time limit: 15 natural days after dispatch (09:02)
    assert case.handle_deadline is not None
    assert case.dispatched_at is not None
    assert (case.handle_deadline - case.dispatched_at).days == 15


def test_full_lifecycle_to_acceptance_and_close(ew: EnterpriseWorld) -> None:
    hazard = ew.rectify(ew.hazard())
    assert hazard.case.status == Status.CLOSED
    assert (hazard.measures, hazard.funds, hazard.rectified_on) == (
        "已更换接地线",
        Decimal("1200.50"),
        date(2026, 11, 23),
    )
    assert (hazard.acceptor, hazard.accepted_on) == ("王验收", date(2026, 11, 23))
    assert list(CaseAction.objects.filter(case=hazard.case).order_by("seq").values_list("action", flat=True)) == [
        Action.REPORT,
        Action.REGISTER,
        Action.DISPATCH,
        Action.SIGN,
        Action.RESOLVE,
        Action.VERIFY_PASS,
    ]


def test_acceptance_before_found_date_changes_nothing(ew: EnterpriseWorld) -> None:
    hazard = ew.rectify(ew.hazard(found_on=date(2026, 11, 20)), accept=False)
    with pytest.raises(InvalidInput) as info:
        accept_hazard(
            case_id=hazard.case_id,
            actor=ew.w.operator,
            acceptor="王验收",
            accepted_on=date(2026, 11, 19),
            now=MONDAY_0900,
        )
    assert (info.value.field, info.value.message) == ("accepted_on", "验收日期不能早于发现日期")
    hazard.refresh_from_db()
    case = Case.objects.get(pk=hazard.case_id)
    assert (case.status, hazard.accepted_on, hazard.acceptor) == (Status.RESOLVED, None, "")
    with pytest.raises(InvalidInput) as info:
        accept_hazard(
            case_id=hazard.case_id, actor=ew.w.operator, acceptor=" ", accepted_on=date(2026, 11, 23), now=MONDAY_0900
        )
    assert info.value.field == "acceptor"


def test_enterprise_may_only_enter_its_own_self_check_book(ew: EnterpriseWorld) -> None:
    with pytest.raises(NotAllowed) as info:
        ew.hazard(book=Book.GOVERNMENT, actor=ew.shipyard_user)
    assert info.value.message == "企业只能登记本企业的自查隐患"
    with pytest.raises(NotAllowed) as info:
        ew.hazard(enterprise=ew.chemical, actor=ew.shipyard_user)
    assert info.value.message == "您无权为“岱西石化储运有限公司”登记"
    with pytest.raises(NotAllowed):
        ew.hazard(actor=ew.w.resident)
    assert (Hazard.objects.count(), Case.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"location": " "}, "location", "请填写隐患部位"),
        ({"description": ""}, "description", "请填写隐患描述"),
        ({"found_on": date(2026, 11, 24)}, "found_on", "发现日期不能晚于今天"),
        ({"deadline": date(2026, 11, 1)}, "deadline", "整改期限不能早于发现日期"),
        ({"funds": Decimal("-1")}, "funds", "整改资金不能为负数"),
    ],
)
def test_bad_hazard_input_is_refused_and_nothing_is_written(ew: EnterpriseWorld, changes, field, message) -> None:
    values = {
        "enterprise": ew.shipyard,
        "book": Book.SELF,
        "grade": Grade.GENERAL,
        "category": ew.fire,
        "location": "仓库",
        "description": "灭火器过期",
        "found_on": date(2026, 11, 20),
        **changes,
    }
    with pytest.raises(InvalidInput) as info:
        record_hazard(actor=ew.shipyard_user, data=HazardInput(**values), now=MONDAY_0900)
    assert (info.value.field, info.value.message) == (field, message)
    assert Case.objects.count() == 0
