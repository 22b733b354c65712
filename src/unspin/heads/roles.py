"""Entity framing: the role an article casts a mention and an entity in (SemEval-2025 Task 10 subtask 1).

Three layers read a mention's vector ([mean state of the mention's tokens, mean state of its sentence]):
``framed`` (sigmoid: does the article cast this mention in a role at all? trained with the unannotated
entity mentions of annotated articles as negatives, so an entity the article does not frame stays
unframed), ``role`` (softmax over Protagonist, Antagonist, Innocent) and ``fine_role`` (sigmoid over the
22 fine roles); the last two are trained on annotated mentions only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unspin.document import Segment
from unspin.encoder.encoded import Encoded
from unspin.errors import ModelError
from unspin.heads.base import Linear
from unspin.taxonomy.roles import FINE_ROLES, MAIN_ROLES

FRAMED = "framed"


def mention_features(enc: Encoded, mentions: Sequence[tuple[int, int]]) -> np.ndarray:
    """[mean state of the mention's tokens, mean state of its sentence's tokens] per mention: [m, 2 * hidden]."""
    sentences = _sentences_of(enc, mentions)
    return np.concatenate([enc.pool(mentions, "mean"), enc.pool(sentences, "mean")], axis=1)


# How a mention becomes a vector for the role layers (saved with the head as ``role_features``):
#   mention_sentence  [mean state of the mention's tokens, mean state of its sentence]
#   context           [mean state of its sentence without the mention's tokens, mean state of the
#                     CONTEXT_WINDOW tokens either side of it]: the name's own tokens are left out, so the
#                     role comes from what the text says around it (the neutrality audit measures the gain)
ROLE_FEATURES = ("mention_sentence", "context")
CONTEXT_WINDOW = 8


def _sentences_of(enc: Encoded, mentions: Sequence[tuple[int, int]]) -> list[Segment]:
    doc = enc.doc
    whole = Segment(0, len(doc.text))
    return [
        doc.sentences[i] if (i := doc.segment_at(start, "sentence", nearest=True)) is not None else whole
        for start, _ in mentions
    ]


def context_features(enc: Encoded, mentions: Sequence[tuple[int, int]]) -> np.ndarray:
    """[mean state of the sentence without the mention, mean state of the window around it]: [m, 2 * hidden].

    Sums are taken from the span means times their token counts, so nothing is pooled twice."""
    sentences = _sentences_of(enc, mentions)
    im, jm = enc.token_ranges(mentions)
    is_, js = enc.token_ranges([(s.start, s.end) for s in sentences])
    n_m, n_s = (jm - im).astype(np.float32), (js - is_).astype(np.float32)
    sum_m = enc.pool(mentions, "mean") * n_m[:, None]
    sum_s = enc.pool(sentences, "mean") * n_s[:, None]
    inside = (is_ <= im) & (jm <= js)  # the mention lies in its sentence (it always should)
    rest = np.where(inside, n_s - n_m, n_s)
    sentence = (sum_s - np.where(inside[:, None], sum_m, 0.0)) / np.maximum(rest, 1.0)[:, None]
    n = len(enc)
    offsets = enc.offsets
    left_i, right_j = np.maximum(im - CONTEXT_WINDOW, 0), np.minimum(jm + CONTEXT_WINDOW, n)
    sums = np.zeros_like(sentence)
    counts = np.zeros(len(mentions), np.float32)
    for a, b in ((left_i, im), (jm, right_j)):
        has = b > a
        spans = [
            (int(offsets[x, 0]), int(offsets[y - 1, 1])) if h else (0, 0)
            for x, y, h in zip(a, b, has, strict=True)
        ]
        sums += enc.pool(spans, "mean") * (b - a).astype(np.float32)[:, None] * has[:, None]
        counts += np.where(has, b - a, 0)
    window = sums / np.maximum(counts, 1.0)[:, None]
    return np.concatenate([sentence, window], axis=1).astype(np.float32)


def role_features(enc: Encoded, mentions: Sequence[tuple[int, int]], kind: str) -> np.ndarray:
    if kind == "mention_sentence":
        return mention_features(enc, mentions)
    if kind == "context":
        return context_features(enc, mentions)
    raise ModelError(f"unknown role features {kind!r}: one of {ROLE_FEATURES}")


@dataclass(frozen=True)
class RoleCall:
    framed: float  # probability that the article casts this mention in a role
    main_scores: dict[str, float]  # Protagonist/Antagonist/Innocent -> probability (given framed)
    fine_scores: dict[str, float]  # fine role -> probability

    @property
    def main_role(self) -> str:
        return max(self.main_scores, key=lambda k: self.main_scores[k])

    def fine_roles(self, main: str, thresholds: dict[str, float]) -> list[tuple[str, float]]:
        """Fine roles of ``main`` above their thresholds, best first; at least the best one."""
        own = sorted(
            ((r, p) for r, p in self.fine_scores.items() if FINE_ROLES.get(r) == main),
            key=lambda rp: -rp[1],
        )
        picked = [(r, p) for r, p in own if p >= thresholds.get(r, 0.5)]
        return picked or own[:1]


class RoleScorer:
    """The three role layers over mention vectors."""

    def __init__(self, framed: Linear, role: Linear, fine: Linear):
        self.framed_probe = framed
        self.role = role
        self.fine = fine
        if set(role.labels) != set(MAIN_ROLES):
            raise ModelError(f"the role layer's labels {role.labels} are not the main roles {MAIN_ROLES}")
        t = fine.thresholds if fine.thresholds is not None else np.full(len(fine.labels), 0.5)
        self.fine_thresholds = {r: float(v) for r, v in zip(fine.labels, t, strict=True)}
        self.framed_threshold = framed.threshold(0)

    def __call__(self, features: np.ndarray) -> list[RoleCall]:
        """Mention vectors [m, 2 * hidden] -> one call per mention."""
        if not len(features):
            return []
        framed = self.framed_probe(features)[:, 0]
        main = self.role(features)
        fine = self.fine(features)
        return [
            RoleCall(
                float(f),
                {lab: float(p) for lab, p in zip(self.role.labels, row, strict=True)},
                {lab: float(p) for lab, p in zip(self.fine.labels, frow, strict=True)},
            )
            for f, row, frow in zip(framed, main, fine, strict=True)
        ]

    def is_framed(self, call: RoleCall) -> bool:
        return call.framed >= self.framed_threshold
