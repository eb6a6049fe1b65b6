"""Run background tasks (django-tasks-db) and stay up: a busy or unreachable database is waited out, not fatal.

``manage.py db_worker`` ends on the first database error it does not expect; this worker uses the same task
queue and the same way of running a task, polls without taking the write lock while the queue is empty, retries
transient database errors with backoff (logged), and writes a heartbeat that ``/healthz`` reports.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker, valid_backend_name, valid_interval
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction

from gridgov.db.workers import TASKS, run_steadily


class SteadyWorker(Worker):
    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks: DBTaskResultQuerySet = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        return tasks

    def run_one(self) -> bool:
        """Claim and run the next ready task; False when there is none."""
        tasks = self.ready_tasks()
        if not tasks.exists():  # a read: an idle worker never takes the write lock
            return False
        with exclusive_transaction(tasks.db):
            claimed = tasks.get_locked()
            if claimed is not None:
                claimed.claim(self.worker_id)
        if claimed is None:
            return False
        self.run_task(claimed)
        return True

    def keep_going(self) -> bool:
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return False
        return self.running

    def run(self) -> None:
        self.configure_signals()
        run_steadily(TASKS, self.run_one, interval=self.interval, keep_going=self.keep_going)


class Command(BaseCommand):
    help = "运行后台任务（通知等），数据库繁忙时等待重试而不退出，并写入心跳供 /healthz 查看"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=valid_interval, default=1.0, help="队列为空时的检查间隔秒数（默认 1）")
        parser.add_argument(
            "--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="要处理的队列，逗号分隔；* 为全部（默认 default）"
        )
        parser.add_argument("--backend", type=valid_backend_name, default=DEFAULT_TASK_BACKEND_ALIAS)
        parser.add_argument("--max-tasks", type=int, default=None, help="运行这么多个任务后退出（测试用）")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = SteadyWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name=options["backend"],
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.run()
