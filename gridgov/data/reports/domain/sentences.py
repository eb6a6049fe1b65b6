"""How the year in review writes a sentence: plain text and figures, each figure phrased as the work report
writes it (3124件, 100%, 1.89亿元, 240余万元) and kept with its source and key, so the page can link the number to
the records behind it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from gridgov.data.cases.figures import Figure
from gridgov.data.reports import phrasing

# "size": a rate written without its sign, for a sentence that says 增幅 or 降幅 itself.
Style = Literal["count", "approx", "rate", "size", "money", "money_approx"]


@dataclass(frozen=True)
class Piece:
    """Part of a sentence: plain text, or a figure (source app + key) written in a style; ``linked`` when there
    are cases or, ``records`` true, other records behind it."""

    text: str
    source: str = ""
    key: str = ""
    linked: bool = False
    records: bool = False


@dataclass
class Sentence:
    topic: str
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


def phrase(figure: Figure, style: Style) -> str:
    value = figure.value
    if style in ("rate", "size"):
        rate = value if isinstance(value, Decimal) or value is None else Decimal(value)
        return phrasing.percent_whole(abs(rate) if style == "size" and rate is not None else rate)
    if style in ("money", "money_approx"):
        return phrasing.money(value, approximate=style == "money_approx")
    number = None if value is None else int(value)
    # A unit's English may carry the space a bare "N rooms" needs; the phrasing puts its own.
    return phrasing.count(number, figure.unit.strip(), approximate=style == "approx")


class Writer:
    """Builds sentences from the figures of each source; a figure a source does not give is written "—"."""

    def __init__(self, figures: Mapping[str, Mapping[str, Figure]]) -> None:
        self.found = figures

    def figures(self, source: str) -> Mapping[str, Figure]:
        return self.found.get(source, {})

    def pieces(self, source: str, parts: list[str | tuple[str, Style]]) -> list[Piece]:
        found = self.figures(source)
        pieces = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(Piece(part))
                continue
            key, style = part
            figure = found.get(key)
            if figure is None:
                pieces.append(Piece("—"))
                continue
            records = figure.cases is None and figure.records is not None
            linked = figure.cases is not None or records
            pieces.append(Piece(phrase(figure, style), source=source, key=key, linked=linked, records=records))
        return pieces

    def sentence(self, topic: str, source: str, parts: list[str | tuple[str, Style]]) -> Sentence:
        return Sentence(topic, self.pieces(source, parts))
