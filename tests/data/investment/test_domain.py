"""Recording leads, moving them through their stages, funds arrived by month and the new enterprise of a landed
lead: each refusal a Chinese message naming the field, nothing written when refused, amounts as people type them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.investment.domain import (
    ArrivalInput,
    LeadInput,
    NewEnterpriseInput,
    advance_stage,
    record_arrival,
    record_lead,
    register_enterprise,
)
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import FundArrival, Lead, StageChange
from gridgov.data.org.models import Enterprise, User
from tests.data.investment.support import credit_code
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db
TODAY = WORLD_NOW.date()  # 2026-11-23


def _input(world: TownWorld, /, **changes: object) -> LeadInput:
    fields: dict[str, object] = {
        "town": world.town,
        "name": "船用设备配套项目",
        "source": Source.LEADER,
        "industry": Industry.PETROCHEMICAL,
        "lead_on": date(2026, 3, 2),
    }
    fields.update(changes)
    return LeadInput(**fields)


def _signed(world: TownWorld, actor: User, **changes: object) -> Lead:
    fields: dict[str, object] = {"talks_on": date(2026, 4, 1), "signed_on": date(2026, 5, 8), "signed_amount": "1.2亿"}
    data = _input(world, **{**fields, **changes})
    return record_lead(actor=actor, data=data, now=WORLD_NOW)


def test_a_lead_is_recorded_at_its_first_stage_with_its_history(world: TownWorld, investor: User):
    lead = record_lead(actor=investor, data=_input(world, person="孙招商"), now=WORLD_NOW)
    stored = Lead.objects.get()
    assert (stored.pk, stored.town_id, stored.stage, stored.lead_on, stored.signed_amount, stored.person) == (
        lead.pk, world.town.pk, Stage.LEAD, date(2026, 3, 2), None, "孙招商",
    )  # fmt: skip
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "reached_on", "by")) == [
        ("", Stage.LEAD, date(2026, 3, 2), investor.pk)
    ]


def test_a_lead_entered_late_keeps_the_day_of_each_stage_in_order(world: TownWorld):
    lead = _signed(world, world.operator)
    assert (lead.stage, lead.signed_on, lead.signed_amount, lead.is_billion) == (
        Stage.SIGNED, date(2026, 5, 8), Decimal("120000000.00"), True,
    )  # fmt: skip
    assert list(StageChange.objects.order_by("pk").values_list("from_stage", "to_stage", "reached_on")) == [
        ("", Stage.LEAD, date(2026, 3, 2)),
        (Stage.LEAD, Stage.TALKS, date(2026, 4, 1)),
        (Stage.TALKS, Stage.SIGNED, date(2026, 5, 8)),
    ]


@pytest.mark.parametrize(
    ("typed", "amount", "billion"),
    [
        ("1.2亿", Decimal("120000000.00"), True),
        ("1亿元", Decimal("100000000.00"), True),
        ("3,500万", Decimal("35000000.00"), False),
        ("９９９９万元", Decimal("99990000.00"), False),
        ("１．５亿", Decimal("150000000.00"), True),
        (Decimal("8000000"), Decimal("8000000.00"), False),
    ],
)
def test_the_signed_amount_is_read_as_typed_and_a_billion_project_follows_from_it(
    world: TownWorld, typed: object, amount: Decimal, billion: bool
):
    lead = _signed(world, world.operator, signed_amount=typed)
    assert (lead.signed_amount, lead.is_billion) == (amount, billion)
    assert set(Lead.objects.filter(signed_amount__gte=Decimal(100_000_000)).values_list("pk", flat=True)) == (
        {lead.pk} if billion else set()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "项目名称：必填项为空"),
        ({"source": "friends"}, "source", "招商方式：请选择一把手招商、乡贤招商、以商招商或其他"),
        ({"industry": "mining"}, "industry", "产业类别：请选择石化配套、船舶修造、水产加工、文旅或其他"),
        ({"lead_on": None}, "lead_on", "线索日期：必填项为空"),
        ({"lead_on": TODAY + timedelta(days=1)}, "lead_on", "线索日期：2026年11月24日尚未到来"),
        ({"signed_on": date(2026, 5, 1)}, "talks_on", "洽谈日期：已填写签约日期，须先填写洽谈日期"),
        (
            {"talks_on": date(2026, 3, 1)},
            "talks_on",
            "洽谈日期（2026年3月1日）早于线索日期（2026年3月2日）",
        ),
        ({"talks_on": date(2026, 4, 1), "signed_on": date(2026, 5, 1)}, "signed_amount", "签约须填写签约金额"),
        (
            {"talks_on": date(2026, 4, 1), "signed_on": date(2026, 5, 1), "signed_amount": "很多"},
            "signed_amount",
            "签约金额：“很多”不是金额",
        ),
        (
            {"talks_on": date(2026, 4, 1), "signed_on": date(2026, 5, 1), "signed_amount": "0"},
            "signed_amount",
            "签约金额必须大于0",
        ),
        ({"signed_amount": "500万"}, "signed_amount", "签约金额：项目尚未签约，请同时填写签约日期"),
        ({"enclave": True}, "enclave_place", "飞地所在地：飞地项目须填写飞地所在地"),
        ({"person": "孙" * 33}, "person", "责任人：最多32个字，现有33个字"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    world: TownWorld, changes: dict[str, object], field: str, message: str
):
    with pytest.raises(InvalidInput) as refused:
        record_lead(actor=world.operator, data=_input(world, **changes), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert (Lead.objects.count(), StageChange.objects.count()) == (0, 0)


def test_a_department_or_village_of_the_town_only(world: TownWorld):
    for changes, field in (({"village": world.grid_a}, "village"), ({"village": world.town}, "village")):
        with pytest.raises(InvalidInput) as refused:
            record_lead(actor=world.operator, data=_input(world, **changes), now=WORLD_NOW)
        assert refused.value.field == field
    lead = record_lead(
        actor=world.operator, data=_input(world, village=world.village_a, department=world.dept_b), now=WORLD_NOW
    )
    assert (lead.village_id, lead.department_id) == (world.village_a.pk, world.dept_b.pk)


def test_stages_move_forward_one_step_at_a_time(world: TownWorld, investor: User):
    lead = record_lead(actor=investor, data=_input(world), now=WORLD_NOW)
    advance_stage(actor=investor, lead=lead, stage=Stage.TALKS, on=date(2026, 4, 1), now=WORLD_NOW)
    with pytest.raises(InvalidInput) as skipped:
        advance_stage(actor=investor, lead=lead, stage=Stage.LANDED, on=date(2026, 6, 1), now=WORLD_NOW)
    assert (skipped.value.field, skipped.value.message) == ("stage", "阶段：须逐步推进，下一阶段为“签约”")
    with pytest.raises(InvalidInput) as back:
        advance_stage(actor=investor, lead=lead, stage=Stage.LEAD, on=date(2026, 6, 1), now=WORLD_NOW)
    assert back.value.message == "阶段：项目已处于“洽谈”，只能向前推进"
    with pytest.raises(InvalidInput) as unsigned:
        advance_stage(actor=investor, lead=lead, stage=Stage.SIGNED, on=date(2026, 6, 1), now=WORLD_NOW)
    assert (unsigned.value.field, unsigned.value.message) == ("signed_amount", "签约须填写签约金额")
    with pytest.raises(InvalidInput) as early:
        advance_stage(
            actor=investor, lead=lead, stage=Stage.SIGNED, on=date(2026, 3, 31), now=WORLD_NOW, signed_amount="1亿"
        )
    assert (early.value.field, early.value.message) == (
        "signed_on",
        "签约日期（2026年3月31日）早于洽谈日期（2026年4月1日）",
    )
    with pytest.raises(InvalidInput) as future:
        advance_stage(
            actor=investor, lead=lead, stage=Stage.SIGNED, on=TODAY + timedelta(days=1), now=WORLD_NOW,
            signed_amount="1亿",
        )  # fmt: skip
    assert future.value.message == "签约日期：2026年11月24日尚未到来"
    stored = Lead.objects.get()
    assert (stored.stage, stored.signed_on, stored.signed_amount, StageChange.objects.count()) == (
        Stage.TALKS, None, None, 2,
    )  # fmt: skip
    advance_stage(
        actor=investor, lead=lead, stage=Stage.SIGNED, on=date(2026, 6, 1), now=WORLD_NOW, signed_amount="3,500万"
    )
    moved = advance_stage(actor=world.leader, lead=lead, stage=Stage.LANDED, on=date(2026, 6, 1), now=WORLD_NOW)
    assert (moved.stage, moved.signed_amount, moved.landed_on) == (Stage.LANDED, Decimal(35_000_000), date(2026, 6, 1))
    assert list(StageChange.objects.order_by("pk").values_list("to_stage", "by")[2:]) == [
        (Stage.SIGNED, investor.pk),
        (Stage.LANDED, world.leader.pk),
    ]


@pytest.mark.parametrize("persona", ["handler_a", "grid_worker_a", "village_staff_a", "resident", "enterprise"])
def test_who_may_not_keep_the_ledger_is_refused(world: TownWorld, persona: str):
    with pytest.raises(NotAllowed) as refused:
        record_lead(actor=getattr(world, persona), data=_input(world), now=WORLD_NOW)
    assert refused.value.message == "您无权登记岱西镇的招商引资信息"
    assert Lead.objects.count() == 0


def test_arrivals_are_recorded_by_month_and_a_second_entry_corrects(world: TownWorld, investor: User):
    lead = _signed(world, investor)
    first = record_arrival(
        actor=investor, data=ArrivalInput(lead=lead, year="2026年", month="６月", amount="3,500万"), now=WORLD_NOW
    )
    later = WORLD_NOW + timedelta(hours=2)
    again = record_arrival(
        actor=world.operator, data=ArrivalInput(lead=lead, year=2026, month=6, amount="0.4亿", note="更正"), now=later
    )
    record_arrival(actor=investor, data=ArrivalInput(lead=lead, year=2026, month=11, amount="１２００万"), now=later)
    assert again.pk == first.pk
    assert list(FundArrival.objects.order_by("month").values_list("month", "amount", "note", "town")) == [
        (6, Decimal("40000000.00"), "更正", world.town.pk),
        (11, Decimal("12000000.00"), "", world.town.pk),
    ]
    stored = FundArrival.objects.get(pk=first.pk)
    assert (stored.created_by_id, stored.updated_by_id, stored.updated_at) == (investor.pk, world.operator.pk, later)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "很多"}, "amount", "到位资金：“很多”不是金额"),
        ({"amount": ""}, "amount", "到位资金：必填项为空"),
        ({"amount": "-5万"}, "amount", "到位资金不能为负数"),
        ({"month": 12}, "month", "月份：2026年12月尚未到来"),
        ({"year": 2027, "month": 1}, "month", "月份：2027年1月尚未到来"),
        ({"month": 4}, "month", "月份：2026年4月早于签约（2026年5月8日）"),
        ({"month": 13}, "month", "月份：应为1至12，而不是13"),
        ({"month": "六"}, "month", "月份：“六”不是整数"),
    ],
)
def test_a_bad_arrival_is_refused_naming_the_field(
    world: TownWorld, investor: User, changes: dict[str, object], field: str, message: str
):
    lead = _signed(world, investor)
    fields: dict[str, object] = {"lead": lead, "year": 2026, "month": 6, "amount": "100万"}
    fields.update(changes)
    with pytest.raises(InvalidInput) as refused:
        record_arrival(actor=investor, data=ArrivalInput(**fields), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert FundArrival.objects.count() == 0


def test_an_unsigned_lead_has_no_arrivals(world: TownWorld, investor: User):
    lead = record_lead(actor=investor, data=_input(world), now=WORLD_NOW)
    with pytest.raises(InvalidInput) as refused:
        record_arrival(actor=investor, data=ArrivalInput(lead=lead, year=2026, month=6, amount="1万"), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == ("lead", "到位资金：项目“船用设备配套项目”尚未签约")
    with pytest.raises(NotAllowed):
        record_arrival(
            actor=world.handler_a, data=ArrivalInput(lead=lead, year=2026, month=6, amount="1万"), now=WORLD_NOW
        )
    assert FundArrival.objects.count() == 0


def _landed(world: TownWorld, actor: User) -> Lead:
    return _signed(world, actor, landed_on=date(2026, 7, 1), village=world.village_a)


def test_a_landed_lead_registers_its_new_enterprise_in_the_enterprise_ledger(world: TownWorld, investor: User):
    lead = _landed(world, investor)
    name = "岱西船舶配套有限公司"
    data = NewEnterpriseInput(credit_code=credit_code(1).lower(), name=name, registered_on=date(2026, 7, 9))
    enterprise = register_enterprise(actor=investor, lead=lead, data=data, now=WORLD_NOW)
    stored = Enterprise.objects.get()
    assert (stored.pk, stored.town_id, stored.name, stored.credit_code, stored.village_id) == (
        enterprise.pk, world.town.pk, "岱西船舶配套有限公司", credit_code(1), world.village_a.pk,
    )  # fmt: skip
    lead.refresh_from_db()
    assert (lead.enterprise_id, lead.enterprise_on) == (enterprise.pk, date(2026, 7, 9))
    with pytest.raises(Conflict):
        register_enterprise(actor=investor, lead=lead, data=data, now=WORLD_NOW)


def test_an_enterprise_already_in_the_ledger_is_linked_not_created_twice(world: TownWorld, investor: User):
    existing = Enterprise.objects.create(town=world.town, name="已登记企业", credit_code=credit_code(2))
    lead = _landed(world, investor)
    data = NewEnterpriseInput(credit_code=credit_code(2), name="另一个名字", registered_on=date(2026, 7, 9))
    assert register_enterprise(actor=investor, lead=lead, data=data, now=WORLD_NOW).pk == existing.pk
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["已登记企业"]
    second = _landed(world, investor)
    with pytest.raises(Conflict) as refused:
        register_enterprise(actor=investor, lead=second, data=data, now=WORLD_NOW)
    assert refused.value.message == f"统一社会信用代码 {credit_code(2)} 的企业已是项目“船用设备配套项目”的新增企业"
    second.refresh_from_db()
    assert second.enterprise_id is None


@pytest.mark.parametrize(
    ("code", "name", "registered_on", "field", "message_start"),
    [
        ("91330921000000001X", "某公司", date(2026, 7, 9), "credit_code", "统一社会信用代码“91330921000000001X”"),
        (credit_code(3)[:17] + "0" if credit_code(3)[17] != "0" else credit_code(3)[:17] + "1", "某公司",
         date(2026, 7, 9), "credit_code", "统一社会信用代码"),
        (credit_code(3), " ", date(2026, 7, 9), "name", "请填写企业名称"),
        (credit_code(3), "某公司", None, "registered_on", "企业注册日期：必填项为空"),
        (credit_code(3), "某公司", TODAY + timedelta(days=1), "registered_on", "企业注册日期：2026年11月24日尚未到来"),
    ],
)  # fmt: skip
def test_a_bad_enterprise_is_refused_and_nothing_is_written(
    world: TownWorld, investor: User, code: str, name: str, registered_on: date | None, field: str, message_start: str
):
    lead = _landed(world, investor)
    data = NewEnterpriseInput(credit_code=code, name=name, registered_on=registered_on)
    with pytest.raises(InvalidInput) as refused:
        register_enterprise(actor=investor, lead=lead, data=data, now=WORLD_NOW)
    assert refused.value.field == field
    assert refused.value.message.startswith(message_start)
    lead.refresh_from_db()
    assert (Enterprise.objects.count(), lead.enterprise_id) == (0, None)


def test_a_lead_not_landed_has_no_enterprise_yet(world: TownWorld, investor: User):
    lead = _signed(world, investor)
    data = NewEnterpriseInput(credit_code=credit_code(4), name="某公司", registered_on=date(2026, 7, 9))
    with pytest.raises(InvalidInput) as refused:
        register_enterprise(actor=investor, lead=lead, data=data, now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == (
        "stage",
        "新增企业：项目“船用设备配套项目”尚未落地，落地后方可登记企业",
    )
    assert Enterprise.objects.count() == 0
