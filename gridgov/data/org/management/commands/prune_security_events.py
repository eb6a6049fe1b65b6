"""Delete security audit log entries older than the retention period (never less than six months)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.org.security import MIN_RETENTION_DAYS, prune_events
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = f"删除超过保存期限的安全审计日志（保存期限不少于 {MIN_RETENTION_DAYS} 天）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=365, help="保存天数（默认 365）")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        try:
            deleted = prune_events(older_than_days=options["older_than_days"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已删除 {deleted} 条安全审计日志")
