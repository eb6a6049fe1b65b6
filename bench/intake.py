"""Intake throughput: ``POST /api/cases`` against a bare one-row-insert view, same settings, same run.

    nice .venv/bin/python bench/intake.py [--requests 4000] [--rounds 16] [--trials 5] [--threads 6] [--workers 2]
    nice bash bin/with-postgres .venv/bin/python bench/intake.py       # PostgreSQL (the database is flushed!)

Sets up a fresh database (SQLite in a temporary directory unless DATABASE_URL is set) with the demo town's
organisation, makes an API token for a grid worker, then starts two gunicorn servers one after the other,
each with ``--workers`` sync workers, production settings (GRIDGOV_DEBUG off, persistent connections, the
database task queue) and the project's ``gunicorn.conf.py`` (which warms each worker):

- GridGov (``gridgov.wsgi``): ``POST /api/cases`` with a JSON report and a fresh ``Idempotency-Key`` each;
- the baseline (``bench/intake_bare.py``): GridGov's settings and middleware, one view inserting one row;
- (one client sends every report: its token, user and memberships are read once per
  GRIDGOV_API_TOKEN_CACHE_SECONDS by each worker, as for a phone syncing its queue; ``--read-token-every-call``
  reads them on every call, as for a client's first call);
- with ``--with-task-worker``, GridGov's task worker runs beside them as in production (the outbox's
  notifications, the new reports' day counts for the indicators), its CPU printed as its own group;
- and, as the floor under any authenticated API call, ``GET /api/me`` on the GridGov server (token look-up,
  memberships, a small JSON answer; no write).

Both servers run at once; each gets the same number of requests from ``--threads`` client threads (a new
connection per request, as gunicorn's sync workers close them) after a short warm-up, in ``--rounds``
alternating rounds so that the shared machine's noise falls on both alike. Prints req/s (requests over the
time spent loading that server), p50/p95/p99 and GridGov/baseline.

On a shared machine the ratio moves by several points from one run to the next (the noise falls harder on the
larger code path), however many rounds a run has: ``--trials N`` measures N times, each with servers started
afresh, prints every trial's ratio and shows the median trial in full. The defaults (4,000 requests each in 16
rounds, 5 trials) are what bench/README.md quotes.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="gridgov-intake-"))
ENV = {
    "GRIDGOV_DEBUG": "0",
    "GRIDGOV_SECRET_KEY": secrets.token_urlsafe(40),
    "GRIDGOV_FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "GRIDGOV_AUDIT_KEY": secrets.token_hex(24),
    "GRIDGOV_VAR_DIR": str(WORK),
    "GRIDGOV_MEDIA_ROOT": str(WORK / "media"),
    "GRIDGOV_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{WORK}/bench.sqlite3"),
}
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "gridgov.settings"

import django

django.setup()

from django.core.management import call_command
from django.db import connection

from gridgov.data.access.tokens import create_token

BARE_TABLE = "bench_intake_row"
FLOOR_PATH = "/api/me"  # an authenticated API GET that writes nothing: the floor under any API create


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu: dict[str, int] = field(default_factory=dict)  # CPU ticks spent while loaded, by process group

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def set_up() -> str:
    """A fresh database with the demo town's organisation; returns a grid worker's API token."""
    import random

    from gridgov.ops.demo.organisation import build_organisation

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # gunicorn with GRIDGOV_DEBUG=0 needs it
    org = build_organisation(random.Random(1))
    worker = next(iter(org.grid_workers.values()))
    token = create_token(user=worker, name="bench").secret
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        key = "INTEGER PRIMARY KEY AUTOINCREMENT" if connection.vendor == "sqlite" else "BIGSERIAL PRIMARY KEY"
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id {key}, created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            "idempotency_key VARCHAR(128) NOT NULL, description TEXT NOT NULL)"
            if connection.vendor == "postgresql"
            else f"CREATE TABLE {BARE_TABLE} (id {key}, created_at DATETIME NOT NULL, "
            "idempotency_key VARCHAR(128) NOT NULL, description TEXT NOT NULL)"
        )
    connection.close()
    return token


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(settings_module: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, **ENV, "DJANGO_SETTINGS_MODULE": settings_module, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "gunicorn", "gridgov.wsgi:application",
        "-c", str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT),
        "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz?only=database")  # no task worker runs here
            conn.getresponse().read()
            conn.close()
            time.sleep(1.0)  # let every worker finish its warm-up
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn ({settings_module}) did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def load(name: str, port: int, path: str, headers: dict[str, str], count: int, threads: int) -> Result:
    """POST a new report to ``path`` ``count`` times (GET when ``path`` is the floor's ``/api/me``)."""
    body = json.dumps({"category": "1201", "description": "路口垃圾堆积，影响通行", "address": "双合村村口"})
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    todo = iter(range(count))

    def one() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.perf_counter()
        if path == FLOOR_PATH:
            conn.request("GET", path, headers=headers)
        else:
            conn.request("POST", path, body=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
        response = conn.getresponse()
        response.read()
        conn.close()
        took = time.perf_counter() - began
        with lock:
            latencies.append(took)
            if response.status != (200 if path == FLOOR_PATH else 201):
                errors += 1

    def run() -> None:
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            one()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return Result(name, count, time.perf_counter() - began, latencies, errors)


def _ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (FileNotFoundError, ProcessLookupError):
        return 0


def start_task_worker() -> subprocess.Popen[bytes]:
    """GridGov's task worker (``manage.py task_worker``), as in production: it delivers the outbox and adds the
    new reports' day counts to the indicator rollups, work a report leaves to it."""
    env = {**os.environ, **ENV, "DJANGO_SETTINGS_MODULE": "gridgov.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "task_worker", "--interval", "0.2"], env=env)


def _cpu_by_group(server_pid: int, task_worker: int | None = None) -> dict[str, int]:
    """CPU ticks so far of the server's workers, of every postgres process, of this client and of the task
    worker (``--with-task-worker``)."""
    groups = {"workers": 0, "database": 0, "client": _ticks(os.getpid())}
    if task_worker is not None:
        groups["task worker"] = _ticks(task_worker)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        if ppid == server_pid:
            groups["workers"] += _ticks(int(entry))
        elif name == "postgres":
            groups["database"] += _ticks(int(entry))
    return groups


def measure(targets: list[tuple[str, str, str, dict[str, str]]], args: argparse.Namespace) -> list[Result]:
    """Start every server, then load them in alternating rounds, so the machine's noise falls on all alike."""
    started: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    for _name, settings_module, _path, _headers in targets:  # one server per settings module
        if settings_module not in started:
            started[settings_module] = start(settings_module, args.workers)
    servers = [started[settings_module] for _name, settings_module, _path, _headers in targets]
    task_worker = start_task_worker() if args.with_task_worker else None
    worker_pid = task_worker.pid if task_worker is not None else None
    try:
        for (name, _settings, path, headers), (_server, port) in zip(targets, servers, strict=True):
            load(name, port, path, headers, args.warmup, args.threads)
        totals = [Result(name, 0, 0.0, [], 0) for name, *_rest in targets]
        per_round = max(args.requests // args.rounds, 1)
        for _round in range(args.rounds):
            for total, (name, _settings, path, headers), (_server, port) in zip(totals, targets, servers, strict=True):
                before = _cpu_by_group(_server.pid, worker_pid)
                part = load(name, port, path, headers, per_round, args.threads)
                after = _cpu_by_group(_server.pid, worker_pid)
                for group, ticks in after.items():
                    total.cpu[group] = total.cpu.get(group, 0) + ticks - before[group]
                total.requests += part.requests
                total.seconds += part.seconds
                total.latencies += part.latencies
                total.errors += part.errors
        return totals
    finally:
        for server, _port in started.values():
            stop(server)
        if task_worker is not None:
            stop(task_worker)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=16, help="alternating rounds (noise falls on both alike)")
    parser.add_argument(
        "--read-token-every-call",
        action="store_true",
        help="GRIDGOV_API_TOKEN_CACHE_SECONDS=0: every call reads its token, as a client's first call does",
    )
    parser.add_argument(
        "--with-task-worker",
        action="store_true",
        help="run GridGov's task worker beside the servers, as in production, and count its CPU",
    )
    parser.add_argument(
        "--trials",
        type=int,
        default=5,
        help="measure this many times, each with freshly started servers, and show the median trial: on a shared "
        "machine the ratio moves between runs by several points",
    )
    args = parser.parse_args()
    if args.read_token_every_call:
        ENV["GRIDGOV_API_TOKEN_CACHE_SECONDS"] = "0"  # the servers' environment (started below)
    token = set_up()
    vendor = connection.vendor
    auth = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    targets = [
        ("GridGov POST /api/cases", "gridgov.settings", "/api/cases", auth),
        ("GridGov GET /api/me", "gridgov.settings", FLOOR_PATH, auth),
        ("bare one-row insert", "bench.intake_bare", "/bare", {"Content-Type": "application/json"}),
    ]
    print(
        f"database: {vendor}; {args.requests} requests each, {args.threads} client threads, {args.workers} workers; "
        + ("every call reads its token" if args.read_token_every_call else "one client: its token read once per 3 s")
        + ("; with the task worker running" if args.with_task_worker else "; no task worker")
        + (f"; {args.trials} trials, each with servers of its own" if args.trials > 1 else ""),
        flush=True,
    )
    trials: list[list[Result]] = []
    for number in range(1, args.trials + 1):
        results = measure(targets, args)
        trials.append(results)
        if args.trials > 1:
            gridgov, _floor, bare = results
            print(f"trial {number}: ratio {gridgov.rate / bare.rate:.0%} ({gridgov.rate:.0f} / {bare.rate:.0f} req/s)",
                  flush=True)  # fmt: skip
    # The trial whose ratio is the median (the lower middle one of an even number) is shown in full.
    ordered = sorted(trials, key=lambda results: results[0].rate / results[2].rate)
    report(ordered[(len(ordered) - 1) // 2])
    if args.trials > 1:
        ratios = ", ".join(f"{results[0].rate / results[2].rate:.0%}" for results in trials)
        print(f"ratios of the {args.trials} trials: {ratios}; the table above is the median trial's")


def report(results: list[Result]) -> None:
    gridgov, floor, bare = results
    print(f"| {'':<26} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | errors |")
    print(f"|{'-' * 28}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|--------|")
    for result in (gridgov, floor, bare):
        print(
            f"| {result.name:<26} | {result.rate:>7.0f} | {result.pct(0.50):>7.1f} | {result.pct(0.95):>7.1f} "
            f"| {result.pct(0.99):>7.1f} | {result.errors:>6} |"
        )
    tick = os.sysconf("SC_CLK_TCK")
    print("CPU per request (ms): " + "; ".join(
        f"{r.name}: " + ", ".join(f"{g} {1000 * t / tick / r.requests:.2f}" for g, t in r.cpu.items())
        for r in (gridgov, floor, bare)
    ))  # fmt: skip
    print(f"ratio GridGov / bare: {gridgov.rate / bare.rate:.0%}  (median latency ratio "
          f"{statistics.median(bare.latencies) / statistics.median(gridgov.latencies):.0%})")  # fmt: skip
    print(f"floor: GET /api/me / bare: {floor.rate / bare.rate:.0%} (authentication + scope, no write)")


if __name__ == "__main__":
    main()
