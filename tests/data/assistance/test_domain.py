"""Recording assistance: payments to households, veterans' cards applied → issued, day care; bad input refused
in Chinese, naming the field, with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from gridgov.data.assistance.domain import (
    PaymentInput,
    _insert_once,
    apply_card,
    issue_card,
    record_attendance,
    record_payment,
)
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import DayCareAttendance, Payment, VeteranCard
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.people.models import Household
from tests.data.assistance.people import head, household, person
from tests.factories import WORLD_TODAY, TownWorld


def _data(hh: Household | None, **changes: object) -> PaymentInput:
    fields = {"household": hh, "kind": PaymentKind.MINIMUM_LIVING, "amount": "1,200", "paid_on": WORLD_TODAY}
    return PaymentInput(**{**fields, **changes})


def test_a_payment_is_recorded_with_its_household_person_and_department(world: TownWorld):
    hh = household(world, world.village_a, "A-001", "张阿大", serial=1)
    son = person(world, hh, "张小明", serial=2)
    payment = record_payment(
        town=world.town,
        actor=world.operator,
        data=_data(hh, resident=son, kind=PaymentKind.CONDOLENCE, amount="1.2万", source="县级财政",
                   department=world.dept_a),
    )  # fmt: skip
    stored = Payment.objects.get(pk=payment.pk)
    assert (stored.household, stored.resident, stored.kind, stored.amount, stored.paid_on) == (
        hh, son, PaymentKind.CONDOLENCE, Decimal("12000.00"), WORLD_TODAY
    )  # fmt: skip
    assert (stored.source, stored.department, stored.recorded_by) == ("县级财政", world.dept_a, world.operator)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"household": None}, "household", "请选择发放对象所在的户"),
        ({"amount": "0"}, "amount", "金额必须大于0"),
        ({"amount": "-1"}, "amount", "金额不能为负数"),
        ({"amount": "abc"}, "amount", "金额：“abc”不是金额"),
        ({"paid_on": WORLD_TODAY + timedelta(days=1)}, "paid_on", "发放日期不能晚于今天"),
        ({"paid_on": None}, "paid_on", "请填写发放日期"),
        ({"kind": "bonus"}, "kind", "类型“bonus”无效"),
    ],
)
def test_bad_payments_are_refused_naming_the_field(world: TownWorld, changes, field, message):
    hh = household(world, world.village_a, "A-001", "张阿大", serial=1)
    with pytest.raises(InvalidInput) as refused:
        record_payment(town=world.town, actor=world.operator, data=_data(hh, **changes))
    assert (refused.value.field, refused.value.message) == (field, message)
    assert Payment.objects.count() == 0


def test_a_payment_for_a_person_of_another_household_is_refused(world: TownWorld):
    hh = household(world, world.village_a, "A-001", "张阿大", serial=1)
    other = household(world, world.village_b, "B-001", "李阿二", serial=3)
    with pytest.raises(InvalidInput) as refused:
        record_payment(town=world.town, actor=world.operator, data=_data(hh, resident=head(other)))
    assert (refused.value.field, refused.value.message) == ("resident", "所选人员不在该户中")
    assert Payment.objects.count() == 0


def test_a_card_is_applied_for_then_issued(world: TownWorld):
    veteran = head(household(world, world.village_a, "A-001", "陈老兵", serial=4))
    applied = WORLD_TODAY - timedelta(days=30)
    card = apply_card(town=world.town, actor=world.operator, resident=veteran, applied_on=applied)
    issue_card(card=card, actor=world.operator, issued_on=WORLD_TODAY, number="YDZ-001")
    stored = VeteranCard.objects.get(pk=card.pk)
    assert (stored.applied_on, stored.issued_on, stored.number) == (applied, WORLD_TODAY, "YDZ-001")


def test_a_card_is_not_issued_before_it_was_applied_for_nor_in_the_future(world: TownWorld):
    veteran = head(household(world, world.village_a, "A-001", "陈老兵", serial=4))
    card = apply_card(town=world.town, actor=world.operator, resident=veteran, applied_on=WORLD_TODAY)
    for day, message in [
        (WORLD_TODAY - timedelta(days=1), "发放日期不能早于申请日期"),
        (WORLD_TODAY + timedelta(days=1), "发放日期不能晚于今天"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            issue_card(card=card, actor=world.operator, issued_on=day)
        assert (refused.value.field, refused.value.message) == ("issued_on", message)
    assert VeteranCard.objects.get(pk=card.pk).issued_on is None


def test_a_person_applies_for_one_card_only(world: TownWorld):
    veteran = head(household(world, world.village_a, "A-001", "陈老兵", serial=4))
    apply_card(town=world.town, actor=world.operator, resident=veteran, applied_on=WORLD_TODAY)
    with pytest.raises(InvalidInput) as refused:
        apply_card(town=world.town, actor=world.operator, resident=veteran, applied_on=WORLD_TODAY)
    assert (refused.value.field, refused.value.message) == ("resident", "该人员已申请过优待证")
    assert VeteranCard.objects.count() == 1


def test_day_care_is_recorded_once_per_person_per_day(world: TownWorld):
    person_ = head(household(world, world.village_a, "A-001", "刘某", serial=5))
    record_attendance(
        town=world.town, actor=world.operator, resident=person_, day=WORLD_TODAY, provider="双合村照料中心"
    )
    with pytest.raises(InvalidInput) as refused:
        record_attendance(town=world.town, actor=world.operator, resident=person_, day=WORLD_TODAY, provider="别处")
    assert (refused.value.field, refused.value.message) == ("day", "该人员当天已有照料记录")
    with pytest.raises(InvalidInput) as future:
        record_attendance(
            town=world.town, actor=world.operator, resident=person_, day=WORLD_TODAY + timedelta(days=1), provider="x"
        )
    assert (future.value.field, future.value.message) == ("day", "日期不能晚于今天")
    assert list(DayCareAttendance.objects.values_list("day", "provider")) == [(WORLD_TODAY, "双合村照料中心")]


def test_a_twin_written_by_another_writer_in_between_is_refused_with_the_same_message(world: TownWorld):
    """The check before the write finds nothing (another writer has not committed yet); the database's unique
    constraint then refuses the row, and the same Chinese message names the field (never a server error)."""
    person_ = head(household(world, world.village_a, "A-001", "刘某", serial=5))
    first = record_attendance(
        town=world.town, actor=world.operator, resident=person_, day=WORLD_TODAY, provider="双合村照料中心"
    )
    twin = DayCareAttendance(
        town=world.town, resident=person_, day=WORLD_TODAY, provider="别处", created_at=first.created_at
    )
    with pytest.raises(InvalidInput) as refused:
        _insert_once(twin, taken=DayCareAttendance.objects.none(), message="该人员当天已有照料记录", field="day")
    assert (refused.value.field, refused.value.message) == ("day", "该人员当天已有照料记录")
    assert list(DayCareAttendance.objects.values_list("day", "provider")) == [(WORLD_TODAY, "双合村照料中心")]


def test_the_domain_refuses_those_who_may_not_record(world: TownWorld):
    a = household(world, world.village_a, "A-001", "张阿大", serial=1)
    b = household(world, world.village_b, "B-001", "李阿二", serial=2)
    refusals: list[Callable[[], object]] = [
        lambda: record_payment(town=world.town, actor=world.grid_worker_a, data=_data(a)),
        lambda: record_payment(town=world.town, actor=world.village_staff_a, data=_data(b)),
        lambda: record_payment(town=world.town, actor=world.handler_a, data=_data(a, department=world.dept_b)),
        lambda: apply_card(town=world.town, actor=world.leader, resident=head(a), applied_on=WORLD_TODAY),
        lambda: record_attendance(
            town=world.town, actor=world.village_staff_b, resident=head(a), day=WORLD_TODAY, provider="中心"
        ),
    ]
    for refused in refusals:
        with pytest.raises(NotAllowed) as error:
            refused()
        assert error.value.message == "您无权以该部门为该户登记救助帮扶"
    assert (Payment.objects.count(), VeteranCard.objects.count(), DayCareAttendance.objects.count()) == (0, 0, 0)
    record_payment(town=world.town, actor=world.village_staff_a, data=_data(a))
    record_payment(town=world.town, actor=world.handler_a, data=_data(a, department=world.dept_a))
    card = apply_card(town=world.town, actor=world.operator, resident=head(b), applied_on=WORLD_TODAY)
    with pytest.raises(NotAllowed):
        issue_card(card=card, actor=world.village_staff_a, issued_on=WORLD_TODAY)
    assert Payment.objects.count() == 2
