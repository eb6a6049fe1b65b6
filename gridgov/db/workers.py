"""Long-running workers that stay up through a busy or briefly unreachable database, and say that they are up.

:func:`run_steadily` calls a worker's step in a loop. A transient database error (a lock not granted in time,
a lost connection: ``OperationalError``/``InterfaceError``) is logged and retried after a growing pause
(1, 2, 4 … 60 s) instead of ending the process. After each round the worker writes a heartbeat — a cache entry
(the database cache in production, so every app server sees it) — which ``/healthz`` reads.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from gridgov.db.busy import describe, is_lock_timeout
from gridgov.types import JSONObject

logger = logging.getLogger("gridgov.db.workers")

TASKS = "tasks"  # manage.py task_worker
DEADLINE_ALERTS = "deadline_alerts"  # manage.py deadline_alerts --loop
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# "~" sorts after every letter and digit: the database cache culls the lowest keys first, so a full cache never
# drops a heartbeat.
_KEY = "~gridgov-heartbeat-{name}"
BEAT_EVERY = 10.0  # seconds between two heartbeats of a busy loop (each one is a small write)


def stale_after(every: float) -> float:
    """Seconds without a heartbeat after which a worker that beats every ``every`` seconds is reported stale."""
    return max(60.0, 3 * every)


@dataclass
class Backoff:
    """Pauses after consecutive failures: first, 2×first, 4×first … at most ``most`` seconds."""

    first: float = 1.0
    most: float = 60.0
    failures: int = 0

    def failed(self) -> float:
        delay = min(self.most, self.first * 2.0**self.failures)
        self.failures += 1
        return delay

    def succeeded(self) -> None:
        self.failures = 0


@dataclass
class Heartbeat:
    """Writes ``name``'s heartbeat: at most every ``every`` seconds, and at once when its state changes."""

    name: str
    every: float = BEAT_EVERY
    _written_at: float = field(default=-1e9, repr=False)
    _state: str = field(default="", repr=False)

    def beat(self, *, state: str = "ok", detail: str = "", now: datetime | None = None) -> None:
        clock = time.monotonic()
        if state == self._state and clock - self._written_at < self.every:
            return
        value = {
            "at": (now or timezone.now()).isoformat(),
            "state": state,
            "detail": detail[:300],
            "every": self.every,
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        try:
            cache.set(_KEY.format(name=self.name), value, timeout=None)
        except Exception as exc:  # a heartbeat that cannot be written must not stop the work; it goes stale
            logger.warning("%s：心跳写入失败（%s）", self.name, describe(exc))
            return
        self._written_at, self._state = clock, state


def read_heartbeats(names: list[str]) -> dict[str, JSONObject | None]:
    """The last heartbeat of each worker, or None for a worker never seen."""
    found = cache.get_many([_KEY.format(name=name) for name in names])
    return {name: found.get(_KEY.format(name=name)) for name in names}


def run_steadily(
    name: str,
    step: Callable[[], bool],
    *,
    interval: float,
    keep_going: Callable[[], bool] = lambda: True,
    backoff: Backoff | None = None,
    heartbeat: Heartbeat | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call ``step`` while ``keep_going()``; ``step`` returns True when it did some work (then it is called again
    at once) and False when there was nothing to do (then the loop waits ``interval`` seconds).

    A transient database error is logged and retried after the next pause of ``backoff``; any other error ends
    the loop (a supervisor such as bin/demo restarts the process, and says so)."""
    backoff = backoff or Backoff()
    heartbeat = heartbeat or Heartbeat(name, every=max(BEAT_EVERY, interval))
    logger.info("%s：开始运行（间隔 %s 秒）", name, interval)
    # Said before the first step, which may take a while (a backlog, a database busy with a batch): until then
    # /healthz reports the worker starting, not missing.
    heartbeat.beat(state="starting")
    while keep_going():
        try:
            did_work = step()
        except TRANSIENT_ERRORS as exc:
            delay = backoff.failed()
            logger.warning(
                "%s：数据库暂时不可用（%s），%s 秒后第 %d 次重试", name, describe(exc), delay, backoff.failures
            )
            connections.close_all()  # a broken connection is replaced by a fresh one on the next round
            if not is_lock_timeout(exc):  # (behind a lock the heartbeat's own write would only wait as well)
                heartbeat.beat(state="retrying", detail=describe(exc))
            sleep(delay)
            continue
        if backoff.failures:
            logger.warning("%s：数据库恢复，继续运行", name)
        backoff.succeeded()
        heartbeat.beat(state="ok")
        if not did_work and keep_going():
            sleep(interval)
