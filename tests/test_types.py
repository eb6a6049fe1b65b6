"""Issue 14's rule for honest types: every ``Any`` and every ``type: ignore`` under gridgov/ says why.

An ``Any`` is either one of the named open types of ``gridgov/types.py`` (each with its reason there) or stands
in a statement that carries a ``# Any: …`` comment; a ``# type: ignore[code]`` is followed by ``# why``."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import gridgov

ROOT = Path(gridgov.__file__).parent
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?")


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and p.name != "types.py")


def _statements(path: Path) -> list[tuple[int, list[tokenize.TokenInfo]]]:
    """The file's logical lines (a statement over several physical lines is one), with their first line."""
    statements: list[tuple[int, list[tokenize.TokenInfo]]] = []
    current: list[tokenize.TokenInfo] = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        current.append(token)
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or (
            token.type == tokenize.NL and all(t.type in (tokenize.NL, tokenize.COMMENT) for t in current)
        ):
            statements.append((current[0].start[0], current))
            current = []
    return statements


def unexplained_any(path: Path) -> list[int]:
    found = []
    for line, tokens in _statements(path):
        names = [t.string for t in tokens if t.type == tokenize.NAME]
        if "Any" not in names or names[:1] in (["from"], ["import"]):
            continue
        if not any(t.type == tokenize.COMMENT and t.string.startswith("# Any:") for t in tokens):
            found.append(line)
    return found


def unexplained_ignores(path: Path) -> list[int]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = IGNORE.search(token.string)
        if match and not token.string[match.end() :].strip().startswith("#"):
            found.append(token.start[0])
    return found


def test_every_any_says_why() -> None:
    silent = {str(p.relative_to(ROOT)): lines for p in _sources() if (lines := unexplained_any(p))}
    assert silent == {}


def test_every_type_ignore_says_why() -> None:
    silent = {str(p.relative_to(ROOT)): lines for p in _sources() if (lines := unexplained_ignores(p))}
    assert silent == {}


def test_the_check_finds_a_silent_any_and_a_silent_ignore(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import Any\n"
        "def a(x: Any) -> None: ...\n"
        "def b(\n    x: Any,\n) -> None:  # Any: a reason, after the wrapped signature\n    ...\n"
        "y = f()  # type: ignore[misc]\n"
        "z = f()  # type: ignore[misc]  # a reason\n"
    )
    assert (unexplained_any(sample), unexplained_ignores(sample)) == ([2], [7])
