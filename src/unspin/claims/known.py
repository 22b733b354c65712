"""The known-claims database as the analyzer sees it: opened lazily, one connection per thread (SQLite
connections must stay in the thread that opened them; the server analyzes in worker threads)."""

from __future__ import annotations

import threading
from pathlib import Path

from unspin.analysis import KnownClaimsInfo
from unspin.claims.matcher import MIN_SIMILARITY, ClaimMatcher, Match
from unspin.store.vectors import Embedder


class KnownClaims:
    def __init__(
        self, path: Path | str | None = None, encoder: Embedder | None = None, min_score: float = MIN_SIMILARITY
    ) -> None:
        self.path, self.min_score = path, min_score
        self._encoder = encoder
        self._local = threading.local()
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> KnownClaims | None:
        """The user's database, if it exists and the similarity model is installed; else None (an
        analysis never creates a database as a side effect)."""
        from unspin.model.similarity import similarity_model_available
        from unspin.store.db import default_db_path

        if not default_db_path().is_file() or not similarity_model_available():
            return None
        return cls()

    def _matcher(self) -> ClaimMatcher:
        matcher: ClaimMatcher | None = getattr(self._local, "matcher", None)
        if matcher is None:
            from unspin.store.db import connect

            with self._lock:  # one encoder for all threads; its first load compiles the graph
                if self._encoder is None:
                    from unspin.model.similarity import shared_encoder

                    self._encoder = shared_encoder()
            matcher = ClaimMatcher(connect(self.path), self._encoder, self.min_score)
            self._local.matcher = matcher
        return matcher

    def match(self, sentences: list[str]) -> list[list[Match]]:
        matcher = self._matcher()
        with self._lock:  # the OpenVINO infer request is not re-entrant
            return matcher.match(sentences)

    def info(self) -> KnownClaimsInfo:
        return KnownClaimsInfo(claims=self._matcher().size, min_score=self.min_score)
