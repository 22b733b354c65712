"""A document after the one encoder pass: the text's structure, the tokens, and what the encoder computed
for them. Every head reads this one object; none runs the encoder again.

``pool`` is the only pooling in unspin (paragraphs, sentences, mentions, the whole article), and the
document's ``segment_at`` the only "which sentence or paragraph holds this offset".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from unspin.document import Document, Level, Segment

PoolMode = Literal["mean", "max", "mean_max"]
Spans = Sequence[Segment] | Sequence[tuple[int, int]]


def _bounds(spans: Spans) -> tuple[np.ndarray, np.ndarray]:
    if not len(spans):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = [(s.start, s.end) if isinstance(s, Segment) else s for s in spans]
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def segment_index(offsets: np.ndarray, segments: Sequence[Segment]) -> np.ndarray:
    """For each token (offsets [n, 2]), the index of the segment holding its first character; -1 if none."""
    idx = np.full(offsets.shape[0], -1, dtype=np.int64)
    if segments and offsets.shape[0]:
        starts = np.asarray([s.start for s in segments])
        ends = np.asarray([s.end for s in segments])
        pos = np.searchsorted(starts, offsets[:, 0], side="right") - 1
        ok = (pos >= 0) & (offsets[:, 0] < ends[np.clip(pos, 0, None)])
        idx[ok] = pos[ok]
    return idx


@dataclass(frozen=True, eq=False)
class Encoded:
    """``doc`` plus its encoder tokens: code-point ``offsets`` [n, 2], technique probabilities ``probs``
    [n, techniques] and last hidden states ``hidden`` [n, hidden] (None for a technique-only model)."""

    doc: Document
    offsets: np.ndarray
    probs: np.ndarray
    hidden: np.ndarray | None

    @property
    def text(self) -> str:
        return self.doc.text

    def __len__(self) -> int:
        return int(self.offsets.shape[0])

    def token_ranges(self, spans: Spans) -> tuple[np.ndarray, np.ndarray]:
        """[i, j) token ranges overlapping each character span (tokens are in text order, so the tokens
        overlapping a span are one contiguous range)."""
        starts, ends = _bounds(spans)
        i = np.searchsorted(self.offsets[:, 1], starts, side="right")
        j = np.searchsorted(self.offsets[:, 0], ends, side="left")
        return i, np.maximum(i, j)

    def pool(self, spans: Spans, mode: PoolMode = "mean_max") -> np.ndarray:
        """Hidden states pooled over the tokens of each span: [spans, hidden] for mean or max, [spans,
        2 * hidden] for mean_max (mean first). A span without tokens pools to zeros."""
        if self.hidden is None:
            raise ValueError("this model's encoder returns no hidden states to pool")
        h = self.hidden.shape[1]
        i, j = self.token_ranges(spans)
        width = 2 * h if mode == "mean_max" else h
        out = np.zeros((len(i), width), np.float32)
        if not len(i) or not len(self):
            return out
        # reduceat over interleaved [i0, j0, i1, j1, ...]: every even result is one span's reduction
        # (vectorized for any number of spans: 100,000 one-word paragraphs are a limit test). reduceat wants
        # every index inside the array, so spans that run to the last token are reduced on their own.
        hidden, n = self.hidden, len(self)
        to_end = j >= n
        has = j > i
        inner = np.flatnonzero(~to_end)
        if len(inner):
            idx = np.empty(2 * len(inner), np.int64)
            idx[0::2], idx[1::2] = i[inner], j[inner]
            if mode in ("mean", "mean_max"):
                sums = np.add.reduceat(hidden, idx, axis=0)[0::2]
                out[inner, :h] = sums / np.maximum(j[inner] - i[inner], 1)[:, None]
            if mode in ("max", "mean_max"):
                col = h if mode == "mean_max" else 0
                out[inner, col : col + h] = np.maximum.reduceat(hidden, idx, axis=0)[0::2]
        for k in np.flatnonzero(to_end & has):
            rows = hidden[i[k] :]
            if mode in ("mean", "mean_max"):
                out[k, :h] = np.add.reduce(rows, axis=0) / len(rows)  # summed as reduceat sums
            if mode in ("max", "mean_max"):
                col = h if mode == "mean_max" else 0
                out[k, col : col + h] = rows.max(0)
        out[~has] = 0.0
        return out

    def article_vector(self) -> np.ndarray:
        """[mean, max] over every token: the article's vector for document-level heads."""
        vector: np.ndarray = self.pool([(0, len(self.text))])[0]
        return vector

    @cached_property
    def _token_index(self) -> dict[Level, np.ndarray]:
        return {}

    def token_index(self, level: Level = "paragraph") -> np.ndarray:
        """For each token, the index of the paragraph (or sentence) holding its first character; -1 if none."""
        index: np.ndarray | None = self._token_index.get(level)
        if index is None:
            index = self._token_index[level] = segment_index(self.offsets, self.doc.segments(level))
        return index
