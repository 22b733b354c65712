"""One immutable text and every structure in it as offsets (spaCy's Doc/Span idea).

A ``Document`` owns the text; paragraphs, sentences and encoder tokens are ``Segment`` views, pairs of
code-point offsets into that text. Nothing ever copies or normalizes the text after it is created, so any
offset the analysis reports slices the input to exactly the words it quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

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


def split_sentences(text: str, paragraph: Segment) -> list[Segment]:
    """Sentences of one paragraph by punctuation rules that know common abbreviations and initials."""
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


@dataclass(frozen=True)
class Document:
    """The analyzed text and its structure. ``title`` is metadata, not part of ``text``."""

    text: str
    title: str | None = None
    paragraphs: tuple[Segment, ...] = field(default=())
    sentences: tuple[Segment, ...] = field(default=())
    # Encoder word pieces, set by the analyzer: the token -> character mapping of the model, [n, 2]
    # (start, end) code-point offsets. Kept as an array: a thousand Segment objects per article would
    # cost more than the decoding that uses them.
    token_offsets: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64), repr=False)

    @classmethod
    def from_text(
        cls, text: str, title: str | None = None, token_offsets: np.ndarray | None = None
    ) -> Document:
        paragraphs = split_paragraphs(text)
        sentences = [s for p in paragraphs for s in split_sentences(text, p)]
        offsets = np.zeros((0, 2), dtype=np.int64) if token_offsets is None else np.asarray(token_offsets)
        return cls(text, title, tuple(paragraphs), tuple(sentences), offsets)

    @property
    def tokens(self) -> tuple[Segment, ...]:
        """The encoder's word pieces as segments."""
        return tuple(Segment(int(s), int(e)) for s, e in self.token_offsets)

    def span_text(self, seg: Segment) -> str:
        return self.text[seg.start : seg.end]

    def paragraph_of(self, offset: int) -> int | None:
        """Index of the paragraph containing ``offset``, or None."""
        for i, p in enumerate(self.paragraphs):
            if p.start <= offset < p.end:
                return i
        return None
