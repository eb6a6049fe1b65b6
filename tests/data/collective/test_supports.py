"""Enterprises' help to villages (企业助农: 村企结对, 共富工坊): recorded with the amount as typed, each refusal naming
its field with nothing written, who records for which village, who sees which, and the year's count and total."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gridgov.data.access import permissions
from gridgov.data.cases.figures import Figure
from gridgov.data.collective.domain import SupportInput, record_support
from gridgov.data.collective.enums import SupportKind
from gridgov.data.collective.figures import support_figures
from gridgov.data.collective.models import VillageSupport
from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise
from gridgov.data.reports.domain.year_review import review_sentences
from tests.data.enterprises.conftest import valid_code
from tests.factories import WORLD_NOW, WORLD_TODAY, TownWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipyard(world: TownWorld) -> Enterprise:
    return create_enterprise(town=world.town, name="岱西船舶修造有限公司", credit_code=valid_code("91330921MA2A0B1C2"))


def _input(village: Area | None, /, **changes: object) -> SupportInput:
    fields: dict[str, object] = {
        "village": village,
        "kind": SupportKind.PAIRING,
        "on": WORLD_TODAY,
        "amount": "5万",
        "partner": "岱山县农商银行",
        "people": "12",
    }
    fields.update(changes)
    return SupportInput(**fields)


def test_a_pairing_with_an_enterprise_is_recorded(world: TownWorld, shipyard: Enterprise):
    data = _input(world.village_a, enterprise=shipyard, partner="不用", people="３０人", note=" 助销海产 ")
    support = record_support(actor=world.village_staff_a, data=data, now=WORLD_NOW)
    stored = VillageSupport.objects.get()
    assert (stored.pk, stored.town_id, stored.year, stored.enterprise_id, stored.partner, stored.amount) == (
        support.pk, world.town.pk, WORLD_TODAY.year, shipyard.pk, "", Decimal("50000.00"),
    )  # fmt: skip
    assert (stored.people, stored.note, stored.partner_name, stored.created_by) == (
        30, "助销海产", "岱西船舶修造有限公司", world.village_staff_a,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"village": None}, "village", "村：请选择一个村（社区）"),
        ({"kind": "donation"}, "kind", "助农类型：请选择村企结对或共富工坊"),
        ({"partner": "  "}, "partner", "结对单位：请选择企业或填写结对单位名称"),
        ({"partner": "某" * 101}, "partner", "结对单位：名称不能超过100个字"),
        ({"on": None}, "on", "日期：必填项为空"),
        ({"amount": "一万"}, "amount", "帮扶金额：“一万”不是金额"),
        ({"amount": "-5"}, "amount", "帮扶金额不能为负数"),
        ({"people": "十二"}, "people", "带动就业或受益人数：“十二”不是人数"),
    ],
)
def test_each_refusal_names_its_field_and_writes_nothing(world: TownWorld, changes, field: str, message: str):
    with pytest.raises(InvalidInput) as refused:
        record_support(actor=world.operator, data=_input(world.village_a, **changes), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert VillageSupport.objects.count() == 0


def test_a_day_not_yet_come_and_a_grid_are_refused(world: TownWorld):
    tomorrow = WORLD_TODAY + timedelta(days=1)
    with pytest.raises(InvalidInput) as future:
        record_support(actor=world.operator, data=_input(world.village_a, on=tomorrow), now=WORLD_NOW)
    assert (future.value.field, future.value.message) == ("on", f"日期：{tomorrow.isoformat()}尚未到来")
    with pytest.raises(InvalidInput) as grid:
        record_support(actor=world.operator, data=_input(world.grid_a), now=WORLD_NOW)
    assert grid.value.field == "village"
    assert VillageSupport.objects.count() == 0


def test_an_enterprise_of_another_town_is_refused(world: TownWorld):
    other = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    stranger = create_enterprise(town=other, name="衢山渔业公司", credit_code=valid_code("91330921MA2A0B1D3"))
    with pytest.raises(InvalidInput) as refused:
        record_support(actor=world.operator, data=_input(world.village_a, enterprise=stranger), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == ("enterprise", "企业：衢山渔业公司不在该村所在的乡镇")


@pytest.mark.parametrize(
    ("persona", "may_a", "may_b"),
    [
        ("operator", True, True),
        ("admin", True, True),
        ("village_staff_a", True, False),
        ("leader", False, False),
        ("handler_a", False, False),
    ],
)
def test_who_records_for_which_village(world: TownWorld, persona: str, may_a: bool, may_b: bool):
    answers = []
    for village in (world.village_a, world.village_b):
        try:
            record_support(actor=getattr(world, persona), data=_input(village), now=WORLD_NOW)
            answers.append(True)
        except (NotAllowed, InvalidInput):
            answers.append(False)
    assert answers == [may_a, may_b]
    assert VillageSupport.objects.count() == [may_a, may_b].count(True)


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("operator", {"a", "b"}), ("leader", {"a", "b"}), ("village_staff_a", {"a"}), ("handler_a", set())],
)
def test_each_role_sees_its_villages_records(world: TownWorld, persona: str, seen: set[str]):
    made = {
        record_support(actor=world.operator, data=_input(v), now=WORLD_NOW).pk: name
        for name, v in (("a", world.village_a), ("b", world.village_b))
    }
    visible = permissions.visible_supports(getattr(world, persona)).values_list("pk", flat=True)
    assert {made[pk] for pk in visible} == seen


def test_the_years_count_and_total(world: TownWorld):
    year = WORLD_TODAY.year
    record_support(actor=world.operator, data=_input(world.village_a, amount="5万"), now=WORLD_NOW)
    workshop = _input(world.village_b, kind=SupportKind.WORKSHOP, amount="2.5万", on=date(year, 3, 1))
    record_support(actor=world.operator, data=workshop, now=WORLD_NOW)
    last_year = _input(world.village_b, amount="9万", on=date(year - 1, 12, 31))
    record_support(actor=world.operator, data=last_year, now=WORLD_NOW)
    found = support_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    assert (found["village_supports"].value, found["village_support_amount"].value) == (2, Decimal(75000))
    assert (found["villages_paired"].value, found["village_workshops"].value) == (1, 1)
    before = support_figures(
        town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=WORLD_NOW - timedelta(seconds=1)
    )
    assert (before["village_supports"].value, before["village_support_amount"].value) == (0, Decimal(0))


def _year(world: TownWorld) -> dict[str, Figure]:
    year = WORLD_TODAY.year
    return support_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())


def _support_sentence(found: dict[str, Figure]) -> str:
    sentences = {s.topic: s for s in review_sentences({"collective_supports": found})}
    return sentences[translation.pgettext("year review topic", "企业助农")].text


def test_the_year_review_sentence(world: TownWorld):
    year = WORLD_TODAY.year
    for village, amount in ((world.village_a, "5万"), (world.village_b, "9.3万"), (world.village_b, "45000")):
        record_support(actor=world.operator, data=_input(village, amount=amount), now=WORLD_NOW)
    found = support_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    assert _support_sentence(found) == "全镇2个村实现村企结对，累计实现企业助农18.8万元。"
    with translation.override("en"):
        assert _support_sentence(_year(world)) == (
            "Across the town, 2 villages paired with enterprises, enterprises' support to the villages totalled"
            " 188,000 yuan."
        )
    workshop = _input(world.village_a, kind=SupportKind.WORKSHOP, amount="1.2万", on=date(year, 6, 1))
    record_support(actor=world.operator, data=workshop, now=WORLD_NOW)
    found = support_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    assert _support_sentence(found) == "全镇2个村实现村企结对，搭建1个共富工坊，累计实现企业助农20万元。"
    with translation.override("en"):
        assert _support_sentence(_year(world)) == (
            "Across the town, 2 villages paired with enterprises, set up 1 common prosperity workshop; enterprises'"
            " support to the villages totalled 200,000 yuan."
        )
    only_workshops = {**found, "villages_paired": Figure("", 0, "")}
    assert _support_sentence(only_workshops) == "全镇搭建1个共富工坊，累计实现企业助农20万元。"
