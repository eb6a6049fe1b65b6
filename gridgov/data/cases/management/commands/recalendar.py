"""Recompute provisional deadlines (暂定期限) whose years' official holiday schedules are now known.

Run after upgrading the holiday package (``chinesecalendar``) or entering a year's schedule by other means than
the admin page; the deadline loop (``deadline_alerts --loop``) also runs it every cycle. Safe to run any time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.recalendar import provisional_open_cases, recompute_provisional_deadlines
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "按已知的正式节假日安排重新计算暂定期限"

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        numbers = recompute_provisional_deadlines(reason=_("节假日安排已更新（重算命令）"))
        waiting = provisional_open_cases().count()
        self.stdout.write(
            _("重新计算暂定期限 %(n)s 件；仍为暂定 %(waiting)s 件") % {"n": len(numbers), "waiting": waiting}
        )
