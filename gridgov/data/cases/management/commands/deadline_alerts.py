"""Raise deadline alerts (临期/超期) for open cases; ``--loop`` keeps checking. Safe to run twice."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gridgov.data.cases.domain.alerts import raise_deadline_alerts


class Command(BaseCommand):
    help = "检查办理期限，对临期（黄灯）和超期（红灯）事件发送提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒检查一次")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔秒数（默认 60）")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            created = raise_deadline_alerts()
            if created or not options["loop"]:
                self.stdout.write(f"新增期限预警 {created} 条")
            if not options["loop"]:
                return
            time.sleep(max(options["interval"], 5))
