"""Search known claims: BM25 over the FTS5 index, dense cosine (``vectors.py``), or both.

A ranker maps ``(conn, query, limit)`` to ``[(claim_id, score)]``, best first. ``search()`` runs one or
more rankers and, with several, fuses them by (weighted) reciprocal rank: scores of BM25 and cosine
similarity are not on one scale, ranks are. ``HYBRID_WEIGHTS`` were chosen on the tuning half of
``unspin evaluate claims`` (README).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence

from unspin.claims.records import KnownClaim, get_many
from unspin.claims.vectors import Embedder, vectors_of
from unspin.store.fts import fts_query

Ranker = Callable[[sqlite3.Connection, str, int], list[tuple[int, float]]]

# bm25() weights per FTS column (title, summary, disproof, keywords): the title *is* the claim; keywords
# are curated topics; the summary retells the claim at length; the disproof mostly talks about other
# things (the facts, the outlet), so a word there says least about what the claim is.
BM25_WEIGHTS = (5.0, 1.5, 0.5, 2.0)
MAX_LIMIT = 1000
RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the difference between ranks 1 and 2
# (BM25, dense) weights of the hybrid ranking: picked on the tuning half of `unspin evaluate claims`.
HYBRID_WEIGHTS = (1.0, 1.0)


def rank_bm25(
    conn: sqlite3.Connection, query: str, limit: int, budget_ms: float | None = None
) -> list[tuple[int, float]]:
    """Claim ids and BM25 scores (higher is better; SQLite's bm25() is negated), best first.

    FTS5 scores every claim that holds any query word, so a frequent word costs in proportion to the
    database (hundreds of ms at a million claims). With ``budget_ms`` the query is interrupted when the
    budget is spent and the answer is [] (callers fuse it with the dense ranking, which then decides).
    """
    match = fts_query(query)
    if match is None or limit <= 0:
        return []
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    sql = (
        f"SELECT rowid, bm25(claims_fts, {weights}) AS rank FROM claims_fts WHERE claims_fts MATCH ? "
        "ORDER BY rank, rowid LIMIT ?"
    )
    if budget_ms is None:
        rows = conn.execute(sql, (match, min(limit, MAX_LIMIT))).fetchall()
        return [(int(rowid), -float(rank)) for rowid, rank in rows]
    deadline = time.perf_counter() + budget_ms / 1000
    conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 200)
    try:
        rows = conn.execute(sql, (match, min(limit, MAX_LIMIT))).fetchall()
    except sqlite3.OperationalError as err:
        if "interrupt" not in str(err):
            raise
        return []
    finally:
        conn.set_progress_handler(None, 0)
    return [(int(rowid), -float(rank)) for rowid, rank in rows]


def fuse(
    rankings: Sequence[list[tuple[int, float]]],
    limit: int,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: ranking i adds ``weights[i] / (k + rank)`` to a claim's score."""
    scores: dict[int, float] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank, (claim_id, _) in enumerate(ranking, start=1):
            scores[claim_id] = scores.get(claim_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _resolve(conn: sqlite3.Connection, ranked: list[tuple[int, float]]) -> list[tuple[KnownClaim, float]]:
    claims = get_many(conn, [claim_id for claim_id, _ in ranked])
    return [(claims[claim_id], score) for claim_id, score in ranked if claim_id in claims]


def search_bm25(conn: sqlite3.Connection, query: str, limit: int = 10) -> list[tuple[KnownClaim, float]]:
    """The claims best matching ``query`` by BM25, with their scores, best first."""
    return _resolve(conn, rank_bm25(conn, query, limit))


def similarities(
    conn: sqlite3.Connection, encoder: Embedder, query: str, claims: Sequence[KnownClaim]
) -> list[float | None]:
    """Cosine similarity of ``query`` to each claim, in the meaning space of the analyses (the one score a
    user can read the same way everywhere; rank fusion's scores mean nothing outside one ranking). None
    for a claim without a vector yet."""
    if not claims:
        return []
    q = encoder.encode([query])[0]
    vectors = vectors_of(conn, encoder.name, [int(c.id or 0) for c in claims])
    return [
        round(max(0.0, float(vectors[int(c.id or 0)] @ q)), 4) if int(c.id or 0) in vectors else None
        for c in claims
    ]


def search(
    conn: sqlite3.Connection,
    query: str,
    limit: int = 10,
    rankers: Sequence[Ranker] = (rank_bm25,),
    depth: int = 100,
    weights: Sequence[float] | None = None,
) -> list[tuple[KnownClaim, float]]:
    """Search with one ranker (its own scores) or several (fused by weighted reciprocal rank over each
    one's top ``depth``)."""
    if len(rankers) == 1:
        return _resolve(conn, rankers[0](conn, query, limit))
    rankings = [ranker(conn, query, max(limit, depth)) for ranker in rankers]
    return _resolve(conn, fuse(rankings, limit, weights=weights))
