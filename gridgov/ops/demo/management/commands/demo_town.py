"""Build the demo town 岱西镇 with people and a year of cases (``--reset`` wipes the database first)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from gridgov.data.org.models import Area
from gridgov.ops.demo.town import DEMO_PASSWORD, TOWN_CODE, build_demo_town


class Command(BaseCommand):
    help = "生成演示乡镇（岱西镇）：区域、网格、部门、各角色演示账号和近12个月的事件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="先清空数据库再生成")
        parser.add_argument("--cases", type=int, default=800, help="事件数量（默认 800）")
        parser.add_argument("--seed", type=int, default=2023, help="随机种子")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Area.objects.filter(code=TOWN_CODE).exists():
            self.stdout.write("演示乡镇已存在，跳过（使用 --reset 重新生成）")
            return

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r生成事件 {done}/{total}", ending="")

        _org, made = build_demo_town(cases=options["cases"], seed=options["seed"], progress=progress)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"已生成岱西镇演示数据：{made} 件事件；演示账号密码均为 {DEMO_PASSWORD}"))
