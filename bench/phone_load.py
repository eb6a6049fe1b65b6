"""The phone's first and repeat load on a throttled 3G link, with the offline app (service worker) and
without it (the baseline: the same pages, the browser's HTTP cache only), in the same run.

    nice .venv/bin/python bench/phone_load.py [--rounds 3] [--rtt 300] [--down-kbps 1600] [--up-kbps 750]

Sets up a fresh SQLite database in a temporary directory with the demo town's organisation (taxonomy, areas
with boundaries, a grid worker), starts one gunicorn worker (GRIDGOV_DEBUG on, so that whitenoise serves the
`npm run build` output and its .gz files), and puts a small TCP proxy in front that adds the round-trip time
to every connection and each response, and limits both directions to the given bandwidth — unlike Chromium's
own network emulation it also slows the service worker's requests. Headless Chromium at 360 px signs in
(unthrottled), then measures through the proxy:

- first load: `/m/` in a fresh context (nothing cached): navigation start → load event;
- repeat load: `/m/` again after visiting the phone pages once (the service worker has kept them).

Prints the median of each, and with/without the service worker. The issue's target: first load ≤ 60 KB gzip
(checked by tests/ui/test_light_pages.py), repeat load under 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="gridgov-phone-load-"))
PASSWORD = "bench-" + secrets.token_urlsafe(8)
ENV = {
    "GRIDGOV_DEBUG": "1",
    "GRIDGOV_VAR_DIR": str(WORK),
    "GRIDGOV_MEDIA_ROOT": str(WORK / "media"),
    "GRIDGOV_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": f"sqlite:///{WORK}/bench.sqlite3",
}
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "gridgov.settings"

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]


def set_up() -> str:
    import random

    from gridgov.ops.demo.organisation import build_organisation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    org = build_organisation(random.Random(1))
    worker = next(iter(org.grid_workers.values()))
    worker.set_password(PASSWORD)
    worker.save(update_fields=["password"])
    connection.close()
    return worker.username


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "gunicorn", "gridgov.wsgi:application", "-c", str(ROOT / "gunicorn.conf.py"),
        "--chdir", str(ROOT), "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(1.0)
            return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


class Proxy:
    """A TCP proxy that behaves like a slow link: RTT on connect and before each burst, limited bandwidth."""

    def __init__(self, target: int, rtt_ms: int, down_kbps: int, up_kbps: int) -> None:
        self.target, self.rtt = target, rtt_ms / 1000
        self.down, self.up = down_kbps * 1000 / 8, up_kbps * 1000 / 8  # bytes per second
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            client, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client: socket.socket) -> None:
        time.sleep(self.rtt)  # the TCP handshake over the slow link
        upstream = socket.create_connection(("127.0.0.1", self.target))
        asked = threading.Event()  # a request went up: its answer's first bytes come one round trip later
        threading.Thread(target=self.pipe, args=(client, upstream, self.up, asked, False), daemon=True).start()
        self.pipe(upstream, client, self.down, asked, True)

    def pipe(self, source: socket.socket, sink: socket.socket, rate: float, asked: threading.Event, down: bool) -> None:
        try:
            while chunk := source.recv(16384):
                time.sleep(len(chunk) / rate)
                if down and asked.is_set():
                    time.sleep(self.rtt)
                    asked.clear()
                elif not down:
                    asked.set()
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def load_ms(page: Page) -> float:
    entry = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
    return float(entry["loadEventEnd"]) - float(entry["startTime"])


def one_round(browser: Browser, direct: str, slow: str, username: str, workers: bool) -> tuple[float, float]:
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="zh-CN", service_workers="allow" if workers else "block"
    )
    page = context.new_page()
    # Sign in on the slow origin's cookie jar: both ports are 127.0.0.1, and cookies ignore the port.
    page.goto(f"{direct}/login/")
    page.fill("#login-form #id_username", username)
    page.fill("#login-form #id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{slow}/m/", wait_until="load")
    first = load_ms(page)
    if workers:
        page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=120_000)
    for path in ("/m/report/", "/m/verify/", "/m/"):
        page.goto(f"{slow}{path}", wait_until="load")
    page.goto(f"{slow}/m/", wait_until="load")
    repeat = load_ms(page)
    context.close()
    return first, repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rtt", type=int, default=300, help="round-trip time, ms (3G: 300)")
    parser.add_argument("--down-kbps", type=int, default=1600)
    parser.add_argument("--up-kbps", type=int, default=750)
    args = parser.parse_args()
    username = set_up()
    server, port = start_server()
    proxy = Proxy(port, args.rtt, args.down_kbps, args.up_kbps)
    direct, slow = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{proxy.port}"
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for _ in range(args.rounds):
                for workers in (False, True):  # alternate, so the shared machine's noise falls on both
                    results[workers].append(one_round(browser, direct, slow, username, workers))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"3G-like link: RTT {args.rtt} ms, {args.down_kbps} kbit/s down, {args.up_kbps} kbit/s up; "
          f"{args.rounds} rounds, medians")  # fmt: skip
    print(f"{'':34} {'first load':>12} {'repeat load':>12}")
    medians = {}
    for workers, label in ((False, "without service worker (baseline)"), (True, "with the offline app")):
        first = statistics.median(r[0] for r in results[workers])
        repeat = statistics.median(r[1] for r in results[workers])
        medians[workers] = (first, repeat)
        print(f"{label:34} {first:10.0f} ms {repeat:10.0f} ms")
    print(
        f"ratio with/without: first {medians[True][0] / medians[False][0]:.2f}, "
        f"repeat {medians[True][1] / medians[False][1]:.2f}"
    )


if __name__ == "__main__":
    main()
