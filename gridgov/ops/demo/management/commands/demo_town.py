"""Build the demo town 岱西镇 with people, a year of cases and its 2022 (``--reset`` wipes the database first).

Safe to run again: an existing town is kept, and only what is missing (2022) is added.
"""

import random
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gridgov.data.org.models import Area
from gridgov.ops.demo.organisation import DEMO_PASSWORD, TOWN_CODE, load_organisation
from gridgov.ops.demo.people import build_people
from gridgov.ops.demo.town import build_demo_town
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS, build_2022, built_2022
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "生成演示乡镇（岱西镇）：区域、网格、部门、各角色演示账号、近12个月的事件和2022年全年的事件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="先清空数据库再生成")
        parser.add_argument("--cases", type=int, default=800, help="近12个月的事件数量（默认 800）")
        parser.add_argument("--seed", type=int, default=2023, help="随机种子")
        parser.add_argument("--no-2022", dest="year_2022", action="store_false", help="不生成2022年的数据")
        parser.add_argument("--no-ledgers", dest="ledgers", action="store_false", help="不生成台账")
        parser.add_argument(
            "--scale-2022", type=float, default=1.0, help="2022年数据的比例（默认 1 = 3124件事件；测试可用 0.05）"
        )

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        town = Area.objects.filter(code=TOWN_CODE).first()
        if town is not None and (not options["year_2022"] or built_2022(town)):
            self.stdout.write("演示乡镇已存在，跳过（使用 --reset 重新生成）")
            return

        def progress(label: str) -> Any:  # Any: the progress callback's own return is ignored
            def show(done: int, total: int) -> None:
                self.stderr.write(f"\r{label} {done}/{total}", ending="")

            return show

        if town is None:
            org, made = build_demo_town(cases=options["cases"], seed=options["seed"], progress=progress("生成事件"))
            self.stderr.write("")
            self.stdout.write(
                self.style.SUCCESS(f"已生成岱西镇演示数据：{made} 件事件；演示账号密码均为 {DEMO_PASSWORD}")
            )
            if options["ledgers"]:
                this_year = timezone.localdate().year
                for name, build in LEDGER_BUILDERS.items():
                    self.stderr.write(f"生成{this_year}年台账：{name}")
                    build(town=org.town, rng=random.Random(options["seed"] + this_year), year=this_year)
                self.stdout.write(self.style.SUCCESS(f"已生成{this_year}年的台账"))
                people = build_people(town=org, rng=random.Random(options["seed"] + 15))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已生成实有人口：房屋 {people.houses} 处，人口 {people.residents} 人，"
                        f"重点及关爱对象 {people.members} 人，走访 {people.visits} 次，救助发放 {people.payments} 笔"
                    )
                )
        else:
            org = load_organisation(town)
            self.stdout.write("演示乡镇已存在，补充生成2022年数据")
        if options["year_2022"]:
            year = build_2022(
                town=org,
                rng=random.Random(options["seed"] + 2022),
                scale=options["scale_2022"],
                ledgers=options["ledgers"] and options["scale_2022"] >= 1.0,
                progress=progress("生成2022年事件"),
            )
            self.stderr.write("")
            self.stdout.write(
                self.style.SUCCESS(
                    f"已生成2022年：立案事件 {year.events} 件（网格员上报 {year.grid_events} 件），"
                    f"不予立案 {year.rejected} 件，流转记录 {year.actions} 条，用时 {year.seconds:.0f} 秒"
                )
            )
