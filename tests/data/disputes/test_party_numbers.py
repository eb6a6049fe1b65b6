"""A party's 证件号码 by its kind: a person's resident ID number (GB 11643), an organisation's 统一社会信用代码
(GB 32100), each refused with a message saying which number the kind takes; shown by the disclosure rule (a
person's masked, an organisation's in full); and the import's 当事人类型 column."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from gridgov.data.disputes.domain import PartyInput, check_party_number, parties_shown, register_dispute
from gridgov.data.disputes.enums import PartyKind
from gridgov.data.disputes.importers import DISPUTES
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import InvalidInput
from gridgov.data.org.credit_code import check_character
from gridgov.data.sheets.framework import ImportContext, import_sheet
from gridgov.data.sheets.workbooks import template_workbook
from tests.data.disputes.test_disputes import valid_id
from tests.factories import MONDAY_0900, TownWorld
from tests.sheets import workbook

CREDIT_CODE = "91330921MA2A3B4C5" + check_character("91330921MA2A3B4C5")
ID_NUMBER = valid_id("33092119900101123")
ORGANISATION_GIVEN_AN_ID = (
    "单位当事人请填写18位统一社会信用代码，330921********1237 是身份证号；当事人是个人的，请将当事人类型选为“个人”"
)


def refusal(value: str, kind: PartyKind) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        check_party_number(value, kind=kind)
    return caught.value.field or "", caught.value.message


def test_an_organisation_takes_a_credit_code_and_a_person_an_id_number() -> None:
    spaced = f" {CREDIT_CODE[:8].lower()} {CREDIT_CODE[8:].lower()} "
    assert check_party_number(spaced, kind=PartyKind.ORGANISATION) == CREDIT_CODE
    dashed = f"{CREDIT_CODE[:4]}-{CREDIT_CODE[4:8]}－{CREDIT_CODE[8:]}"  # a hyphen and a full-width one
    assert check_party_number(dashed, kind=PartyKind.ORGANISATION) == CREDIT_CODE
    assert check_party_number(ID_NUMBER, kind=PartyKind.PERSON) == ID_NUMBER
    assert check_party_number("  ", kind=PartyKind.ORGANISATION) == ""


def test_each_wrong_number_is_refused_with_what_the_kind_takes() -> None:
    wrong_check = CREDIT_CODE[:17] + ("0" if CREDIT_CODE[17] != "0" else "1")
    assert [
        refusal(ID_NUMBER, PartyKind.ORGANISATION),
        refusal("9133092112345", PartyKind.ORGANISATION),
        refusal(wrong_check, PartyKind.ORGANISATION),
        refusal(CREDIT_CODE, PartyKind.PERSON),
        refusal("330921199001011230", PartyKind.PERSON),
    ] == [
        (
            "id_number",
            ORGANISATION_GIVEN_AN_ID,
        ),
        ("id_number", "单位当事人请填写18位统一社会信用代码：统一社会信用代码应为18位，“9133092112345”为13位"),
        (
            "id_number",
            f"单位当事人请填写18位统一社会信用代码：统一社会信用代码“{wrong_check}”校验位错误"
            f"（应为 {CREDIT_CODE[17]}），请核对",
        ),
        (
            "id_number",
            f"个人当事人请填写身份证号，“{CREDIT_CODE}”是统一社会信用代码；当事人是单位的，请将当事人类型选为“单位”",
        ),
        ("id_number", "身份证号 330921********1230 校验位不正确"),
    ]


def test_a_company_is_registered_with_its_credit_code_shown_in_full(world: TownWorld) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="labour",
        description="欠薪",
        parties=[
            PartyInput(name="张三丰", id_number=ID_NUMBER),
            PartyInput(name="岱西船舶修造有限公司", id_number=CREDIT_CODE.lower()),
            PartyInput(name="东海渔业", id_number=CREDIT_CODE, kind=PartyKind.ORGANISATION),
        ],
        department=world.dept_a,
        now=MONDAY_0900,
    )
    assert [(p.kind, p.id_number) for p in parties_shown(dispute)] == [
        ("person", "330921********1237"),
        ("organisation", CREDIT_CODE),
        ("organisation", CREDIT_CODE),
    ]


def test_a_company_named_like_a_person_with_a_credit_code_is_refused(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_dispute(
            town=world.town,
            actor=world.operator,
            type="labour",
            description="欠薪",
            parties=[PartyInput(name="东海渔业", id_number=CREDIT_CODE)],
            department=world.dept_a,
            now=MONDAY_0900,
        )
    assert caught.value.field == "id_number"
    assert Dispute.objects.count() == 0


HEADERS = ["受理编号", "类型", "受理日期", "当事人", "当事人类型", "证件号码", "事由", "承办单位"]


def row(number: str, party: str, kind: str, id_number: str) -> list[Any]:
    return [number, "劳资纠纷", "2026-11-02", party, kind, id_number, "拖欠工资", "ZFZ"]


def test_import_reads_the_party_kind_column_or_tells_it_by_the_name(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    rows = [
        row("LD-1", "东海渔业", "企业", CREDIT_CODE),  # named like a person, a company by the column
        row("LD-2", "岱西船舶修造有限公司", "", CREDIT_CODE),  # blank: told by the name
        row("LD-3", "王五", "个人", ID_NUMBER),
        row("LD-4", "双合村股份经济合作社", "组织", ""),
        row("LD-5", "赵六", "person", ""),
    ]
    report = import_sheet(importer=DISPUTES, content=workbook(HEADERS, rows), ctx=ctx)
    assert (report.imported, report.errors) == (5, [])
    parties = DisputeParty.objects.order_by("dispute__import_key")
    assert [(p.dispute.import_key, p.kind, p.id_number) for p in parties] == [
        ("LD-1", "organisation", CREDIT_CODE),
        ("LD-2", "organisation", CREDIT_CODE),
        ("LD-3", "person", ID_NUMBER),
        ("LD-4", "organisation", ""),
        ("LD-5", "person", ""),
    ]


def test_import_refuses_a_bad_kind_and_a_number_of_the_other_kind(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    rows = [
        row("LD-1", "王五", "法人", ""),
        row("LD-2", "东海渔业", "", CREDIT_CODE),  # told a person by its name
        row("LD-3", "东海渔业", "单位", ID_NUMBER),
        row("LD-4", "王五", "个人", ID_NUMBER),
    ]
    report = import_sheet(importer=DISPUTES, content=workbook(HEADERS, rows), ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "当事人类型", "当事人类型“法人”无效，请填写“个人”或“单位”（企业、公司、组织也按单位）"),
        (
            3,
            "证件号码",
            f"个人当事人请填写身份证号，“{CREDIT_CODE}”是统一社会信用代码；当事人是单位的，请将当事人类型选为“单位”",
        ),
        (
            4,
            "证件号码",
            ORGANISATION_GIVEN_AN_ID,
        ),
    ]
    assert Dispute.objects.count() == 0


def test_the_template_has_the_party_kind_column_and_the_number_by_kind() -> None:
    book = load_workbook(io.BytesIO(template_workbook(DISPUTES)))
    headers = [cell.value for cell in book.worksheets[0][1]]
    example = [cell.value for cell in book.worksheets[0][2]]
    notes = {row[0]: row[2] for row in book.worksheets[1].iter_rows(values_only=True) if row and row[0]}
    assert (headers[3:6], example[3:5]) == (["*当事人", "当事人类型", "联系电话"], ["张三", "个人"])
    assert (headers[6], notes["证件号码"]) == ("证件号码", "个人填写身份证号，单位填写18位统一社会信用代码")
