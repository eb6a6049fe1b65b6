"""Excel import of 村企结对 and 共富工坊 records: the partner found in the town's register by credit code or name
(else kept as written), kinds as people write them, a dry run naming each bad row and column in Chinese, all or
nothing, the same file twice writes nothing twice, and village staff import their own village only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gridgov.data.collective.importers import SUPPORTS
from gridgov.data.collective.models import VillageSupport
from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.sheets.framework import RowError, dry_run, import_sheet
from tests.data.enterprises.conftest import valid_code
from tests.factories import WORLD_TODAY, TownWorld
from tests.sheets import import_context, workbook

HEADERS = ["村", "助农类型", "结对单位", "统一社会信用代码", "帮扶金额", "人数", "日期", "备注"]
DAY = WORLD_TODAY - timedelta(days=30)


BAD_CHECK_CHARACTER = "统一社会信用代码“91330100799655058A”校验位错误（应为 B），请核对"
UNKNOWN_CODE = "统一社会信用代码“91330100799655058B”不在本镇企业名录中，请先在企业名录中登记该企业"


def test_a_good_file_is_checked_then_imported_once(world: TownWorld):
    shipyard = create_enterprise(
        town=world.town, name="岱西船舶修造有限公司", credit_code=valid_code("91330921MA2A0B1C2")
    )
    content = workbook(
        HEADERS,
        [
            ["双合村", "村企结对", "", shipyard.credit_code.lower(), "5万", "12", DAY, ""],
            ["火箭", "结对", "岱西船舶修造有限公司", "", "30,000", "", DAY.isoformat(), "走访结对"],
            ["火箭村", "共富工坊", "火箭渔网编织工坊", "", "1.2万元", "35人", DAY, ""],
        ],
    )
    checked = dry_run(importer=SUPPORTS, content=content, ctx=import_context(world))
    assert (checked.errors, checked.valid, VillageSupport.objects.count()) == ([], 3, 0)
    report = import_sheet(importer=SUPPORTS, content=content, ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 3)
    rows = VillageSupport.objects.order_by("amount").values_list(
        "village__name", "kind", "enterprise__name", "partner", "amount", "people", "created_by"
    )
    assert list(rows) == [
        ("火箭村", "workshop", None, "火箭渔网编织工坊", Decimal("12000.00"), 35, world.operator.pk),
        ("火箭村", "pairing", "岱西船舶修造有限公司", "", Decimal("30000.00"), None, world.operator.pk),
        ("双合村", "pairing", "岱西船舶修造有限公司", "", Decimal("50000.00"), 12, world.operator.pk),
    ]
    again = import_sheet(importer=SUPPORTS, content=content, ctx=import_context(world))
    assert (again.errors, again.imported, VillageSupport.objects.count()) == ([], 0, 3)


def test_every_bad_row_is_named_and_nothing_is_written(world: TownWorld):
    tomorrow = WORLD_TODAY + timedelta(days=1)
    content = workbook(
        HEADERS,
        [
            ["双合村", "村企结对", "岱山县农商银行", "", "5万", "", DAY, ""],  # good, but not written: all or nothing
            ["无名村", "村企结对", "某企业", "", "5万", "", DAY, ""],
            ["双合村", "捐款", "某企业", "", "5万", "", DAY, ""],
            ["双合村", "村企结对", "某企业", "", "很多", "", DAY, ""],
            ["双合村", "村企结对", "某企业", "", "5万", "", tomorrow, ""],
            ["双合村", "村企结对", "", "91330921MA2A0B1C2", "5万", "", DAY, ""],
            ["双合村", "共富工坊", "", "", "5万", "", DAY, ""],
            ["双合村", "村企结对", "岱山县农商银行", "", "5万", "", DAY, ""],  # the first row again
        ],
    )
    report = import_sheet(importer=SUPPORTS, content=content, ctx=import_context(world))
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "村"),
        (4, "助农类型"),
        (5, "帮扶金额"),
        (6, "日期"),
        (7, "统一社会信用代码"),
        (8, "结对单位"),
        (9, ""),
    ]
    assert report.errors[0] == RowError(row=3, column="村", message="村社“无名村”不存在，本镇的村社有：双合村、火箭村")
    assert report.errors[4].message == "统一社会信用代码应为18位，“91330921MA2A0B1C2”为17位"
    assert report.errors[5].message == "结对单位：请选择企业或填写结对单位名称"
    assert VillageSupport.objects.count() == 0


def test_village_staff_import_their_own_village_only(world: TownWorld):
    content = workbook(
        HEADERS,
        [
            ["双合村", "村企结对", "岱山县农商银行", "", "5万", "", DAY, ""],
            ["火箭村", "村企结对", "岱山县农商银行", "", "5万", "", DAY, ""],
        ],
    )
    staff = import_context(world, world.village_staff_a)
    report = import_sheet(importer=SUPPORTS, content=content, ctx=staff)
    assert [(e.row, e.message) for e in report.errors] == [(3, "您无权导入火箭村的企业助农记录")]
    assert (SUPPORTS.allowed(world.village_staff_a), SUPPORTS.allowed(world.grid_worker_a)) == (True, False)
    assert VillageSupport.objects.count() == 0


def test_a_partners_credit_code_is_checked_then_looked_up_in_the_register(world: TownWorld):
    content = workbook(
        HEADERS,
        [
            ["双合村", "村企结对", "", "91330100799655058A", "5万", "", DAY, ""],
            ["双合村", "村企结对", "", "91330100799655058B", "5万", "", DAY, ""],
        ],
    )
    report = dry_run(importer=SUPPORTS, content=content, ctx=import_context(world))
    assert report.errors == [
        RowError(2, "统一社会信用代码", BAD_CHECK_CHARACTER),
        RowError(3, "统一社会信用代码", UNKNOWN_CODE),
    ]
