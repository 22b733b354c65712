"""Genre of an article (SemEval-2023 Task 3 subtask 1: opinion, reporting or satire), from its vector."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import Genre
from unspin.encoder.encoded import Encoded
from unspin.heads.base import ProbeHead, clip01
from unspin.taxonomy.frames import GENRE_DEFINITIONS


class GenreHead(ProbeHead):
    name: ClassVar[str] = "genre"
    writes: ClassVar[tuple[str, ...]] = ("genre",)
    needs_article: ClassVar[bool] = True  # read from the whole article: not assessed on a short text

    def scores(self, enc: Encoded) -> dict[str, float]:
        """Probability per genre (softmax over opinion, reporting, satire)."""
        probs = self.probe(enc.article_vector())
        return {lab: float(p) for lab, p in zip(self.probe.labels, probs, strict=True)}

    def label(self, enc: Encoded) -> str:
        """The most probable genre (what the official format wants)."""
        probs = self.probe(enc.article_vector())
        return self.probe.labels[int(np.argmax(probs))]

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        if enc.hidden is None or not len(enc):
            return {"genre": None}
        scores = self.scores(enc)
        best = max(scores, key=lambda k: scores[k])
        genre = Genre(
            label=best,  # type: ignore[arg-type]
            confidence=clip01(scores[best]),
            scores={k: clip01(v) for k, v in scores.items()},
            definition=GENRE_DEFINITIONS.get(best, ""),
        )
        return {"genre": genre}
