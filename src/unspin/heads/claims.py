"""Claim spotting: which sentences of an article make a checkable assertion about the world.

A sigmoid probe over each sentence's [mean, max]-pooled token states from the shared encoder pass (no second
run), trained on the CheckThat! 2024 check-worthiness sentences (``unspin.train.claim_probe``). Two rules
adapt the debate-trained probe to news without tuning on news: a question asks rather than asserts, and a
fragment of a few words (a dateline, a byline, "Read more") carries no checkable content. Both were measured
on the CheckThat! dev file, never on the hand-labelled news sentences (see the model card).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspin.model.probes import Probe

MIN_WORDS = 5


def span_features(hidden: np.ndarray, offsets: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """[mean, max] of the token states overlapping each character span: [spans, 2 * hidden]."""
    out = np.zeros((len(spans), 2 * hidden.shape[1]), np.float32)
    ends, starts = offsets[:, 1], offsets[:, 0]
    for k, (s, e) in enumerate(spans):
        # Tokens are in text order, so those overlapping [s, e) are one contiguous range.
        i = int(np.searchsorted(ends, s, side="right"))
        j = int(np.searchsorted(starts, e, side="left"))
        if j > i:
            out[k] = np.concatenate([hidden[i:j].mean(0), hidden[i:j].max(0)])
    return out


def is_candidate(sentence: str) -> bool:
    """A sentence that could assert something checkable: not a question, not a fragment."""
    s = sentence.strip()
    return len(s.split()) >= MIN_WORDS and not s.rstrip("\"'”’»)").endswith("?")


@dataclass(frozen=True)
class Spotted:
    start: int
    end: int
    score: float


class ClaimSpotter:
    def __init__(self, probe: Probe):
        self.probe = probe
        self.threshold = float(probe.thresholds[0]) if probe.thresholds is not None else 0.5

    def scores(self, hidden: np.ndarray, offsets: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
        if not spans:
            return np.zeros(0, np.float32)
        return self.probe(span_features(hidden, offsets, spans))[:, 0]

    def spot(
        self, text: str, hidden: np.ndarray, offsets: np.ndarray, sentences: list[tuple[int, int]]
    ) -> list[Spotted]:
        """Check-worthy sentences at or above the threshold, in text order."""
        spans = [(s, e) for s, e in sentences if is_candidate(text[s:e])]
        scores = self.scores(hidden, offsets, spans)
        return [Spotted(s, e, float(p)) for (s, e), p in zip(spans, scores, strict=True) if p >= self.threshold]
