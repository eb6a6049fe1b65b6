"""Give a town the default taxonomy: 22 major categories, their sub-categories and time limits."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.defaults import install_default_taxonomy
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "为乡镇安装默认事件分类（22大类及小类、默认处置部门和时限），可重复执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town_code", help="乡镇的区划代码")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        town = Area.objects.filter(code=options["town_code"], level=AreaLevel.TOWN).first()
        if town is None:
            raise CommandError(f"没有区划代码为 {options['town_code']} 的乡镇")
        created = install_default_taxonomy(town=town)
        self.stdout.write(f"{town.name}：新增 {created} 个小类")
