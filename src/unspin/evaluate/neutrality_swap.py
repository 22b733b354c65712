"""Counterfactual copies of a text: the two sides' names swapped simultaneously, or replaced by invented
names (the placebo), with an alignment that maps any span of the original onto the copy.

The copy is analyzed as a document of its own; its offsets are its own. ``Variant.to_variant`` maps an
original span to the copy (a span that covers part of a replaced name maps to the whole replacement).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Literal

from unspin.evaluate import neutrality_lexicon as lx

Mode = Literal["original", "swap", "placebo"]
MODES: tuple[Mode, ...] = ("original", "swap", "placebo")


@dataclass(frozen=True)
class Segment:
    """One replaced name: [start, end) in the original, [new_start, new_end) in the copy. ``side`` is the
    side the original text speaks of there (the textual actor), ``kind`` what the name is."""

    start: int
    end: int
    new_start: int
    new_end: int
    side: str
    kind: str


@dataclass(frozen=True)
class Variant:
    mode: Mode
    text: str
    segments: tuple[Segment, ...]

    def to_variant(self, start: int, end: int) -> tuple[int, int]:
        """An original span's image in this copy."""
        return self._map(start, at_end=False), self._map(end, at_end=True)

    def _map(self, pos: int, at_end: bool) -> int:
        i = bisect_right([s.start for s in self.segments], pos) - 1
        if i < 0:
            return pos
        seg = self.segments[i]
        if pos >= seg.end:
            return pos + seg.new_end - seg.end
        if pos == seg.start:
            return seg.new_start
        return seg.new_end if at_end else seg.new_start


@dataclass(frozen=True)
class _Entry:
    pair: lx.Pair
    name: lx.Name
    stem: tuple[str, str, str] | None = None  # (russia, ukraine, placebo) stems for stem entries


def _fold(s: str) -> str:
    return s.casefold().replace("ё", "е")


def _pattern(form: str) -> str:
    return "".join("[её]" if ch in "её" else ("[ЕЁ]" if ch in "ЕЁ" else re.escape(ch)) for ch in form)


@cache
def _index() -> tuple[re.Pattern[str], dict[str, _Entry], re.Pattern[str], dict[str, _Entry]]:
    """(regex of whole names, folded surface -> entry, regex of stems, folded stem -> entry)."""
    entries: dict[str, _Entry] = {}
    for pair in (*lx.ENGLISH, *lx.RUSSIAN):
        for name in (pair.russia, pair.ukraine):
            for form in name.forms:
                entries.setdefault(_fold(form), _Entry(pair, name))
    names = sorted(entries, key=len, reverse=True)
    whole = re.compile(r"(?<!\w)(?:" + "|".join(_pattern(f) for f in names) + r")(?!\w)", re.I)
    stems: dict[str, _Entry] = {}
    dummy = lx.Pair(
        lx.Name(lx.RU, "", ()), lx.Name(lx.UA, "", ()), lx.Name(lx.RU, "", ()), lx.Name(lx.UA, "", ())
    )
    for ru, ua, p_ru, p_ua, kind in lx.STEMS:
        stems[ru] = _Entry(dummy, lx.Name(lx.RU, kind, (ru,)), (ru, ua, p_ru))
        stems[ua] = _Entry(dummy, lx.Name(lx.UA, kind, (ua,)), (ua, ru, p_ua))
    for ru, ua, p_ru, kind in lx.ONE_WAY_STEMS:
        stems[ru] = _Entry(dummy, lx.Name(lx.RU, kind, (ru,)), (ru, ua, p_ru))
    endings = "|".join(sorted(lx.ADJECTIVE_ENDINGS, key=len, reverse=True))
    stem_re = re.compile(
        r"(?<!\w)(" + "|".join(sorted(stems, key=len, reverse=True)) + r")(" + endings + r")(?!\w)", re.I
    )
    return whole, entries, stem_re, stems


def _cased_like(surface: str, canonical: str) -> bool:
    """A proper name keeps its capital ("Рада" the parliament, not "рада" glad; "Russia", not "russia" in
    a URL slug); lowercase words (adjectives) match in any case."""
    if surface.isupper() and len(surface) > 1:
        return True
    return not (canonical[:1].isupper() and not surface[:1].isupper())


def _recase(surface: str, canonical: str, target: str, sentence_start: bool) -> str:
    if surface.isupper() and len(surface) > 1 and not canonical.isupper():
        return target.upper()
    if (surface[:1].isupper() and not canonical[:1].isupper()) or sentence_start:
        return target[:1].upper() + target[1:]
    return target


_PREV_WORD = re.compile(r"(?:(со стороны)|(\w+))\s+$", re.I)


def _preceding(text: str, start: int) -> re.Match[str] | None:
    return _PREV_WORD.search(text[max(0, start - 24) : start])


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“«‘(")
    return not before or before[-1] in ".!?\n\r"


def _case(name: lx.Name, surface: str, prep: str | None) -> int:
    cases = [i for i, f in enumerate(name.forms) if _fold(f) == _fold(surface)]
    allowed = lx.PREPOSITION_CASES.get(prep or "", frozenset())
    fitting = [c for c in cases if c in allowed] or cases
    return min(fitting, key=lx.CASE_PREFERENCE.index)


def _target(entry: _Entry, mode: Mode) -> lx.Name:
    pair = entry.pair
    if mode == "original":
        return entry.name
    if mode == "swap":
        return pair.ukraine if entry.name.side == lx.RU else pair.russia
    return pair.placebo_russia if entry.name.side == lx.RU else pair.placebo_ukraine


def make_variant(text: str, mode: Mode) -> Variant:
    """The copy of ``text`` in ``mode``: ``original`` finds the names and changes nothing; ``swap`` gives
    each side the other's names; ``placebo`` gives each side invented ones."""
    whole, entries, stem_re, stems = _index()
    found: list[tuple[int, int, str, str, str]] = []  # start, end, replacement, side, kind
    for m in whole.finditer(text):
        entry = entries[_fold(m.group(0))]
        canonical = next(f for f in entry.name.forms if _fold(f) == _fold(m.group(0)))
        if not _cased_like(m.group(0), canonical):
            continue
        found.append(_replace(text, m.start(), m.end(), entry, canonical, mode))
    for m in stem_re.finditer(text):
        if any(s < m.end() and m.start() < e for s, e, *_ in found):
            continue
        entry = stems[_fold(m.group(1))]
        assert entry.stem is not None
        ru_or_ua, other, placebo = entry.stem
        new_stem = {"original": ru_or_ua, "swap": other, "placebo": placebo}[mode]
        out = _recase(m.group(1), ru_or_ua, new_stem, False) + m.group(2)
        found.append(
            (m.start(), m.end(), out if mode != "original" else m.group(0), entry.name.side, entry.name.kind)
        )
    found.sort()
    parts: list[str] = []
    segments: list[Segment] = []
    cursor = shift = 0
    for start, end, new, side, kind in found:
        parts.append(text[cursor:start])
        segments.append(Segment(start, end, start + shift, start + shift + len(new), side, kind))
        parts.append(new)
        shift += len(new) - (end - start)
        cursor = end
    parts.append(text[cursor:])
    return Variant(mode, "".join(parts), tuple(segments))


def _replace(
    text: str, start: int, end: int, entry: _Entry, canonical: str, mode: Mode
) -> tuple[int, int, str, str, str]:
    surface = text[start:end]
    target = _target(entry, mode)
    side, kind = entry.name.side, entry.name.kind
    if mode == "original":
        return start, end, surface, side, kind
    if not entry.pair.inflected:
        return (
            start,
            end,
            _recase(surface, canonical, target.forms[0], _sentence_start(text, start)),
            side,
            kind,
        )
    prev = _preceding(text, start)
    prep = (prev.group(1) or prev.group(2)).casefold() if prev else None
    case = _case(entry.name, surface, prep)
    new = _recase(surface, canonical, target.forms[case], _sentence_start(text, start))
    # "на Украине" becomes "в России", "в Кремле" "на Банковой", "из Кремля" "с Банковой": the preposition
    # of place belongs to the name. "на" + accusative stays: "напали на Украину" is an attack, not a place.
    if prev is not None and prev.group(2):
        p = prev.group(2)
        new_prep = None
        if p.casefold() in ("в", "во", "на") and (
            case == lx.PREP or (case == lx.ACC and p.casefold() != "на")
        ):
            new_prep = target.place[0]
        elif p.casefold() in ("из", "изо", "с", "со") and case == lx.GEN:
            new_prep = target.place[1]
        elif p.casefold() in ("о", "об"):
            new_prep = "об" if new[:1].casefold() in "аоуэи" else "о"  # "о России", "об Украине"
        if new_prep is not None and new_prep != p.casefold():
            p_start = max(0, start - 24) + prev.start(2)
            new = _recase(p, p.casefold(), new_prep, False) + text[p_start + len(p) : start] + new
            start = p_start
    return start, end, new, side, kind
