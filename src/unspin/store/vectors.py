"""Dense vectors of known claims: stored as float16 bytes in ``claim_vectors``, searched by brute force.

``embed_missing`` embeds (title + summary) of every claim without a vector for the current model.
``rank_dense`` is a ``search.Ranker``: it loads all vectors of one model into one float32 matrix once per
process (reloaded when the number of vectors or their highest claim id changes), and ranks by cosine
(the vectors are L2-normalized: a matrix-vector product) with an ``argpartition`` top-k. 11k claims x 384
is 17 MB of float32 and a query takes about a millisecond; see docs/DESIGN.md for what 1M claims needs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from unspin.store.db import transaction

EMBED_CHUNK = 512  # claims per transaction while embedding


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray: ...


def claim_text(title: str, summary: str) -> str:
    return f"{title}. {summary}" if summary else title


_MISSING = (
    "FROM claims c LEFT JOIN claim_vectors v ON v.claim_id = c.id WHERE v.claim_id IS NULL OR v.model != ?"
)


def missing_count(conn: sqlite3.Connection, model: str) -> int:
    return int(conn.execute("SELECT count(*) " + _MISSING, (model,)).fetchone()[0])


def embed_missing(
    conn: sqlite3.Connection, encoder: Embedder, progress: Callable[[int, int], None] | None = None
) -> int:
    """Embed the claims with no vector for ``encoder.name``; return how many were embedded."""
    rows = conn.execute(
        "SELECT c.id, c.title, c.summary " + _MISSING + " ORDER BY c.id",
        (encoder.name,),
    ).fetchall()
    for start in range(0, len(rows), EMBED_CHUNK):
        chunk = rows[start : start + EMBED_CHUNK]
        vectors = encoder.encode([claim_text(title, summary) for _, title, summary in chunk])
        blobs = vectors.astype(np.float16)
        with transaction(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO claim_vectors (claim_id, model, vector) VALUES (?, ?, ?)",
                [(int(cid), encoder.name, blobs[i].tobytes()) for i, (cid, _, _) in enumerate(chunk)],
            )
        if progress is not None:
            progress(min(start + EMBED_CHUNK, len(rows)), len(rows))
    return len(rows)


@dataclass
class DenseIndex:
    key: tuple[str, str, int, int]  # database file, model, vector count, highest claim id
    ids: np.ndarray  # int64 [n]
    matrix: np.ndarray  # float32 [n, dim]

    def top(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        if limit <= 0 or not len(self.ids):
            return []
        scores = self.matrix @ query.astype(np.float32)
        k = min(limit, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.lexsort((self.ids[best], -scores[best]))]
        return [(int(self.ids[i]), float(scores[i])) for i in best]


def top_k(matrix: np.ndarray, ids: np.ndarray, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
    return DenseIndex(("", "", 0, 0), ids, matrix).top(query, limit)


_CACHE: dict[tuple[str, str], DenseIndex] = {}


def _db_file(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) or f"memory:{id(conn)}"


def load_index(conn: sqlite3.Connection, model: str) -> DenseIndex:
    """All vectors of ``model`` as a matrix, cached per process and database file."""
    n, max_id = conn.execute(
        "SELECT count(*), coalesce(max(claim_id), 0) FROM claim_vectors WHERE model = ?", (model,)
    ).fetchone()
    key = (_db_file(conn), model, int(n), int(max_id))
    cached = _CACHE.get(key[:2])
    if cached is not None and cached.key == key:
        return cached
    rows = conn.execute(
        "SELECT claim_id, vector FROM claim_vectors WHERE model = ? ORDER BY claim_id", (model,)
    ).fetchall()
    ids = np.asarray([r[0] for r in rows], dtype=np.int64)
    if rows:
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
    else:
        matrix = np.zeros((0, 384), dtype=np.float16)
    index = DenseIndex(key, ids, matrix.astype(np.float32))
    _CACHE[key[:2]] = index
    return index


def make_dense_ranker(
    encoder: Embedder,
) -> Callable[[sqlite3.Connection, str, int], list[tuple[int, float]]]:
    """A ``search.Ranker`` over the stored vectors of ``encoder`` (embedding any claim still missing)."""

    def rank_dense(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, float]]:
        if not query.strip() or limit <= 0:
            return []
        embed_missing(conn, encoder)
        return load_index(conn, encoder.name).top(encoder.encode([query])[0], limit)

    return rank_dense


def rank_dense(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, float]]:
    """The dense ranker with the bundled similarity model (loaded on first use)."""
    from unspin.model.similarity import shared_encoder

    return make_dense_ranker(shared_encoder())(conn, query, limit)
