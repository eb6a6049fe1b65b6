"""Restore a backup made by ``manage.py backup`` into an empty database and data directory, then check it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.ops.backup.archive import BackupError, restore
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "把 manage.py backup 的备份恢复到空数据库与空数据目录，并核对清单、校验审计链"
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件（.tar.gz）")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"备份文件 {source} 不存在")
        try:
            problems = restore(source=source, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"恢复后的核对未通过：{len(problems)} 项问题")
        self.stdout.write(self.style.SUCCESS("恢复完成：行数、审计链头与清单一致，审计链完好"))
