"""Give a town the default taxonomy: 22 major categories, their sub-categories and time limits."""

from gridgov.data.org.models import Area
from gridgov.data.org.town_command import TownCommand
from gridgov.data.taxonomy.defaults import install_default_taxonomy


class Command(TownCommand):
    help = "为乡镇安装默认事件分类（22大类及小类、默认处置部门和时限），可重复执行"

    def handle_town(self, town: Area) -> None:
        created = install_default_taxonomy(town=town)
        self.stdout.write(f"{town.name}：新增 {created} 个小类")
