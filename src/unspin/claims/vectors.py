"""Dense vectors of known claims: stored as float16 bytes in ``claim_vectors``, searched by brute force.

``embed_missing`` embeds (title + summary) of every claim without a vector for the current model.
``make_dense_ranker(encoder)`` is a ``search.Ranker``: it loads all vectors of one model into one float32 matrix once per
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
        return self.top_many(query[None, :], limit)[0]

    def top_many(self, queries: np.ndarray, limit: int) -> list[list[tuple[int, float]]]:
        """``top`` for several queries with one matrix product (an article's claims at once)."""
        if limit <= 0 or not len(self.ids):
            return [[] for _ in queries]
        all_scores = queries.astype(np.float32) @ self.matrix.T
        k = min(limit, all_scores.shape[1])
        out = []
        for scores in all_scores:
            best = np.argpartition(-scores, k - 1)[:k]
            best = best[np.lexsort((self.ids[best], -scores[best]))]
            out.append([(int(self.ids[i]), float(scores[i])) for i in best])
        return out


def top_k(matrix: np.ndarray, ids: np.ndarray, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
    return DenseIndex(("", "", 0, 0), ids, matrix).top(query, limit)


class Ranked(Protocol):
    def top(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]: ...

    def top_many(self, queries: np.ndarray, limit: int) -> list[list[tuple[int, float]]]: ...


_CACHE: dict[tuple[str, str], tuple[tuple[str, str, int, int], Ranked]] = {}
# (connection, model) -> ((data_version, total_changes), cache key) when the key was last computed
_SEEN: dict[tuple[int, str], tuple[tuple[int, int], tuple[str, str, int, int]]] = {}


def _db_file(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) or f"memory:{id(conn)}"


def _vectors(conn: sqlite3.Connection, model: str, after: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(ids, float32 matrix) of the stored vectors of ``model`` with an id above ``after``."""
    rows = conn.execute(
        "SELECT claim_id, vector FROM claim_vectors WHERE model = ? AND claim_id > ? ORDER BY claim_id",
        (model, after),
    ).fetchall()
    ids = np.asarray([r[0] for r in rows], dtype=np.int64)
    if not rows:
        return ids, np.zeros((0, 384), dtype=np.float32)
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
    return ids, matrix.astype(np.float32)


def vectors_of(conn: sqlite3.Connection, model: str, ids: list[int]) -> dict[int, np.ndarray]:
    """The stored vectors of a few claims (to score candidates another ranker found)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT claim_id, vector FROM claim_vectors WHERE model = ? AND claim_id IN ({marks})", (model, *ids)
    ).fetchall()
    return {int(cid): np.frombuffer(blob, dtype=np.float16).astype(np.float32) for cid, blob in rows}


def _ann(conn: sqlite3.Connection, model: str, db_file: str, n: int, max_id: int) -> Ranked:
    """The HNSW index of a large database: the saved one, extended with new claims, or a new build."""
    from unspin.claims.ann import AnnIndex, index_path

    path = index_path(db_file, model)
    saved = AnnIndex.load(path) if path is not None else None
    if saved is not None:
        index, count, saved_max = saved
        if (count, saved_max) == (n, max_id):
            return index
        ids, matrix = _vectors(conn, model, after=saved_max)
        if count + len(ids) == n:  # only claims added since: extend the graph
            index.add(ids, matrix)
            if path is not None:
                index.save(path, n, max_id)
            return index
    ids, matrix = _vectors(conn, model)
    index = AnnIndex.build(ids, matrix)
    if path is not None:
        index.save(path, n, max_id)
    return index


def load_index(conn: sqlite3.Connection, model: str) -> Ranked:
    """The vectors of ``model``, ready to rank: a matrix scanned exactly up to ``ann.ANN_MIN`` claims, an
    HNSW graph above; cached per process and database file."""
    from unspin.claims.ann import ANN_MIN

    # Counting the vectors to validate the cache costs a scan (a quarter second at a million claims), so
    # it is skipped while the database is unchanged since this connection last looked: data_version moves
    # when another connection commits, total_changes when this one writes.
    stamp = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    db_file = _db_file(conn)
    cached = _CACHE.get((db_file, model))
    seen = _SEEN.get((id(conn), model))
    if cached is not None and seen is not None and seen == (stamp, cached[0]):
        return cached[1]
    n, max_id = conn.execute(
        "SELECT count(*), coalesce(max(claim_id), 0) FROM claim_vectors WHERE model = ?", (model,)
    ).fetchone()
    key = (db_file, model, int(n), int(max_id))
    _SEEN[(id(conn), model)] = (stamp, key)
    if cached is not None and cached[0] == key:
        return cached[1]
    index: Ranked
    if n >= ANN_MIN:
        index = _ann(conn, model, key[0], int(n), int(max_id))
    else:
        ids, matrix = _vectors(conn, model)
        index = DenseIndex(key, ids, matrix)
    _CACHE[key[:2]] = (key, index)
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
