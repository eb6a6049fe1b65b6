"""Open the supervision cases (督办) of the key projects' lagging milestones (``projects.supervision``). Safe to run
any time: a milestone already supervised is not supervised again."""

from django.core.management.base import BaseCommand

from gridgov.data.projects.supervision import supervise_lagging
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "检查重点项目节点，对滞后节点开启督办事件"

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        opened = supervise_lagging()
        self.stdout.write(f"新增项目督办事件 {len(opened)} 件")
