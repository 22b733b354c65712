"""The known-claims stage of an analysis: the spotted claims matched against the database of known
(fact-checked) claims, and how many known claims were searched.

``analyze``, ``batch`` and ``serve`` all reach it through ``KnownClaims.for_options``: a database file that
does not exist means no matching and ``claims: 0`` in the analysis (never a database created as a side
effect of an analysis); the server creates and seeds its database before it gets here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from unspin.analysis import Claim, ClaimMatch, KnownClaimsInfo
from unspin.claims.matcher import MIN_SIMILARITY, ClaimMatcher, Match
from unspin.claims.vectors import Embedder
from unspin.options import RunOptions
from unspin.store.db import Database


class KnownClaims:
    def __init__(
        self,
        db: Database,
        encoder: Embedder | None = None,
        options: RunOptions | None = None,
        min_score: float = MIN_SIMILARITY,
    ) -> None:
        self.db, self.min_score = db, min_score
        self.options = options or RunOptions()
        self._encoder = encoder
        self._local = threading.local()
        self._lock = threading.Lock()

    @classmethod
    def for_options(cls, options: RunOptions) -> KnownClaims | None:
        """The stage as the run options ask for it; None when matching is switched off."""
        if not options.match_claims:
            return None
        return cls(Database(options.db), options=options)

    def encoder(self) -> Embedder:
        with self._lock:  # one encoder for all threads; its first load compiles the graph
            if self._encoder is None:
                from unspin.encoder.similarity import SentenceEncoder

                self._encoder = SentenceEncoder(options=self.options)
            return self._encoder

    def _matcher(self) -> ClaimMatcher:
        matcher: ClaimMatcher | None = getattr(self._local, "matcher", None)
        if matcher is None:
            matcher = ClaimMatcher(self.db.conn(), self.encoder(), self.min_score)
            self._local.matcher = matcher
        return matcher

    def size(self) -> int:
        """Known claims that a match searches (0 without a database file)."""
        return self._matcher().size if self.db.exists() else 0

    def match(self, sentences: list[str]) -> list[list[Match]]:
        if not self.db.exists():
            return [[] for _ in sentences]
        matcher = self._matcher()
        with self._lock:  # the OpenVINO infer request is not re-entrant
            return matcher.match(sentences)

    def attach(self, claims: Sequence[Claim]) -> tuple[list[Claim], KnownClaimsInfo]:
        """The claims with their matches, and what was searched."""
        found = self.match([c.text for c in claims])
        out = [
            c.model_copy(update={"matches": [match_record(m) for m in ms]})
            for c, ms in zip(claims, found, strict=True)
        ]
        return out, KnownClaimsInfo(claims=self.size(), min_score=self.min_score)


def match_record(m: Match) -> ClaimMatch:
    c = m.claim
    return ClaimMatch(
        id=int(c.id or 0),
        score=round(m.score, 4),
        title=c.title,
        summary=c.summary,
        verdict=c.verdict,
        disproof=c.disproof,
        reviewer=c.reviewer,
        date=c.date,
        url=c.url,
    )
