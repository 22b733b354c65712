"""Heads that read the encoder's hidden states outside the graph, and the technique decoder.

The graph returns per-token technique logits and the last hidden states; heads over pooled states (today
the paragraph technique head; later narratives, genre, frames) are small matrices applied here in numpy,
so the encoder still runs once per window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.model import decode

MIXES = ("tokens", "head", "mean")


@dataclass(frozen=True)
class LinearHead:
    """sigmoid(x @ weight + bias): weight [in, out], bias [out]."""

    weight: np.ndarray
    bias: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return decode.sigmoid(x @ self.weight + self.bias)

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path) as data:
            return cls(data["weight"].astype(np.float32), data["bias"].astype(np.float32))

    def save(self, path: Path) -> None:
        np.savez(path, weight=self.weight.astype(np.float32), bias=self.bias.astype(np.float32))


@dataclass(frozen=True)
class Decoded:
    spans: list[decode.RawSpan]
    labels: np.ndarray  # bool [paragraphs, techniques]
    scores: np.ndarray  # float [paragraphs, techniques]


@dataclass(frozen=True)
class TechniqueDecoder:
    """Per-technique thresholds on paragraph scores; spans made consistent with paragraph labels."""

    thresholds: np.ndarray  # on the paragraph score (scale of ``mix``)
    span_thresholds: np.ndarray  # on token probabilities
    mix: str = "tokens"
    paragraph_head: LinearHead | None = None
    # Techniques annotated on whole clauses (median gold span >= 40 characters: Doubt, False dilemma, Causal
    # oversimplification ...): their token runs inside one sentence are one span, not word fragments.
    clause_labels: frozenset[int] = frozenset()

    def paragraph_scores(
        self, probs: np.ndarray, hidden: np.ndarray | None, tok_par: np.ndarray, n_paragraphs: int
    ) -> np.ndarray:
        token_max = decode.paragraph_scores(probs, tok_par, n_paragraphs)
        head = None
        if self.paragraph_head is not None and hidden is not None and self.mix != "tokens":
            head = self.paragraph_head(decode.paragraph_pool(hidden, tok_par, n_paragraphs))
        return decode.combine_paragraph_scores(token_max, head, self.mix)

    def decode(
        self,
        text: str,
        offsets: np.ndarray,
        probs: np.ndarray,
        hidden: np.ndarray | None,
        paragraphs: Sequence[tuple[int, int]],
        sentences: Sequence[tuple[int, int]] = (),
    ) -> Decoded:
        tok_par = decode.token_paragraph_index(offsets, paragraphs)
        scores = self.paragraph_scores(probs, hidden, tok_par, len(paragraphs))
        labels = scores >= self.thresholds[None, :]
        spans = decode.decode_spans(text, probs, offsets, tok_par, self.span_thresholds)
        if self.mix != "tokens":
            spans = decode.consistent_spans(
                text, spans, labels, probs, offsets, tok_par, sentences, self.clause_labels
            )
        if self.clause_labels and sentences:
            spans = decode.merge_in_sentences(spans, sentences, self.clause_labels)
        return Decoded(decode.clip_to_paragraphs(text, spans, paragraphs), labels, scores)
