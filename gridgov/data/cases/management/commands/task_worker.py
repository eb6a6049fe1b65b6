"""Run background tasks (django-tasks-db) and stay up: a busy or unreachable database is waited out, not fatal.

``manage.py db_worker`` ends on the first database error it does not expect; this worker uses the same task
queue and the same way of running a task, polls without taking the write lock while the queue is empty, retries
transient database errors with backoff (logged), and writes a heartbeat that ``/healthz`` reports. Between tasks
it also does the web's deferred writing: SQLite's WAL checkpoints and the new reports' rollup counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker, valid_backend_name, valid_interval
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction

from gridgov.data.cases.domain import rollups
from gridgov.db.busy import describe
from gridgov.db.sqlite3.checkpoint import checkpoint_if_due
from gridgov.db.workers import TASKS, TRANSIENT_ERRORS, Backoff, run_steadily
from gridgov.types import FromDjango

log = logging.getLogger("gridgov.worker")


class SteadyWorker(Worker):
    record_backoff: Backoff | None = None  # how recording a result waits between tries (tests pass a quick one)

    def run_task(self, db_task_result: DBTaskResult) -> None:  # type: ignore[type-arg]  # django-tasks-db's DBTaskResult is generic only in its own untyped code
        """Run the task as ``db_worker`` does, but record its outcome until the database takes it: a result
        that could not be written (the database busy for longer than the library's three quick tries) would
        leave the task "running" for ever. The outcome is in memory; the worker keeps trying to record it."""
        backoff = self.record_backoff or Backoff()
        for name in ("set_successful", "set_failed"):
            setattr(db_task_result, name, _steadily(getattr(db_task_result, name), backoff, keep_going=self.keep_going))
        super().run_task(db_task_result)

    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks: DBTaskResultQuerySet = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        return tasks

    def run_one(self) -> bool:
        """Claim and run the next ready task; False when there is none."""
        checkpoint_if_due()  # the web's WAL checkpoints, off the request path
        rollups.count_pending_reports_if_due()  # new reports' day counts, off the request path
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


def _steadily(record: Callable[..., None], backoff: Backoff, *, keep_going: Callable[[], bool]) -> Callable[..., None]:
    def recorded(*args: FromDjango) -> None:
        while True:
            try:
                record(*args)
                backoff.succeeded()
                return
            except TRANSIENT_ERRORS as exc:
                if not keep_going():
                    raise
                delay = backoff.failed()
                log.warning(
                    "记录任务结果时数据库暂时不可用（%s），%s 秒后第 %d 次重试", describe(exc), delay, backoff.failures
                )
                connections.close_all()
                time.sleep(delay)

    return recorded


class Command(BaseCommand):
    help = "运行后台任务（通知等），数据库繁忙时等待重试而不退出，并写入心跳供 /healthz 查看"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=valid_interval, default=1.0, help="队列为空时的检查间隔秒数（默认 1）")
        parser.add_argument(
            "--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="要处理的队列，逗号分隔；* 为全部（默认 default）"
        )
        parser.add_argument("--backend", type=valid_backend_name, default=DEFAULT_TASK_BACKEND_ALIAS)
        parser.add_argument("--max-tasks", type=int, default=None, help="运行这么多个任务后退出（测试用）")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
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
