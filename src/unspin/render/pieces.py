"""Cutting a paragraph into pieces at every span boundary: the one highlight rule of the article view.

Spans of different techniques may overlap. Each paragraph is cut at every span boundary (and at every
entity-mention boundary) into pieces, and every piece lists all spans covering it, shortest first (the
most specific claim would vanish under a longer one). A piece takes the background colour of its first
technique and shows up to ``MAX_UNDERLINES`` further techniques as stacked coloured underlines
(``piece_classes``). The report's and the web app's script (``static/view.js``) re-applies the same
layering to the piece's ``data-k`` list when a technique is hidden, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from unspin.analysis import Analysis, TechniqueSpan
from unspin.render.palette import MAX_UNDERLINES, technique_numbers


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text ``[start, end)`` covered by the same spans; ``spans`` are indices, first = shortest."""

    start: int
    end: int
    spans: tuple[int, ...]


def _priority(span: TechniqueSpan, index: int, numbers: dict[str, int]) -> tuple[int, float, int, int]:
    return (span.end - span.start, -span.confidence, numbers.get(span.technique, len(numbers)), index)


def cut_pieces(
    start: int,
    end: int,
    spans: Sequence[TechniqueSpan],
    numbers: dict[str, int] | None = None,
    cuts: Iterable[int] = (),
) -> list[Piece]:
    """Cut ``[start, end)`` at every boundary of the ``spans`` overlapping it, and at the extra ``cuts``.

    Returns consecutive pieces that tile ``[start, end)`` exactly; each carries the indices (into ``spans``)
    of all spans covering it, in priority order. Empty spans cover nothing.
    """
    numbers = technique_numbers(spans) if numbers is None else numbers
    inside = [
        (i, max(s.start, start), min(s.end, end))
        for i, s in enumerate(spans)
        if max(s.start, start) < min(s.end, end)
    ]
    inside.sort(key=lambda c: _priority(spans[c[0]], c[0], numbers))
    extra = (c for c in cuts if start < c < end)
    bounds = sorted({start, end, *(c[1] for c in inside), *(c[2] for c in inside), *extra})
    return [Piece(a, b, tuple(i for i, s, e in inside if s <= a and b <= e)) for a, b in pairwise(bounds)]


def layers(techniques: Sequence[int]) -> list[int]:
    """The distinct technique numbers of a piece, in priority order: its ``data-k``."""
    return list(dict.fromkeys(techniques))


def piece_classes(techniques: Sequence[int]) -> str:
    """Classes for a piece covered by ``techniques`` (priority order): background, then underlines."""
    classes = ["pc"]
    for level, t in enumerate(layers(techniques)[: MAX_UNDERLINES + 1]):
        classes.append(f"b{t}" if level == 0 else f"l{level}-{t}")
    return " ".join(classes)


def mention_ranges(analysis: Analysis) -> list[tuple[int, int, int]]:
    """``(start, end, entity index)`` of every non-empty entity mention."""
    return [
        (m.start, m.end, i) for i, e in enumerate(analysis.entities) for m in e.mentions if m.start < m.end
    ]
