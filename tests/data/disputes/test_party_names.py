"""A party whose kind is not given is told by its name (``disputes.names``): an organisation only by a clear
organisation's ending, a typical personal name — or a doubtful one — a person, so that a guess that goes wrong masks
a company rather than showing a person in full."""

from __future__ import annotations

from gridgov.data.disputes.domain import PartyInput, kind_of_name, parties_shown, register_dispute
from gridgov.data.disputes.importers import DISPUTES
from gridgov.data.disputes.models import DisputeParty
from gridgov.data.sheets.framework import ImportContext, import_sheet
from tests.factories import MONDAY_0900, TownWorld
from tests.sheets import workbook

PEOPLE = [
    "张三",
    "欧阳锋",
    "欧阳建国",  # a compound surname and a two-character given name
    "司马立厂",  # … whatever it ends in
    "黄杨建局",  # two surnames, ending in a character a firm's name may end in
    "王陈小店",
    "陈家小店",  # a family shop: doubtful, so masked (its 当事人类型 says 单位 when it is one)
    "东海渔业",  # no organisation's ending
]
ORGANISATIONS = [
    "岱西船舶修造有限公司",
    "双合村股份经济合作社",
    "双合村村委会",
    "岱西镇人民政府",
    "金海经营部",
    "李记商行",  # a clear ending wins over a surname
    "岱西综合服务中心",
    "岱西中心小学",
    "岱西镇卫生院",
    "舟山船厂",  # 厂 after a place, not a surname
    "岱西油站",
    "岱山县公安局",  # 局 in a name of five characters or more
    "岱西水产加工厂",
]


def test_a_name_is_an_organisation_only_by_a_clear_organisations_ending() -> None:
    assert [kind_of_name(name) for name in PEOPLE] == ["person"] * len(PEOPLE)
    assert [kind_of_name(name) for name in ORGANISATIONS] == ["organisation"] * len(ORGANISATIONS)


def test_a_person_whose_name_ends_like_a_firm_is_masked_on_a_form_and_in_an_import(world: TownWorld) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="labour",
        description="拖欠工资",
        parties=[PartyInput(name="黄杨建局"), PartyInput(name="舟山船厂")],
        department=world.dept_a,
        now=MONDAY_0900,
    )
    assert [(p.kind, p.name) for p in parties_shown(dispute)] == [("person", "黄***"), ("organisation", "舟山船厂")]
    headers = ["受理编号", "类型", "受理日期", "当事人", "当事人类型", "事由", "承办单位"]
    rows = [["LD-1", "劳资纠纷", "2026-11-02", "司马立厂", "", "拖欠工资", "ZFZ"]]
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=DISPUTES, content=workbook(headers, rows), ctx=ctx)
    assert (report.imported, report.errors) == (1, [])
    assert list(DisputeParty.objects.filter(dispute__import_key="LD-1").values_list("kind", flat=True)) == ["person"]
