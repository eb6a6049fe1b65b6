"""Open disputes imported in bulk are registered exactly as ``register_dispute`` registers them (dispatched
to the handling unit, with their parties), their write does not grow with the rows, and a failing row writes
nothing."""

from __future__ import annotations

from datetime import date

from gridgov.data.cases.models import Case
from gridgov.data.disputes.domain import register_dispute
from gridgov.data.disputes.importers import DISPUTES
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.sheets.framework import ImportContext, import_sheet, read_sheet
from tests.data.disputes.test_import import DISPUTE_HEADERS, GOOD_DISPUTES
from tests.data.ledger_bulk import assert_filed_as_engine, assert_write_flat
from tests.factories import MONDAY_0900, TownWorld
from tests.sheets import workbook


def disputes_file(first: int, n: int) -> bytes:
    rows = [
        [f"LD-{i:03d}", "劳资纠纷", date(2026, 11, 2), f"当事人{i}", "", "", f"拖欠工资{i}", "", "否", "ZFZ", "双合村"]
        for i in range(first, first + n)
    ]
    return workbook(DISPUTE_HEADERS, rows)


def test_open_disputes_imported_in_bulk_are_registered_as_register_dispute_registers_them(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    content = workbook(DISPUTE_HEADERS, GOOD_DISPUTES)
    report = import_sheet(importer=DISPUTES, content=content, ctx=ctx)
    assert (report.ok, report.imported) == (True, 2)
    imported = list(Dispute.objects.order_by("id"))
    parsed = [DISPUTES.parse_row(values, ctx=ctx) for _number, values in read_sheet(DISPUTES, content).rows]
    by_engine = [
        register_dispute(
            town=world.town, actor=world.operator, type=p.type, description=p.description, parties=[p.party],
            level=p.level, amount=p.amount, backlog=p.backlog, received_on=p.received_on, department=p.department,
            area=p.village, now=MONDAY_0900, import_key=p.number + "-engine",
        )
        for p in parsed
    ]  # fmt: skip
    assert_filed_as_engine(town=world.town, imported=[d.case for d in imported], by_engine=[d.case for d in by_engine])

    def detail(dispute: Dispute) -> tuple[object, ...]:
        parties = [(p.role, p.name, p.phone, p.id_number, p.sort_order) for p in dispute.parties.order_by("id")]
        return (dispute.type, dispute.level, dispute.amount, dispute.backlog, dispute.received_on, parties)

    assert [detail(d) for d in imported] == [detail(d) for d in by_engine]


def test_open_disputes_write_flat_and_a_failing_row_writes_nothing(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    assert_write_flat(importer=DISPUTES, ctx=ctx, file_of=disputes_file)
    before = (Dispute.objects.count(), DisputeParty.objects.count(), Case.objects.count())
    # a resolved dispute and an open one, imported by someone who may not register disputes: nothing is written
    headers = [*DISPUTE_HEADERS, "化解日期"]
    rows = [[*GOOD_DISPUTES[0], date(2026, 11, 20)], [*GOOD_DISPUTES[1], ""]]
    grid_worker = ImportContext(town=world.town, user=world.grid_worker_a, now=MONDAY_0900)
    report = import_sheet(importer=DISPUTES, content=workbook(headers, rows), ctx=grid_worker)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(0, "", "只有镇指挥室或管理员可以登记信访和纠纷")]
    assert (report.imported, Dispute.objects.count(), DisputeParty.objects.count(), Case.objects.count()) == (
        0,
        *before,
    )
