"""Compare the indicator rollups with a full recount; exit with status 1 on any difference."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.metrics import rollups
from gridgov.data.metrics.models import COUNT_FIELDS
from gridgov.data.org.models import Area
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "核对指标日汇总与全量重新统计是否一致（不一致时退出码为1）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", help="乡镇区划代码；不填则核对所有有事件的乡镇")

    def handle(self, *args: FromDjango, town: str | None = None, **options: FromDjango) -> None:
        towns = list(Area.objects.filter(code=town)) if town else rollups.towns_with_cases()
        problems = 0
        for area in towns:
            mismatches = rollups.check(town=area)
            problems += len(mismatches)
            for m in mismatches[:20]:
                dim, member, day = m.key
                diffs = ", ".join(
                    f"{name} {a}≠{b}" for name, a, b in zip(COUNT_FIELDS, m.stored, m.recounted, strict=True) if a != b
                )
                self.stderr.write(f"{area.name} {dim}={member or '-'} {day}: {diffs}")
            self.stdout.write(f"{area.name}: {'一致' if not mismatches else f'{len(mismatches)} 行不一致'}")
        if problems:
            raise CommandError(f"指标日汇总与重新统计不一致：{problems} 行")
