"""The 村企结对 and 共富工坊 page: the year's records of the villages each role sees with their count and total, the
form for those who record (the villages offered are theirs; an error names the field and writes nothing), and the
list's query count."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.data.collective.domain import SupportInput, record_support
from gridgov.data.collective.enums import SupportKind
from gridgov.data.collective.models import VillageSupport
from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.org.models import Area, Enterprise
from tests.data.enterprises.conftest import valid_code
from tests.factories import WORLD_TODAY, TownWorld, signed_in

ROW_A = ["双合村", "村企结对", "岱西船舶修造有限公司", "5万元", "20"]
ROW_B = ["火箭村", "村企结对", "岱山县农商银行", "3000元", "—"]
PAGE = reverse("ledgers:collective_supports")
YEAR = WORLD_TODAY.year
QUERIES = (
    10  # session, user, memberships (twice), town, villages, enterprises, records, filter's villages, notifications
)


@pytest.fixture
def shipyard(world: TownWorld) -> Enterprise:
    return create_enterprise(town=world.town, name="岱西船舶修造有限公司", credit_code=valid_code("91330921MA2A0B1C2"))


def support(world: TownWorld, village: Area, amount: str, **fields: object) -> VillageSupport:
    fields = {"on": WORLD_TODAY} | fields
    data = SupportInput(village=village, kind=SupportKind.PAIRING, amount=amount, **fields)
    return record_support(actor=world.operator, data=data, now=timezone.now())


@pytest.fixture
def records(world: TownWorld, shipyard: Enterprise) -> None:
    support(world, world.village_a, "5万", enterprise=shipyard, people="20")
    support(world, world.village_b, "3000", partner="岱山县农商银行")
    support(world, world.village_b, "9万", partner="去年的", on=date(YEAR - 1, 6, 1))


def _rows(text: str) -> list[list[str]]:
    part = text[text.index('id="support-list"') : text.index("</table>", text.index('id="support-list"'))]
    rows = re.findall(r"<tr data-support=\"\d+\">(.*?)</tr>", part, re.S)
    return [[c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][1:6] for row in rows]


@pytest.mark.parametrize(
    ("persona", "status", "rows", "form"),
    [
        ("operator", 200, [ROW_A, ROW_B], True),
        ("leader", 200, [ROW_A, ROW_B], False),
        ("village_staff_b", 200, [ROW_B], True),
        ("handler_a", 403, [], False),
        ("resident", 403, [], False),
    ],
)  # fmt: skip
def test_each_role_sees_its_villages_records(world: TownWorld, records, persona: str, status: int, rows, form: bool):
    page = signed_in(getattr(world, persona)).get(PAGE, {"year": YEAR})
    assert page.status_code == status
    if status == 200:
        assert sorted(_rows(page.text)) == rows
        assert ('id="support-form"' in page.text) is form


def test_the_summary_counts_the_years_records(world: TownWorld, records):
    page = signed_in(world.operator).get(PAGE, {"year": YEAR})
    summary = re.search(r'id="support-summary">([^<]*)<', page.text)
    assert summary is not None
    assert summary.group(1) == "共 2 项，帮扶金额5.3万元"


def test_village_staff_are_offered_their_village_only_and_record(world: TownWorld, shipyard: Enterprise):
    client = signed_in(world.village_staff_a)
    page = client.get(PAGE)
    form = page.text[page.text.index('id="support-form"') :]
    villages = re.findall(r'<select name="village"[^>]*>(.*?)</select>', form, re.S)[0]
    assert re.findall(r">([^<]+)</option>", villages) == ["双合村"]
    post = {
        "village": str(world.village_a.pk),
        "kind": SupportKind.WORKSHOP,
        "enterprise": str(shipyard.pk),
        "amount": "1.2万",
        "people": "15",
        "on": WORLD_TODAY.isoformat(),
        "note": "",
    }
    done = client.post(PAGE, post)
    assert (done.status_code, done["Location"]) == (302, f"{PAGE}?year={YEAR}")
    stored = VillageSupport.objects.get()
    assert (stored.village, stored.kind, stored.enterprise, stored.amount, stored.people, stored.created_by) == (
        world.village_a, SupportKind.WORKSHOP, shipyard, Decimal(12000), 15, world.village_staff_a,
    )  # fmt: skip
    other = client.post(PAGE, post | {"village": str(world.village_b.pk)})
    assert other.status_code == 200  # village B is not a choice for village A's staff
    assert VillageSupport.objects.count() == 1


def test_an_error_is_named_and_writes_nothing(world: TownWorld):
    client = signed_in(world.operator)
    post = {
        "village": str(world.village_a.pk),
        "kind": SupportKind.PAIRING,
        "amount": "1万",
        "on": WORLD_TODAY.isoformat(),
    }
    page = client.post(PAGE, post)
    errors = re.search(r'id="partner-errors">(.*?)</ul>', page.text, re.S)
    assert errors is not None
    assert errors.group(1) == "<li>结对单位：请选择企业或填写结对单位名称</li>"
    assert VillageSupport.objects.count() == 0
    assert signed_in(world.leader).post(PAGE, post | {"partner": "某银行"}).status_code == 403
    assert VillageSupport.objects.count() == 0


def test_the_list_costs_the_same_queries_for_more_records(world: TownWorld, records, django_assert_num_queries):
    client = signed_in(world.operator)
    client.get(PAGE)  # the first request of a session writes to it
    with django_assert_num_queries(QUERIES):
        client.get(PAGE, {"year": YEAR})
    for n in range(5):
        support(world, world.village_a, f"{n + 1}000", partner=f"单位{n}")
    with django_assert_num_queries(QUERIES):
        page = client.get(PAGE, {"year": YEAR})
    assert len(_rows(page.text)) == 7


def test_the_export_has_the_year_s_records_the_user_sees(world: TownWorld, records) -> None:
    import io

    from openpyxl import load_workbook

    export = reverse("ledgers:collective_supports_export")
    answer = signed_in(world.village_staff_b).get(export, {"year": YEAR})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows.index(
        ["日期", "村", "助农类型", "结对单位", "统一社会信用代码", "帮扶金额（元）", "带动就业或受益人数", "备注"]
    )
    assert [row[1:6] for row in rows[header + 1 :]] == [["火箭村", "村企结对", "岱山县农商银行", None, 3000]]
    assert signed_in(world.handler_a).get(export, {"year": YEAR}).status_code == 403


def test_the_list_and_its_export_follow_the_kind_and_village(world: TownWorld, records: None):
    workshop = SupportInput(
        village=world.village_a, kind=SupportKind.WORKSHOP, on=WORLD_TODAY, amount="2万", partner="工坊"
    )
    record_support(actor=world.operator, data=workshop, now=timezone.now())
    client = signed_in(world.operator)
    queries: dict[str, dict[str, str | int]] = {
        "pairing": {"kind": "pairing"},
        "workshop": {"kind": "workshop"},
        "village b": {"village": world.village_b.pk},
        "nonsense": {"kind": "donation"},
    }
    shown = {name: _rows(client.get(PAGE, {"year": YEAR, **query}).text) for name, query in queries.items()}
    workshop_row = ["双合村", "共富工坊", "工坊", "2万元", "—"]
    assert shown == {
        "pairing": [ROW_B, ROW_A],  # newest first
        "workshop": [workshop_row],
        "village b": [ROW_B],
        "nonsense": [workshop_row, ROW_B, ROW_A],
    }
    page = client.get(PAGE, {"year": YEAR, "kind": "workshop"}).text
    export = f"{reverse('ledgers:collective_supports_export')}?year={YEAR}&amp;kind=workshop&amp;village="
    assert export in page


def test_the_import_is_offered_to_those_who_record(world: TownWorld):
    link = reverse("imports:upload", args=["collective-supports"])
    offered = {
        persona: link in signed_in(getattr(world, persona)).get(PAGE).text
        for persona in ("operator", "village_staff_a", "leader")
    }
    assert offered == {"operator": True, "village_staff_a": True, "leader": False}
