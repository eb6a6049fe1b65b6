"""Every management command bin/demo runs takes the options it is given there: a wrong flag stops the README's
first command before the server starts (``createcachetable --skip-checks`` once did), and no other test runs it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent


def demo_commands() -> list[list[str]]:
    """The manage.py calls in bin/demo, each as [command, option …] with shell variables left out."""
    text = (ROOT / "bin" / "demo").read_text()
    calls: list[list[str]] = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].split(">>", 1)[0].rstrip(" &")
        if match := re.search(r"(?:^\s*manage|manage\.py) (.+)", line):
            words = shlex.split(match.group(1))
        elif match := re.match(r'\s*supervise_manage "[^"]*" \S+ (.+)', line):
            words = [*shlex.split(match.group(1)), "--skip-checks"]  # bin/_run.sh adds it
        else:
            continue
        calls.append([w for w in words if not w.startswith("$") and "${" not in w and not w.startswith('"$')])
    return calls


def test_bin_demo_runs_the_commands_a_town_needs() -> None:
    assert [call[0] for call in demo_commands()] == [
        "migrate",
        "createcachetable",
        "demo_town",
        "task_worker",
        "deadline_alerts",
        "demo_town",
        "runserver",
    ]


@pytest.mark.parametrize("call", demo_commands(), ids=lambda call: " ".join(call))
def test_each_command_of_bin_demo_takes_its_options(call: list[str]) -> None:
    name, options = call[0], call[1:]
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("manage.py", name)
    taken = set(parser._option_string_actions)  # every --option the command's parser knows
    given = [word.split("=", 1)[0] for word in options if word.startswith("-")]
    assert [option for option in given if option not in taken] == []
