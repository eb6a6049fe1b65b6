"""Import cases from a previous platform's export (.xlsx or .csv): all rows or none; re-import skips known ones."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from gridgov.data.errors import DomainError
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.framework import dry_run, import_sheet
from gridgov.data.sheets.importer import ImportContext, get_importer
from gridgov.ops.history.tables import as_workbook
from gridgov.types import FromDjango

BAR = 30


class Command(BaseCommand):
    help = "从原平台导出的 Excel/CSV 导入历史事件（全部成功才写入；重复导入不会产生重复事件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="原平台导出的 .xlsx 或 .csv 文件")
        parser.add_argument("--town", required=True, help="乡镇的案卷编号前缀或区划代码，例如 DX")
        parser.add_argument("--user", help="记为导入人的用户名")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        named = Q(case_prefix=options["town"]) | Q(code=options["town"])
        town = Area.objects.filter(named, level=AreaLevel.TOWN).first()
        if town is None:
            raise CommandError(f"找不到乡镇“{options['town']}”（请填写案卷编号前缀或区划代码）")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在")
        ctx = ImportContext(town=town, user=user, now=timezone.now())
        importer = get_importer("history")
        try:
            content = as_workbook(path.read_bytes(), filename=path.name)
            run = dry_run if options["dry_run"] else import_sheet
            report = run(importer=importer, content=content, ctx=ctx, progress=self.progress)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write("")
        for error in report.errors:
            where = f"第{error.row}行" + (f"【{error.column}】" if error.column else "")
            self.stderr.write(f"{where}：{error.message}")
        if not report.ok:
            raise CommandError(f"共 {report.total} 行，{len(report.errors)} 处错误，未导入任何事件")
        if report.hidden_notice:
            self.stdout.write(self.style.WARNING(report.hidden_notice))
        if report.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"检查通过：共 {report.total} 行，可导入 {report.valid - report.skipped} 件，"
                    f"已导入过 {report.skipped} 件（未写入，去掉 --dry-run 正式导入）"
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：共 {report.total} 行，新导入 {report.imported} 件，已导入过而跳过 {report.skipped} 件"
            )
        )

    def progress(self, done: int, total: int, message: str) -> None:
        filled = BAR * done // total if total else BAR
        self.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {message}    ", ending="")
