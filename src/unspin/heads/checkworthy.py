"""Claim spotting: which sentences of an article make a checkable assertion about the world.

A sigmoid probe over each sentence's [mean, max]-pooled token states from the shared encoder pass (no second
run), trained on the CheckThat! 2024 check-worthiness sentences (``unspin.train.claim_probe``). Two rules,
saved with the probe (``rules``, ``min_words``), adapt the debate-trained probe to news without tuning on
news: a question asks rather than asserts, and a fragment of a few words (a dateline, a byline, "Read
more") carries no checkable content. Both were measured on the CheckThat! dev file, never on the
hand-labelled news sentences (see the model card).

The head writes every candidate sentence with the probe's score; which of them the analysis shows (the
ranking and its cut, ``--claims``) and which known claims they make are decided by the claims stage
(``unspin.claims.stage``), because those need the similarity encoder and a database, not this pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import Claim
from unspin.document import Segment
from unspin.encoder.encoded import Encoded
from unspin.heads.base import Linear, Section, clip01

MIN_WORDS = 5


def is_candidate(sentence: str, min_words: int = MIN_WORDS) -> bool:
    """A sentence that could assert something checkable: not a question, not a fragment."""
    s = sentence.strip()
    return len(s.split()) >= min_words and not s.rstrip("\"'”’»)").endswith("?")


class CheckworthyHead:
    name: ClassVar[str] = "checkworthy"
    writes: ClassVar[tuple[str, ...]] = ("claims",)

    def __init__(self, probe: Linear, min_words: int = MIN_WORDS, rules: bool = True) -> None:
        self.probe = probe
        self.threshold = probe.threshold(0)
        self.min_words = int(min_words)
        self.rules = bool(rules)

    @classmethod
    def load(cls, section: Section) -> CheckworthyHead:
        head = cls(section.linear("probe"), min_words=section.get("min_words"), rules=section.get("rules"))
        section.done()
        return head

    def settings(self) -> dict[str, Any]:
        return {"min_words": self.min_words, "rules": self.rules}

    def candidates(self, enc: Encoded) -> list[Segment]:
        sentences = list(enc.doc.sentences)
        if not self.rules:
            return sentences
        return [s for s in sentences if is_candidate(enc.doc.span_text(s), self.min_words)]

    def scores(self, enc: Encoded, spans: list[Segment]) -> np.ndarray:
        if not spans:
            return np.zeros(0, np.float32)
        return self.probe(enc.pool(spans))[:, 0]

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        """Every candidate with its score (the claims stage ranks and cuts; ``threshold`` is its fallback)."""
        if enc.hidden is None or not len(enc):
            return {"claims": []}
        spans = self.candidates(enc)
        claims = [
            Claim(
                start=s.start,
                end=s.end,
                text=enc.doc.span_text(s),
                sentence=enc.doc.segment_at(s.start, "sentence", nearest=True) or 0,
                score=clip01(p),
            )
            for s, p in zip(spans, self.scores(enc, spans), strict=True)
        ]
        return {"claims": claims}
