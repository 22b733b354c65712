"""The claims an analysis shows: check-worthy sentences ranked for news and cut where a fact-checker would
stop (``--claims top|all|N``), each matched against known, fact-checked claims — verified matches only.

The check-worthiness head scores every candidate sentence from the shared encoder pass; here the ranking
(``claims.rank``) adds what a debate-trained probe misses in news (a probe over the sentence's vector, surface
cues such as numbers, names and reported speech), the cut keeps the best, and every candidate is matched:
a sentence that repeats a debunked claim is shown whatever its rank, because a known false claim is the one
thing a fact-checker checks first. The sentence vectors are computed once and serve ranking and matching.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from unspin.analysis import Claim, KnownClaimsInfo
from unspin.claims.known import KnownClaims, match_record
from unspin.claims.rank import ClaimRanker, parse_mode
from unspin.claims.vectors import Embedder
from unspin.options import RunOptions

RANK_FILE = "claim_rank.json"


class ClaimsStage:
    def __init__(
        self,
        model_dir: Path,
        options: RunOptions,
        known: KnownClaims | None,
        threshold: float = 0.5,
        encoder: Embedder | None = None,
    ) -> None:
        """``threshold``: the check-worthiness head's own cut, used when no ranking fits the encoder."""
        self.mode = parse_mode(options.claims)
        self.options, self.known, self.threshold = options, known, threshold
        path = model_dir / RANK_FILE
        self.ranker = ClaimRanker.load(path) if path.exists() else None
        self._encoder = encoder
        self._lock = threading.Lock()

    def encoder(self) -> Embedder | None:
        """The similarity encoder, shared with matching; None when the model is not installed."""
        if self.known is not None:
            return self.known.encoder()
        with self._lock:
            if self._encoder is None:
                from unspin.encoder.similarity import SentenceEncoder, similarity_model_available

                if not similarity_model_available():
                    return None
                self._encoder = SentenceEncoder(options=self.options)
            return self._encoder

    def __call__(self, candidates: list[Claim]) -> tuple[list[Claim], KnownClaimsInfo | None]:
        """The claims to show, in text order, with their ranked scores and verified matches; and what was
        searched (None when matching is off)."""
        info = None
        if self.known is not None:
            info = KnownClaimsInfo(claims=self.known.size(), min_score=self.known.min_score)
        if not candidates:
            return [], info
        texts = [c.text for c in candidates]
        probe = np.asarray([c.score for c in candidates], np.float32)
        encoder = self.encoder() if self.ranker is not None or (info and info.claims) else None
        vectors = None
        if encoder is not None:
            with self._lock:  # one OpenVINO request per encoder: not re-entrant
                vectors = encoder.encode(texts)
        if self.ranker is not None and encoder is not None and self.ranker.accepts(encoder.name):
            assert vectors is not None
            scores = self.ranker.scores(probe, texts, vectors)
            shown = set(self.ranker.select(scores, self.mode))
        else:
            scores = probe
            shown = set(_select_by_probe(probe, self.threshold, self.mode))
        found = self.known.match(texts, vectors) if info and info.claims and self.known is not None else None
        out = []
        for i, c in enumerate(candidates):
            matches = [match_record(m) for m in found[i]] if found is not None else []
            if i in shown or matches:
                out.append(c.model_copy(update={"score": round(float(scores[i]), 4), "matches": matches}))
        return out, info


def _select_by_probe(probe: np.ndarray, threshold: float, mode: str | int) -> list[int]:
    order = [int(i) for i in np.argsort(-probe, kind="stable")]
    if mode == "all":
        return order
    if mode == "top":
        return [i for i in order if probe[i] >= threshold]
    return order[: int(mode)]
