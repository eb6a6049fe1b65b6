"""Verify the audit chain of one case or of every case: content hashes, attachments' files on disk and the
signed checkpoints. Reports every broken case (the first --limit in detail) and exits non-zero if any is."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gridgov.data.cases.domain.audit_runs import verify_all
from gridgov.data.cases.models import AuditRun, Case
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "校验流转记录哈希链（审计链）、附件文件与签名检查点，报告所有断裂的事件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", dest="number", help="只校验这个案卷编号")
        parser.add_argument("--limit", type=int, default=100, help="最多列出多少件断裂事件的明细（默认 100）")
        parser.add_argument("--no-files", action="store_true", help="不重算附件文件的哈希（更快）")
        parser.add_argument("--checkpoint", action="store_true", help="全部完好时写入新的签名检查点")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        cases = None
        if options["number"]:
            cases = Case.objects.filter(number=options["number"]).order_by("pk")
            if not cases.exists():
                raise CommandError(f"案卷 {options['number']} 不存在")
        now = timezone.now()
        run = AuditRun.objects.create(kind=AuditRun.Kind.VERIFY, created_at=now)
        run = verify_all(
            run=run,
            now=now,
            cases=cases,
            limit=max(options["limit"], 0),
            check_files=not options["no_files"],
            checkpoint=options["checkpoint"],
        )
        for line in run.broken:
            self.stderr.write(f"审计链断裂：{line}")
        if not run.ok:
            more = run.broken_count - len(run.broken)
            tail = f"（另有 {more} 件未列出）" if more > 0 else ""
            raise CommandError(f"审计链断裂：{run.broken_count} 件（已校验 {run.checked} 件）{tail}")
        self.stdout.write(self.style.SUCCESS(f"审计链完好：已校验 {run.checked} 件事件"))
        if run.note:
            self.stdout.write(run.note)
