"""Give a town the default key and care groups (重点人员 / 关爱对象) with their visit frequency and department."""

from gridgov.data.org.models import Area
from gridgov.data.org.town_command import TownCommand
from gridgov.data.people.domain import install_default_groups


class Command(TownCommand):
    help = "为乡镇安装默认的重点人员和关爱对象类别（走访周期、责任部门），可重复执行"

    def handle_town(self, town: Area) -> None:
        groups = install_default_groups(town=town)
        without = [g.name for g in groups if g.department_id is None]
        self.stdout.write(f"{town.name}：共 {len(groups)} 个人员类别")
        if without:
            self.stdout.write(f"未找到责任部门（请在管理后台指定）：{'、'.join(without)}")
