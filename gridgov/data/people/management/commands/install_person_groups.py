"""Give a town the default key and care groups (重点人员 / 关爱对象) with their visit frequency and department."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.people.domain import install_default_groups
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "为乡镇安装默认的重点人员和关爱对象类别（走访周期、责任部门），可重复执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town_code", help="乡镇的区划代码")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        town = Area.objects.filter(code=options["town_code"], level=AreaLevel.TOWN).first()
        if town is None:
            raise CommandError(f"没有区划代码为 {options['town_code']} 的乡镇")
        groups = install_default_groups(town=town)
        without = [g.name for g in groups if g.department_id is None]
        self.stdout.write(f"{town.name}：共 {len(groups)} 个人员类别")
        if without:
            self.stdout.write(f"未找到责任部门（请在管理后台指定）：{'、'.join(without)}")
