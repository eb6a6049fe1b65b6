"""Import cases from a previous platform's export (.xlsx or .csv): all rows or none; re-import skips known ones."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from gridgov.data.errors import DomainError
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.ops.history.service import import_rows
from gridgov.ops.history.tables import read_table

BAR = 30


class Command(BaseCommand):
    help = "从原平台导出的 Excel/CSV 导入历史事件（全部成功才写入；重复导入不会产生重复事件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="原平台导出的 .xlsx 或 .csv 文件")
        parser.add_argument("--town", required=True, help="乡镇的案卷编号前缀或区划代码，例如 DX")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        town = Area.objects.filter(
            Q(case_prefix=options["town"]) | Q(code=options["town"]), level=AreaLevel.TOWN
        ).first()
        if town is None:
            raise CommandError(f"找不到乡镇“{options['town']}”（请填写案卷编号前缀或区划代码）")
        try:
            table = read_table(path.read_bytes(), filename=path.name)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if table.ignored_headers:
            self.stderr.write(f"以下列无法识别，已忽略：{'、'.join(table.ignored_headers)}")
        outcome = import_rows(town=town, rows=table.rows, user=None, dry_run=options["dry_run"], progress=self.progress)
        for error in outcome.errors:
            self.stderr.write(str(error))
        if not outcome.ok:
            raise CommandError(f"共 {outcome.rows} 行，{len(outcome.errors)} 行有错误，未导入任何事件")
        if outcome.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"检查通过：共 {outcome.rows} 行，可导入 {outcome.rows - outcome.skipped} 件，"
                    f"已导入过 {outcome.skipped} 件（未写入，去掉 --dry-run 正式导入）"
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：共 {outcome.rows} 行，新导入 {outcome.imported} 件，已导入过而跳过 {outcome.skipped} 件"
            )
        )

    def progress(self, done: int, total: int) -> None:
        filled = BAR * done // total if total else BAR
        self.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}", ending="")
        if done == total:
            self.stderr.write("")
