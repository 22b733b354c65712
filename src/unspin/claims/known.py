"""Known claims as an analysis uses them: the database of fact-checked claims, the similarity encoder that
embeds sentences for it, and the verifier that decides which retrieved claim a sentence actually makes.

``analyze``, ``batch`` and ``serve`` all reach it through ``KnownClaims.for_options``: a database file that
does not exist means no matching and ``claims: 0`` in the analysis (never a database created as a side
effect of an analysis); the server creates and seeds its database before it gets here.
"""

from __future__ import annotations

import threading

import numpy as np

from unspin.analysis import ClaimMatch
from unspin.claims.matcher import MIN_SIMILARITY, ClaimMatcher, Match
from unspin.claims.vectors import Embedder
from unspin.claims.verify import Verifier
from unspin.options import RunOptions
from unspin.store.db import Database


class KnownClaims:
    def __init__(
        self,
        db: Database,
        encoder: Embedder | None = None,
        options: RunOptions | None = None,
        min_score: float = MIN_SIMILARITY,
        verifier: Verifier | None = None,
        verify: bool = True,
    ) -> None:
        """``verify=False`` shows every retrieved claim over the floor: only for tests of retrieval itself."""
        self.db, self.min_score = db, min_score
        self.options = options or RunOptions()
        self._encoder = encoder
        self._verifier, self._verify = verifier, verify
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

    def verifier(self) -> Verifier | None:
        if self._verify and self._verifier is None:
            self._verifier = Verifier.load()
        return self._verifier if self._verify else None

    def _matcher(self) -> ClaimMatcher:
        matcher: ClaimMatcher | None = getattr(self._local, "matcher", None)
        if matcher is None:
            matcher = ClaimMatcher(self.db.conn(), self.encoder(), self.min_score, verifier=self.verifier())
            self._local.matcher = matcher
        return matcher

    def size(self) -> int:
        """Known claims that a match searches (0 without a database file)."""
        return self._matcher().size if self.db.exists() else 0

    def match(self, sentences: list[str], vectors: np.ndarray | None = None) -> list[list[Match]]:
        """The verified known claims each sentence makes (``vectors``: the sentences' embeddings, if any)."""
        if not self.db.exists():
            return [[] for _ in sentences]
        matcher = self._matcher()
        with self._lock:  # the OpenVINO infer request is not re-entrant
            return matcher.match(sentences, vectors)


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
        relation="same",
    )
