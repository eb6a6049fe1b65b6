"""The English catalogue is complete, and the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def read_po(path: Path) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(context, msgid) → msgstr for every entry, and the msgids flagged fuzzy."""
    entries: dict[tuple[str, str], str] = {}
    fuzzy: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        is_fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                is_fuzzy = True
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                current, _space, literal = line.partition(" ")
                fields[current] = ast.literal_eval(literal)
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = fields.get("msgstr", "")
            if is_fuzzy:
                fuzzy.append(fields["msgid"])
    return entries, fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries, fuzzy = read_po(LOCALE / "django.po")
    assert len(entries) > 250
    assert [msgid for (_ctx, msgid), msgstr in entries.items() if not msgstr] == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    entries, _fuzzy = read_po(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for (context, msgid), msgstr in entries.items()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == []
