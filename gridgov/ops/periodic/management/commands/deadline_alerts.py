"""Raise deadline alerts (临期/超期) for open cases; ``--loop`` keeps checking. Safe to run twice.

With ``--loop`` a busy or unreachable database is waited out (logged, retried with backoff), never fatal, and
each round writes the ``deadline_alerts`` heartbeat that ``/healthz`` reports. Each round of the loop also makes
provisional deadlines final once their year's holiday schedule is known (a newer holiday package, or a year confirmed
in another process; see ``recalendar``) and delivers any notification the task worker has not delivered yet
(waking the sending of due channel messages, queueing the 08:30 digests on working days); once a day
(``AUDIT_VERIFY_HOURS``) it queues the verification of every audit chain for the task worker. And it opens the
supervision cases (督办) of the key projects' milestones that have fallen behind (``projects.supervision``: one
case per milestone, however often it runs).
"""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.audit_runs import queue_daily_verification
from gridgov.data.cases.domain.notifications import deliver_due
from gridgov.data.cases.domain.recalendar import recompute_provisional_deadlines
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from gridgov.data.notify.domain.deliveries import wake_if_due
from gridgov.data.notify.domain.digests import queue_due_digests
from gridgov.data.projects.supervision import supervise_lagging
from gridgov.db.workers import DEADLINE_ALERTS, Heartbeat, run_steadily
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "检查办理期限，对临期（黄灯）和超期（红灯）事件发送提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒检查一次")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔秒数（默认 60）")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        interval = max(options["interval"], 5)
        heartbeat = Heartbeat(DEADLINE_ALERTS, every=interval)
        if not options["loop"]:
            self.stdout.write(f"新增期限预警 {raise_deadline_alerts()} 条")
            supervised = supervise_lagging()
            if supervised:
                self.stdout.write(f"新增项目督办事件 {len(supervised)} 件")
            heartbeat.beat()
            return
        run_steadily(DEADLINE_ALERTS, self.check_once, interval=interval, heartbeat=heartbeat)

    def check_once(self) -> bool:
        recomputed = recompute_provisional_deadlines(reason=_("节假日安排已更新"))
        if recomputed:
            self.stdout.write(f"重新计算暂定期限 {len(recomputed)} 件")
        created = raise_deadline_alerts()
        if created:
            self.stdout.write(f"新增期限预警 {created} 条")
        deliver_due()
        wake_if_due()  # messages to DingTalk, WeCom, SMS, e-mail whose wake-up was lost or whose retry is due
        if queue_due_digests():
            self.stdout.write("已排入今日消息汇总")
        if queue_daily_verification(now=timezone.now()) is not None:
            self.stdout.write("已排入每日审计链校验")
        supervised = supervise_lagging()
        if supervised:
            self.stdout.write(f"新增项目督办事件 {len(supervised)} 件")
        return False
