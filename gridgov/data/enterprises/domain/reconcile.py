"""Two-book reconciliation (两本账比对): which hazards the government and third-party books found at an
enterprise that the enterprise's own self-check book missed.

The rule (documented in docs/ledgers-enterprise.md):
- a government/third-party hazard and a self-check hazard can match only if they are of the same hazard
  category (sub-category);
- their similarity is 0.4 × similarity of the locations + 0.6 × similarity of the descriptions, each the
  rapidfuzz ``partial_ratio`` (0–100) of the texts with spaces and punctuation removed — partial, because
  one book often writes a longer description of the same thing ("配电箱" vs "3号车间配电箱未接地");
- pairs scoring at least ``THRESHOLD`` are matched greedily, best score first, each hazard at most once;
- a government/third-party hazard left unmatched is "missed by the self-check book".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from rapidfuzz import fuzz

from gridgov.data.enterprises.enums import GOVERNMENT_BOOKS, Book
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.models import Enterprise

THRESHOLD = 60.0
LOCATION_WEIGHT = 0.4
DESCRIPTION_WEIGHT = 0.6
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MatchedPair:
    government: Hazard
    own: Hazard
    score: float


@dataclass(frozen=True, slots=True)
class Reconciliation:
    enterprise: Enterprise
    matched: list[MatchedPair]
    missed: list[Hazard]  # found by government / third parties, not in the self-check book
    self_only: list[Hazard]  # in the self-check book only

    @property
    def government_total(self) -> int:
        return len(self.matched) + len(self.missed)


def _clean(text: str) -> str:
    return _NOISE.sub("", text or "")


def similarity(a_location: str, a_description: str, b_location: str, b_description: str) -> float:
    location = fuzz.partial_ratio(_clean(a_location), _clean(b_location))
    description = fuzz.partial_ratio(_clean(a_description), _clean(b_description))
    return round(LOCATION_WEIGHT * location + DESCRIPTION_WEIGHT * description, 1)


def reconcile(
    *, enterprise: Enterprise, hazards: QuerySet[Hazard], start: date | None = None, end: date | None = None
) -> Reconciliation:
    """Compare the enterprise's books for hazards found in [start, end) (all time when not given), among
    ``hazards`` — the rows the reader may see (``permissions.visible_records``): a handler of one department
    compares the entries of their own cases, never reads another department's."""
    qs = hazards.filter(enterprise=enterprise).select_related("case", "case__category")
    if start is not None:
        qs = qs.filter(found_on__gte=start)
    if end is not None:
        qs = qs.filter(found_on__lt=end)
    found = list(qs.order_by("found_on", "id"))
    own = [h for h in found if h.book == Book.SELF]
    government = [h for h in found if h.book in GOVERNMENT_BOOKS]
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(government):
        for oi, o in enumerate(own):
            if g.case.category_id != o.case.category_id:
                continue
            score = similarity(g.location, g.case.description, o.location, o.case.description)
            if score >= THRESHOLD:
                candidates.append((score, gi, oi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_o: set[int] = set()
    matched: list[MatchedPair] = []
    for score, gi, oi in candidates:
        if gi in used_g or oi in used_o:
            continue
        used_g.add(gi)
        used_o.add(oi)
        matched.append(MatchedPair(government=government[gi], own=own[oi], score=score))
    matched.sort(key=lambda p: (p.government.found_on, p.government.pk))
    return Reconciliation(
        enterprise=enterprise,
        matched=matched,
        missed=[g for gi, g in enumerate(government) if gi not in used_g],
        self_only=[o for oi, o in enumerate(own) if oi not in used_o],
    )
