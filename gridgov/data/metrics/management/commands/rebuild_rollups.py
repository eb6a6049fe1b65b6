"""Rebuild the indicator rollups of every town (or one, by code) from a recount of its cases."""

from django.core.management.base import BaseCommand, CommandParser

from gridgov.data.metrics import rollups
from gridgov.data.org.models import Area
from gridgov.db.analyze import analyze_after_commit
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "重建指标日汇总（按乡镇重新统计全部事件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", help="乡镇区划代码；不填则重建所有有事件的乡镇")

    def handle(self, *args: FromDjango, town: str | None = None, **options: FromDjango) -> None:
        towns = list(Area.objects.filter(code=town)) if town else rollups.towns_with_cases()
        for area in towns:
            rows = rollups.rebuild(town=area)
            self.stdout.write(f"{area.name}: {rows}")
        analyze_after_commit()  # the rollups' planner statistics at once (PostgreSQL)
