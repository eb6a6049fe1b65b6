"""The English catalogue is complete, and the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
plurals: dict[str, str] = {}  # msgid → msgid_plural of the plural entries read last


def read_po(path: Path) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(context, msgid) → msgstr (the singular form for plural entries) for every entry, and the msgids
    flagged fuzzy."""
    entries: dict[tuple[str, str], str] = {}
    fuzzy: list[str] = []
    plurals.clear()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        is_fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                is_fuzzy = True
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
                current, _space, literal = line.partition(" ")
                current = "msgstr" if current == "msgstr[0]" else current  # plurals: the singular form
                fields[current] = ast.literal_eval(literal)
            elif line.startswith("msgstr["):
                current = ""  # further plural forms are checked by msgfmt --check
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = fields.get("msgstr", "")
            if "msgid_plural" in fields:
                plurals[fields["msgid"]] = fields["msgid_plural"]
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
    stale = [msgid for (context, msgid), msgstr in entries.items() if _compiled(compiled, context, msgid) != msgstr]
    assert stale == []


def _compiled(compiled: gettext.GNUTranslations, context: str, msgid: str) -> str:
    if msgid in plurals:
        if context:
            return compiled.npgettext(context, msgid, plurals[msgid], 1)
        return compiled.ngettext(msgid, plurals[msgid], 1)
    return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
