"""Verify the hash chain of one case's actions, or of every case, and report the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.models import Case


class Command(BaseCommand):
    help = "校验流转记录哈希链（审计链），报告第一个断点"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", dest="number", help="只校验这个案卷编号")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = Case.objects.order_by("pk")
        if options["number"]:
            cases = cases.filter(number=options["number"])
            if not cases.exists():
                raise CommandError(f"案卷 {options['number']} 不存在")
        total = cases.count()
        checked = 0
        for _case, broken in verify_chains(cases.iterator(chunk_size=500)):
            checked += 1
            if broken is not None:
                raise CommandError(f"审计链断裂：{broken}")
            if checked % 5000 == 0:
                self.stderr.write(f"已校验 {checked}/{total} 件")
        self.stdout.write(self.style.SUCCESS(f"审计链完好：已校验 {checked} 件事件"))
