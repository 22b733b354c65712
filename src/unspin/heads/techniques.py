"""The technique head: per-technique thresholds on paragraph scores, spans made consistent with them.

The encoder graph itself returns per-token technique probabilities (the token head is inside it); this head
scores paragraphs — from those probabilities, from a paragraph layer over pooled states, or their mean
(``mix``) — labels them with per-technique thresholds, and cuts the spans users see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import Paragraph, TechniqueSpan, paragraph_records, technique_summaries
from unspin.encoder.encoded import Encoded
from unspin.heads import spans as sp
from unspin.heads.base import Linear, Section, clip01, strength

MIXES = ("tokens", "head", "mean")
# Paragraph scores below this are noise and would only bloat the JSON.
SCORE_FLOOR = 0.05


@dataclass(frozen=True)
class Decoded:
    spans: list[sp.RawSpan]
    labels: np.ndarray  # bool [paragraphs, techniques]
    scores: np.ndarray  # float [paragraphs, techniques]


@dataclass(frozen=True)
class TechniqueHead:
    """Per-technique thresholds on paragraph scores; spans made consistent with paragraph labels."""

    name: ClassVar[str] = "techniques"
    writes: ClassVar[tuple[str, ...]] = ("paragraphs", "spans", "techniques")

    labels: tuple[str, ...]  # the order of the graph's token outputs
    thresholds: np.ndarray  # on the paragraph score (scale of ``mix``)
    span_thresholds: np.ndarray  # on token probabilities
    mix: str = "tokens"
    paragraph: Linear | None = None
    # Techniques annotated on whole clauses (median gold span >= 40 characters: Doubt, False dilemma, Causal
    # oversimplification ...): their token runs inside one sentence are one span, not word fragments.
    clause_labels: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.mix not in MIXES:
            raise ValueError(f"unknown paragraph mix {self.mix!r}: use one of {MIXES}")
        if self.mix != "tokens" and self.paragraph is None:
            raise ValueError(f"paragraph mix {self.mix!r} needs a paragraph layer")
        k = len(self.labels)
        if self.thresholds.shape != (k,) or self.span_thresholds.shape != (k,):
            raise ValueError(f"expected {k} thresholds and span thresholds")

    @classmethod
    def load(cls, section: Section) -> TechniqueHead:
        labels = tuple(section.get("labels"))
        paragraph = section.linear("paragraph") if section.get("paragraph", None) is not None else None
        head = cls(
            labels=labels,
            thresholds=np.asarray(section.get("thresholds"), np.float32),
            span_thresholds=np.asarray(section.get("span_thresholds"), np.float32),
            mix=section.get("mix"),
            paragraph=paragraph,
            clause_labels=frozenset(labels.index(t) for t in section.get("clause_techniques")),
        )
        section.done()
        return head

    def settings(self) -> dict[str, Any]:
        """The section ``load`` reads back (the paragraph layer is saved beside it)."""
        return {
            "labels": list(self.labels),
            "thresholds": [float(t) for t in self.thresholds],
            "span_thresholds": [float(t) for t in self.span_thresholds],
            "mix": self.mix,
            "clause_techniques": [self.labels[i] for i in sorted(self.clause_labels)],
        }

    @property
    def undetectable(self) -> list[str]:
        """Techniques whose threshold no probability reaches: no training examples, or switched off because
        cross-validation found their flags wrong more often than right enough to show."""
        return [t for t, th in zip(self.labels, self.thresholds, strict=True) if th > 1.0]

    def paragraph_scores(self, enc: Encoded) -> np.ndarray:
        tok_par = enc.token_index("paragraph")
        token_max = sp.paragraph_scores(enc.probs, tok_par, len(enc.doc.paragraphs))
        head = None
        if self.paragraph is not None and enc.hidden is not None and self.mix != "tokens":
            head = self.paragraph(enc.pool(enc.doc.paragraphs))
        return sp.combine_paragraph_scores(token_max, head, self.mix)

    def decode(self, enc: Encoded) -> Decoded:
        text, doc = enc.text, enc.doc
        tok_par = enc.token_index("paragraph")
        scores = self.paragraph_scores(enc)
        labels = scores >= self.thresholds[None, :]
        spans = sp.decode_spans(text, enc.probs, enc.offsets, tok_par, self.span_thresholds)
        if self.mix != "tokens":
            spans = sp.consistent_spans(
                text, spans, labels, enc.probs, enc.offsets, tok_par, doc.sentences, self.clause_labels
            )
        if self.clause_labels and doc.sentences:
            spans = sp.merge_in_sentences(spans, doc.sentences, self.clause_labels)
        return Decoded(sp.clip_to_paragraphs(text, spans, doc.paragraphs), labels, scores)

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        decoded = self.decode(enc)
        text = enc.text
        spans = [
            TechniqueSpan(
                start=r.start,
                end=r.end,
                text=text[r.start : r.end],
                technique=self.labels[r.label],
                confidence=clip01(r.confidence),
                paragraph=r.paragraph,  # decoded inside doc.paragraphs, so this indexes them
                strength=strength(r.confidence, float(self.span_thresholds[r.label])),
            )
            for r in decoded.spans
        ]
        kept_scores = {
            i: {self.labels[j]: round(float(v), 4) for j, v in enumerate(row) if v >= SCORE_FLOOR}
            for i, row in enumerate(decoded.scores)
        }
        paragraphs: list[Paragraph] = paragraph_records(enc.doc, spans, kept_scores, self.labels)
        return {
            "paragraphs": paragraphs,
            "spans": spans,
            "techniques": technique_summaries(spans, self.labels),
        }
