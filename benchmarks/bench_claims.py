"""`make bench-claims`: known-claims matching speed — the demo article against the bundled EUvsDisinfo
cases, and query latency on a synthetic database of a million claims (HNSW index build time reported).

The synthetic claims are the bundled ones repeated with their words shuffled and their vectors perturbed
(so each is distinct and the vectors keep the real data's clustering); the queries are the demo article's
spotted claims. Prints medians; not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "khabarovsk-opinion.txt"
WORK = ROOT / "build" / "bench-claims"


_ENCODER: object = None


def shared_encoder() -> Any:
    """One similarity encoder for the whole benchmark (loading it costs a second)."""
    global _ENCODER
    if _ENCODER is None:
        from unspin.encoder.similarity import SentenceEncoder

        _ENCODER = SentenceEncoder()
    return _ENCODER


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 2)


def p99_ms(times: list[float]) -> float:
    return round(float(np.percentile(times, 99)) * 1000, 2)


def bundled_db(path: Path) -> None:
    """The bundled cases with their vectors (embedded once, then reused by later runs)."""
    from unspin.claims.bundle import import_bundled
    from unspin.claims.vectors import embed_missing
    from unspin.store.db import connect

    conn = connect(path)
    import_bundled(conn)
    embed_missing(conn, shared_encoder())
    conn.close()


def synthetic_db(source: Path, target: Path, n: int, seed: int = 7) -> float:
    """``n`` claims built from the bundled ones (words shuffled, vectors perturbed); returns seconds."""
    from unspin.store.db import connect, transaction

    started = time.perf_counter()
    src = connect(source)
    model = shared_encoder().name
    rows = src.execute(
        "SELECT c.title, v.vector FROM claims c JOIN claim_vectors v ON v.claim_id = c.id WHERE v.model = ?",
        (model,),
    ).fetchall()
    src.close()
    titles = [r[0] for r in rows]
    base = np.stack([np.frombuffer(r[1], np.float16).astype(np.float32) for r in rows])
    rng = np.random.default_rng(seed)
    target.unlink(missing_ok=True)
    conn = connect(target)
    chunk = 50_000
    with transaction(conn):
        conn.execute("INSERT INTO claims_fts_bulk (flag) VALUES (1)")  # index once at the end
        for start in range(0, n, chunk):
            k = min(chunk, n - start)
            pick = rng.integers(0, len(titles), k)
            noise = rng.standard_normal((k, base.shape[1])).astype(np.float32)
            vecs = base[pick] + 0.35 * noise / np.linalg.norm(noise, axis=1, keepdims=True)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            recs = []
            for j, p in enumerate(pick):
                words = titles[p].split()
                rng.shuffle(words)
                recs.append((f"synthetic:{start + j}", " ".join(words), "2024-01-01T00:00:00Z"))
            conn.executemany(
                "INSERT INTO claims (key, title, created_at, updated_at) VALUES (?, ?, ?, ?3)", recs
            )
            ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE id > ? ORDER BY id", (start,))]
            blobs = vecs.astype(np.float16)
            conn.executemany(
                "INSERT INTO claim_vectors (claim_id, model, vector) VALUES (?, ?, ?)",
                [(cid, model, blobs[j].tobytes()) for j, cid in enumerate(ids[:k])],
            )
        conn.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")
        conn.execute("DELETE FROM claims_fts_bulk")
    conn.close()
    return time.perf_counter() - started


def demo_claims() -> list[str]:
    from unspin.analyzer import Analyzer

    analysis = Analyzer(known_claims=None).analyze(DEMO.read_text(encoding="utf-8"))
    return [c.text for c in analysis.claims]


def bench_matching(db: Path, queries: list[str], runs: int) -> dict[str, object]:
    """Matching all ``queries`` at once (as an analysis does), warm."""
    from unspin.claims import vectors
    from unspin.claims.known import KnownClaims
    from unspin.store.db import Database

    vectors._CACHE.clear()
    known = KnownClaims(Database(db), encoder=shared_encoder())
    t = time.perf_counter()
    found = known.match(queries)  # the first call loads (or builds) the index
    first = time.perf_counter() - t
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        known.match(queries)
        times.append(time.perf_counter() - t)
    per_query = []
    for q in queries[: min(len(queries), 30)]:
        t = time.perf_counter()
        known.match([q])
        per_query.append(time.perf_counter() - t)
    return {
        "claims": known.info().claims,
        "queries": len(queries),
        "matched": sum(bool(f) for f in found),
        "first_call_s": round(first, 2),
        "all_claims_median_ms": median_ms(times),
        "one_query_median_ms": median_ms(per_query),
        "one_query_p99_ms": p99_ms(per_query),
    }


def ann_recall(db: Path, samples: int = 200, seed: int = 3) -> float:
    """Share of exact top-10 neighbours the HNSW index returns, for perturbed stored vectors."""
    from unspin.claims.vectors import _vectors, load_index
    from unspin.store.db import connect

    conn = connect(db)
    model = shared_encoder().name
    index = load_index(conn, model)
    ids, matrix = _vectors(conn, model)
    rng = np.random.default_rng(seed)
    hits = 0
    for i in rng.integers(0, len(ids), samples):
        q = matrix[i] + 0.1 * rng.standard_normal(matrix.shape[1]).astype(np.float32)
        q /= np.linalg.norm(q)
        exact = set(ids[np.argpartition(-(matrix @ q), 10)[:10]].tolist())
        hits += len(exact & {cid for cid, _ in index.top(q, 10)})
    conn.close()
    return round(hits / (10 * samples), 4)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--claims", type=int, default=1_000_000, help="size of the synthetic database")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument(
        "--reuse", action="store_true", help="keep a synthetic database (and index) from a last run"
    )
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    bundled = WORK / "bundled.db"
    if not bundled.exists():
        bundled_db(bundled)
    queries = demo_claims()
    result: dict[str, object] = {"bundled": bench_matching(bundled, queries, args.runs)}
    print("bundled:", json.dumps(result["bundled"]), flush=True)
    if args.claims:
        big = WORK / f"synthetic-{args.claims}.db"
        made = None
        if not (args.reuse and big.exists()):
            for old in WORK.glob(f"synthetic-{args.claims}.db*"):
                old.unlink()
            made = synthetic_db(bundled, big, args.claims)
        t = time.perf_counter()
        from unspin.claims.vectors import load_index
        from unspin.store.db import connect

        conn = connect(big)
        load_index(conn, shared_encoder().name)
        build = time.perf_counter() - t
        conn.close()
        synthetic = {
            "database_build_s": None if made is None else round(made, 1),
            # a fresh database builds its HNSW index here; a reused one loads the saved index
            ("index_build_s" if made is not None else "index_load_s"): round(build, 1),
            **bench_matching(big, queries, max(3, args.runs // 4)),
            "ann_recall@10": ann_recall(big),
        }
        result["synthetic"] = synthetic
        print("synthetic:", json.dumps(synthetic), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
