"""bin/_run.sh, the shell helpers of bin/demo: the port check before setting up, and the supervised workers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUN_SH = Path(__file__).resolve().parent.parent / "bin" / "_run.sh"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f'source "{RUN_SH}"\n{script}'], cwd=cwd, capture_output=True, text=True, timeout=30
    )


def _said(stderr: str) -> list[str]:
    return [ANSI.sub("", line) for line in stderr.splitlines()]


@contextmanager
def _running(script: str, cwd: Path, stderr: Path) -> Iterator[None]:
    """Runs ``script`` (after sourcing bin/_run.sh) in its own process group, stopped with all it started."""
    with stderr.open("w") as err:
        process = subprocess.Popen(
            ["bash", "-c", f'source "{RUN_SH}"\n{script}\nwait'], cwd=cwd, stderr=err, start_new_session=True
        )
    try:
        yield
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for_lines(path: Path, count: int) -> list[str]:
    for _ in range(300):
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    raise AssertionError(f"{path.name} has {len(lines)} lines, expected {count}")


def test_supervise_restarts_at_once_and_backs_off_while_the_command_keeps_ending(tmp_path: Path) -> None:
    # A worker killed after a long run is back after 1 s (it used to be 5 s, which with Django's start made a
    # dispatched case's 消息 late by more than 30 s); one that keeps ending at once waits 1, 2, 4 … s.
    with _running(
        'supervise "The task worker" worker.log bash -c "echo ran >> runs.txt; exit 3"', tmp_path, tmp_path / "said"
    ):
        _wait_for_lines(tmp_path / "runs.txt", 3)
    assert _said((tmp_path / "said").read_text())[:2] == [
        "==> The task worker stopped (exit 3); restarting it in 1 s — see worker.log",
        "==> The task worker stopped (exit 3); restarting it in 2 s — see worker.log",
    ]


def test_a_supervised_manage_command_skips_the_system_checks(tmp_path: Path) -> None:
    # ``uv`` stands in for the real one here: it records how it was called and ends.
    with _running(
        'uv() { printf "%s\\n" "$*" >> calls.txt; }\n'
        'supervise_manage "The task worker" worker.log task_worker --interval 1',
        tmp_path,
        tmp_path / "said",
    ):
        calls = _wait_for_lines(tmp_path / "calls.txt", 1)
    assert calls[0] == "run --locked python manage.py task_worker --interval 1 --skip-checks"


def test_check_port_refuses_a_port_in_use_before_anything_is_set_up(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _bash(f"check_port {port}", tmp_path)
    assert result.returncode == 1
    assert _said(result.stderr) == [
        f"==> Port {port} is in use (another bin/demo?); choose a free one: GRIDGOV_DEMO_PORT=8001 bin/demo"
    ]


def test_check_port_refuses_what_is_not_a_port_and_accepts_a_free_one(tmp_path: Path) -> None:
    for text in ("80x", "0", "65536", ""):
        result = _bash(f'check_port "{text}"', tmp_path)
        assert (result.returncode, _said(result.stderr)) == (
            1,
            [f"==> GRIDGOV_DEMO_PORT={text} is not a port number (1–65535)"],
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]  # bound but not listening: nothing answers there
        result = _bash(f"check_port {free}", tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
