"""Match an article's spotted claims against the known-claims database.

Each sentence is ranked by BM25 and by meaning (the similarity model's cosine) and the two rankings are
fused (``search.fuse``, the weights ``unspin evaluate claims`` tuned); a fused candidate is reported only if
its cosine similarity clears ``MIN_SIMILARITY``, the floor picked on the benchmark's tuning half, so an
empty list means "nothing like it is known" rather than "here are the least bad ten". All sentences of an
article are embedded in one batch.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from unspin.claims.records import KnownClaim, count, get_many
from unspin.claims.search import HYBRID_WEIGHTS, fuse, rank_bm25
from unspin.claims.vectors import Embedder, embed_missing, load_index, vectors_of

# `unspin evaluate claims` picks it: the lowest floor that at most 5% of unrelated check-worthy claims
# (CheckThat! dev sentences, US debates) clear against the bundled EUvsDisinfo cases.
MIN_SIMILARITY = 0.6
DEPTH = 50  # candidates per ranker before fusion
LIMIT = 3  # matches reported per claim
# Per sentence: BM25 over a large database can take far longer than the dense search; past this budget
# the sentence is matched by meaning alone (see search.rank_bm25).
BM25_BUDGET_MS = 10.0


@dataclass(frozen=True)
class Match:
    claim: KnownClaim
    score: float  # cosine similarity, clipped at 0


def _wording(title: str) -> str:
    """A claim's wording for spotting repeats: case, spacing and punctuation folded; the first 40
    characters, because exports cut long titles short ("... tries to enlarge towards Russian…")."""
    return re.sub(r"\W+", " ", title.casefold()).strip()[:40]


class ClaimMatcher:
    def __init__(
        self,
        conn: sqlite3.Connection,
        encoder: Embedder,
        min_score: float = MIN_SIMILARITY,
        limit: int = LIMIT,
    ) -> None:
        self.conn, self.encoder, self.min_score, self.limit = conn, encoder, min_score, limit
        # Claims imported since the last search get their vectors now (once: ~2 ms per claim).
        embed_missing(conn, encoder)
        self._size: tuple[tuple[int, int], int] | None = None

    @property
    def size(self) -> int:
        """Known claims in the database, recounted only after a write (a count costs ~0.1 s at 1M)."""
        stamp = (int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.conn.total_changes)
        if self._size is None or self._size[0] != stamp:
            self._size = (stamp, count(self.conn))
        return self._size[1]

    def match(self, sentences: list[str]) -> list[list[Match]]:
        if not sentences:
            return []
        if not self.size:  # an empty database: nothing to embed the sentences for
            return [[] for _ in sentences]
        index = load_index(self.conn, self.encoder.name)
        queries = self.encoder.encode(sentences)
        ranked: list[list[tuple[int, float]]] = []
        dense = index.top_many(queries, DEPTH)
        for text, q, near in zip(sentences, queries, dense, strict=True):
            words = rank_bm25(self.conn, text, DEPTH, budget_ms=BM25_BUDGET_MS)
            fused = fuse([words, near], DEPTH, weights=HYBRID_WEIGHTS)
            vectors = vectors_of(self.conn, self.encoder.name, [cid for cid, _ in fused])
            keep = []
            for cid, _ in fused:
                if cid in vectors and (sim := float(vectors[cid] @ q)) >= self.min_score:
                    keep.append((cid, sim))
                if len(keep) == 2 * self.limit:  # room for the repeats dropped below
                    break
            ranked.append(keep)
        claims = get_many(self.conn, sorted({cid for r in ranked for cid, _ in r}))
        out = []
        for r in ranked:
            # The hybrid ranking picked them; shown most similar first, one per wording (EUvsDisinfo
            # repeats a claim as a new case each time an outlet does).
            seen: set[str] = set()
            found = []
            for cid, sim in sorted(r, key=lambda x: -x[1]):
                title = _wording(claims[cid].title) if cid in claims else ""
                if title and title not in seen:
                    seen.add(title)
                    found.append(Match(claims[cid], max(0.0, min(1.0, sim))))
            out.append(found[: self.limit])
        return out
