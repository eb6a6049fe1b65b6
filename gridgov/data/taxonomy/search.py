"""Category search for the report form: by Chinese text, by full pinyin and by pinyin initials.

A grid worker types "暴露", "baolu" or "bl" and finds 市容环卫 / 暴露垃圾. The index is built per town
with pypinyin and kept in process memory; it is keyed by a fingerprint of the town's categories (one
small query per search), so an edit in the admin is picked up on the next search without any signal.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from gridgov.data.org.english import local_name
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.models import Category

MAX_RESULTS = 12
_NOT_LETTERS = re.compile(r"[^a-z]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One sub-category as the picker shows it, with the keys it is found by."""

    id: int
    code: str
    name: str
    major_id: int
    major_name: str
    texts: tuple[str, ...]  # name, keywords, major name (Chinese, lower-case), English names
    full: tuple[str, ...]  # full pinyin of each text, letters only: "baolulaji"
    initials: tuple[str, ...]  # initials of each text: "bllj"
    syllables: tuple[tuple[str, ...], ...]  # pinyin syllables of each text: ("bao", "lu", "la", "ji")
    name_en: str = ""
    major_name_en: str = ""

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)

    @property
    def local_major_name(self) -> str:
        return local_name(self.major_name, self.major_name_en)

    @property
    def label(self) -> str:
        return f"{self.local_major_name} / {self.local_name}"


@dataclass(frozen=True, slots=True)
class Major:
    id: int
    code: str
    name: str
    name_en: str = ""

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class TownIndex:
    fingerprint: str
    majors: tuple[Major, ...]
    entries: tuple[Entry, ...]


_cache: dict[int, TownIndex] = {}
_lock = threading.Lock()


def _syllables(text: str) -> tuple[str, ...]:
    return tuple(s for s in (_NOT_LETTERS.sub("", p.lower()) for p in lazy_pinyin(text, errors="default")) if s)


def _full(text: str) -> str:
    return "".join(_syllables(text))


def _initials(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return _NOT_LETTERS.sub("", "".join(letters).lower())


Row = tuple[int, int | None, str, str, str, int, str]  # id, parent id, code, name, keywords, sort order, name_en


def _build(town_id: int, rows: Sequence[Row], fingerprint: str) -> TownIndex:
    by_id = {row[0]: row for row in rows}
    majors = tuple(
        Major(id=pk, code=code, name=name, name_en=name_en)
        for pk, parent, code, name, _kw, _order, name_en in sorted(rows, key=lambda r: (r[5], r[2]))
        if parent is None
    )
    entries = []
    for pk, parent, code, name, keywords, _order, name_en in sorted(rows, key=lambda r: r[2]):
        if parent is None or parent not in by_id:
            continue
        major_name, major_name_en = by_id[parent][3], by_id[parent][6]
        words = (name, *_SPACES.split(keywords.strip()), major_name, name_en, major_name_en)
        texts = tuple(t.lower() for t in words if t)
        entries.append(
            Entry(
                id=pk,
                code=code,
                name=name,
                major_id=parent,
                major_name=major_name,
                name_en=name_en,
                major_name_en=major_name_en,
                texts=texts,
                full=tuple(_full(t) for t in texts),
                initials=tuple(_initials(t) for t in texts),
                syllables=tuple(_syllables(t) for t in texts),
            )
        )
    return TownIndex(fingerprint=fingerprint, majors=majors, entries=tuple(entries))


def town_index(town: Area | int) -> TownIndex:
    """The town's active categories with their pinyin keys (built once, rebuilt when they change)."""
    town_id = town if isinstance(town, int) else town.pk
    rows: list[Row] = list(
        Category.objects.filter(town_id=town_id, active=True, ledger_only=False)  # what a report may choose
        .order_by("code")
        .values_list("id", "parent_id", "code", "name", "keywords", "sort_order", "name_en")
    )
    # An inactive major hides its sub-categories.
    active_ids = {row[0] for row in rows}
    rows = [row for row in rows if row[1] is None or row[1] in active_ids]
    fingerprint = hashlib.sha256(repr(rows).encode()).hexdigest()
    cached = _cache.get(town_id)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    index = _build(town_id, rows, fingerprint)
    with _lock:
        _cache[town_id] = index
    return index


def _prefixes_match(syllables: tuple[str, ...], start: int, letters: str) -> bool:
    """Whether ``letters`` is a run of prefixes of consecutive syllables from ``start`` ("lajfl", "ldlf")."""
    if not letters:
        return True
    if start >= len(syllables):
        return False
    syllable = syllables[start]
    return any(
        letters.startswith(syllable[:k]) and _prefixes_match(syllables, start + 1, letters[k:])
        for k in range(min(len(syllable), len(letters)), 0, -1)
    )


def _score(entry: Entry, query: str, letters: str) -> int:
    """Higher is better; 0 means no match. The name counts more than keywords and the major's name."""
    best = 0
    keys = zip(entry.texts, entry.full, entry.initials, entry.syllables, strict=True)
    for position, (text, full, initials, syllables) in enumerate(keys):
        weight = 3 if position == 0 else (1 if position == len(entry.texts) - 1 else 2)
        score = 0
        if text == query:
            score = 100
        elif text.startswith(query):
            score = 80
        elif query in text:
            score = 60
        elif letters and len(letters) == len(query):
            if initials == letters:
                score = 70
            elif full.startswith(letters) or _prefixes_match(syllables, 0, letters):
                score = 50
            elif any(_prefixes_match(syllables, i, letters) for i in range(1, len(syllables))):
                score = 30
        best = max(best, score * weight)
    return best


def search_categories(
    *, town: Area | int, query: str, major_id: int | None = None, limit: int = MAX_RESULTS
) -> list[Entry]:
    """Sub-categories of the town matching ``query`` (Chinese, pinyin or initials), best first.

    With an empty query, the sub-categories of ``major_id`` (a quick chip), or nothing.
    """
    index = town_index(town)
    query = _SPACES.sub("", (query or "").strip().lower())
    letters = _NOT_LETTERS.sub("", query)
    pool = [e for e in index.entries if major_id is None or e.major_id == major_id]
    if not query:
        return pool[:limit] if major_id is not None else []
    scored = [(score, e) for e in pool if (score := _score(e, query, letters)) > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].code))
    return [entry for _score_value, entry in scored[:limit]]


def majors(*, town: Area | int) -> tuple[Major, ...]:
    """The town's active major categories (the quick chips), in their configured order."""
    return town_index(town).majors


def clear_cache() -> None:
    with _lock:
        _cache.clear()
