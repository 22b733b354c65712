"""One immutable text and every structure in it as offsets (spaCy's Doc/Span idea).

A ``Document`` owns the text; paragraphs and sentences are ``Segment`` views, pairs of code-point offsets
into that text (the encoder's tokens and outputs live beside it, in ``encoder.encoded.Encoded``). Nothing ever copies or normalizes the text after it is created, so any
offset the analysis reports slices the input to exactly the words it quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

# A sentence ends at . ! ? or … (plus closing quotes/brackets), before whitespace and a plausible start.
_SENT_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[\w\d])""")
# Abbreviations after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Rev|Mt|No|vs|etc|e\.g|i\.e|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Corp|Co)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A half-open range [start, end) of code points in a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad segment [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Segment) -> bool:
        return self.start < other.end and other.start < self.end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str) -> list[Segment]:
    """Every non-blank line is a paragraph (trimmed of surrounding white space).

    News text and the SemEval release both put one paragraph per line; line separators are any of
    \\n, \\r\\n, \\r and the Unicode line/paragraph separators.
    """
    out: list[Segment] = []
    for m in re.finditer(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+", text):
        s, e = _trim(text, m.start(), m.end())
        if e > s:
            out.append(Segment(s, e))
    return out


# Languages whose sentences a maintained splitter finds better than the rules below: razdel (MIT, the
# natasha project's rule-based splitter) knows Russian abbreviations ("т.е.", "г.", "тыс.") and Cyrillic
# initials ("В. В. Путин"), where the rules split mid-sentence.
RAZDEL_LANGUAGES = frozenset({"ru"})


def split_sentences(text: str, paragraph: Segment, language: str | None = None) -> list[Segment]:
    """Sentences of one paragraph: razdel for Russian, else punctuation rules that know common
    abbreviations and initials. Offsets always index ``text`` itself."""
    if language in RAZDEL_LANGUAGES:
        return _razdel_sentences(text, paragraph)
    out: list[Segment] = []
    start = paragraph.start
    chunk = text[paragraph.start : paragraph.end]
    for m in _SENT_END.finditer(chunk):
        end = paragraph.start + m.end()
        head = text[max(start, end - 12) : end].rstrip("\"'”’»)]")
        if _ABBREV.search(head):
            continue
        s, e = _trim(text, start, end)
        if e > s:
            out.append(Segment(s, e))
        start = end
    s, e = _trim(text, start, paragraph.end)
    if e > s:
        out.append(Segment(s, e))
    return out


def _razdel_sentences(text: str, paragraph: Segment) -> list[Segment]:
    from razdel import sentenize  # pure Python; imported on the first Russian text only

    out: list[Segment] = []
    chunk = text[paragraph.start : paragraph.end]
    for sent in sentenize(chunk):
        s, e = _trim(text, paragraph.start + sent.start, paragraph.start + sent.stop)
        if e > s:
            out.append(Segment(s, e))
    return out


def index_at(segments: Sequence[Segment], offset: int, *, nearest: bool = False) -> int | None:
    """Index of the segment (sorted, disjoint) that holds ``offset``, by bisection.

    With ``nearest``, an offset between segments gets the last segment that starts before it (the first
    one if none does): a mention in a gap still belongs to a sentence. None only for no segments.
    """
    if not segments:
        return None
    i = bisect_right(segments, offset, key=lambda seg: seg.start) - 1
    if i >= 0 and offset < segments[i].end:
        return i
    return max(i, 0) if nearest else None


Level = Literal["paragraph", "sentence"]


@dataclass(frozen=True)
class Document:
    """The analyzed text and its structure. ``title`` is metadata, not part of ``text``."""

    text: str
    title: str | None = None
    paragraphs: tuple[Segment, ...] = field(default=())
    sentences: tuple[Segment, ...] = field(default=())
    language: str | None = None  # ISO 639-1, as detected; decides the sentence splitter

    @classmethod
    def from_text(cls, text: str, title: str | None = None, language: str | None = None) -> Document:
        return cls.from_paragraphs(text, split_paragraphs(text), title, language)

    @classmethod
    def from_paragraphs(
        cls, text: str, paragraphs: Sequence[Segment], title: str | None = None, language: str | None = None
    ) -> Document:
        """A document whose paragraphs are given (trimmed here), e.g. the lines a data set labels."""
        trimmed = [Segment(*_trim(text, p.start, p.end)) for p in paragraphs]
        kept = tuple(p for p in trimmed if p.end > p.start)
        sentences = tuple(s for p in kept for s in split_sentences(text, p, language))
        return cls(text, title, kept, sentences, language)

    def segments(self, level: Level) -> tuple[Segment, ...]:
        return self.paragraphs if level == "paragraph" else self.sentences

    def segment_at(self, offset: int, level: Level = "sentence", *, nearest: bool = False) -> int | None:
        """Index of the paragraph or sentence holding ``offset`` (see ``index_at``)."""
        return index_at(self.segments(level), offset, nearest=nearest)

    def span_text(self, seg: Segment) -> str:
        return self.text[seg.start : seg.end]
