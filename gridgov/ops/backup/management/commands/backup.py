"""Back up the database (online), the uploaded files and a manifest into one .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gridgov.ops.backup.archive import BackupError, backup
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "备份数据库（运行中在线备份）、上传文件与清单（行数、审计链头）到一个 .tar.gz 文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="备份文件路径，例如 /backup/gridgov-20261204.tar.gz")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        try:
            made = backup(output=Path(options["output"]), now=timezone.now(), say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"备份完成：{sum(made.counts.values())} 行数据，{made.files} 个上传文件"))
