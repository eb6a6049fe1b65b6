"""Erase the personal data of residents who moved away longer ago than the retention period
(GRIDGOV_PEOPLE_RETENTION_DAYS, or --keep-days), town by town; each erasure is written to the security log."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.people.domain import purge_moved_out
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "删除迁出超过保存期限的实有人口的个人信息（保存天数默认取 GRIDGOV_PEOPLE_RETENTION_DAYS）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep-days", type=int, default=None, help="迁出后保存的天数")
        parser.add_argument("--town", default="", help="只处理这个乡镇（区划代码）")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        keep_days: int = options["keep_days"]
        if keep_days is None:
            keep_days = settings.GRIDGOV_PEOPLE_RETENTION_DAYS
        towns = Area.objects.filter(level=AreaLevel.TOWN).order_by("path")
        if options["town"]:
            towns = towns.filter(code=options["town"])
            if not towns.exists():
                raise CommandError(f"没有区划代码为 {options['town']} 的乡镇")
        now = timezone.now()
        for town in towns:
            try:
                erased = purge_moved_out(town=town, now=now, keep_days=keep_days)
            except InvalidInput as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"{town.name}：删除 {erased} 人的个人信息（迁出超过 {keep_days} 天）")
