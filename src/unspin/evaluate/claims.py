"""``unspin evaluate claims``: can a retelling of a known claim find it? BM25, dense and hybrid.

Built from the database's own claims: every claim with a summary (the 2015-2018 EUvsDisinfo cases) is a
query, its summary the query text, the claim itself the one right answer among ALL claims in the database.
The merged records hold that summary (and the disproof) as searchable text, so BM25 would find each query
in itself; the benchmark therefore searches **titles only**, for both rankers: an FTS5 index and sentence
embeddings over the titles of all claims, built here (the stored index and vectors are not used). The
queries are split in two halves by a fixed seed: the tuning half picks the hybrid fusion weights
(``TUNING_GRID``, best Recall@5, then MRR@10; ``search.HYBRID_WEIGHTS`` holds the pick), the held-out half
is reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from unspin.claims.matcher import MIN_SIMILARITY
from unspin.claims.search import HYBRID_WEIGHTS, RRF_K, fuse
from unspin.claims.vectors import Embedder, top_k
from unspin.store.fts import fts_query

SEED = 2024
DEPTH = 100  # candidates per ranker before fusion
# (BM25, dense) weights tried on the tuning half; (1, 1) is plain reciprocal rank fusion.
TUNING_GRID = ((1.0, 1.0), (1.0, 0.5), (1.0, 0.75), (1.0, 1.5), (1.0, 2.0), (1.0, 3.0), (0.0, 1.0))
Ranking = list[tuple[int, float]]


@dataclass(frozen=True)
class Case:
    query: str
    target: int


def build_cases(conn: sqlite3.Connection) -> tuple[list[Case], list[int], list[str]]:
    """(cases, ids of all claims, their titles)."""
    rows = conn.execute("SELECT id, title, summary FROM claims ORDER BY id").fetchall()
    cases = [Case(summary, int(cid)) for cid, _, summary in rows if summary.strip()]
    return cases, [int(r[0]) for r in rows], [str(r[1]) for r in rows]


def split_cases(cases: Sequence[Case], seed: int = SEED) -> tuple[list[Case], list[Case]]:
    """(tuning half, held-out half), by a fixed permutation."""
    order = np.random.default_rng(seed).permutation(len(cases))
    half = len(cases) // 2
    return [cases[i] for i in order[:half]], [cases[i] for i in order[half:]]


def title_bm25(ids: Sequence[int], titles: Sequence[str]) -> Any:
    """A BM25 ranker over titles only (same tokenizer as the claims index), in memory."""
    mem = sqlite3.connect(":memory:")
    mem.execute(
        "CREATE VIRTUAL TABLE t USING fts5 (title, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    mem.executemany("INSERT INTO t (rowid, title) VALUES (?, ?)", zip(ids, titles, strict=True))

    def rank(query: str, limit: int) -> Ranking:
        match = fts_query(query)
        if match is None:
            return []
        rows = mem.execute(
            "SELECT rowid, bm25(t) AS r FROM t WHERE t MATCH ? ORDER BY r, rowid LIMIT ?", (match, limit)
        )
        return [(int(i), -float(r)) for i, r in rows]

    return rank


def metrics(rankings: Sequence[Ranking], targets: Sequence[int]) -> dict[str, float]:
    n = len(targets)
    r1 = r5 = mrr = 0.0
    for ranking, target in zip(rankings, targets, strict=True):
        ids = [cid for cid, _ in ranking[:10]]
        if target in ids:
            rank = ids.index(target) + 1
            r1 += rank == 1
            r5 += rank <= 5
            mrr += 1.0 / rank
    return {
        "recall@1": r1 / n if n else 0.0,
        "recall@5": r5 / n if n else 0.0,
        "mrr@10": mrr / n if n else 0.0,
    }


FALSE_MATCH_RATE = 0.05  # share of unrelated claims allowed to clear the "no match" floor


def unrelated_claims() -> tuple[list[str], list[str]] | None:
    """Check-worthy claims that are not in the database: CheckThat! 2024's US debate sentences (taxes,
    health care, elections), against EUvsDisinfo's pro-Kremlin cases. (dev picks, dev-test checks.)"""
    from unspin.data import checkthat

    try:
        return tuple(  # type: ignore[return-value]
            [r.text for r in checkthat.load(split) if r.checkworthy] for split in ("dev", "dev-test")
        )
    except OSError:
        return None


def pick_min_score(unrelated_best: np.ndarray, rate: float = FALSE_MATCH_RATE) -> float:
    """The lowest similarity floor (0.01 steps) that at most ``rate`` of unrelated claims clear."""
    for t in np.round(np.arange(0.30, 0.951, 0.01), 2):
        if float((unrelated_best >= t).mean()) <= rate:
            return float(t)
    return 0.95


def _hybrid(bm25: Sequence[Ranking], dense: Sequence[Ranking], weights: Sequence[float]) -> list[Ranking]:
    return [fuse([b, d], 10, k=RRF_K, weights=weights) for b, d in zip(bm25, dense, strict=True)]


def evaluate_claims(conn: sqlite3.Connection, encoder: Embedder, seed: int = SEED) -> dict[str, Any]:
    cases, ids, titles = build_cases(conn)
    if not cases:
        raise ValueError("no claim with a summary: nothing to build the benchmark from")
    bm25 = title_bm25(ids, titles)
    matrix = encoder.encode(titles)
    id_array = np.asarray(ids, dtype=np.int64)
    queries = encoder.encode([c.query for c in cases])
    position = {id(c): i for i, c in enumerate(cases)}
    tuning, held = split_cases(cases, seed)

    def rankings(part: Sequence[Case]) -> tuple[list[Ranking], list[Ranking]]:
        b = [bm25(c.query, DEPTH) for c in part]
        d = [top_k(matrix, id_array, queries[position[id(c)]], DEPTH) for c in part]
        return b, d

    tb, td = rankings(tuning)
    targets = [c.target for c in tuning]
    grid = [{"weights": list(w), **metrics(_hybrid(tb, td, w), targets)} for w in TUNING_GRID]
    best = max(grid, key=lambda row: (row["recall@5"], row["mrr@10"]))
    hb, hd = rankings(held)
    held_targets = [c.target for c in held]
    # "No match" must be an honest answer: the floor is set so that few claims the database does not hold
    # clear it (CheckThat! dev sentences), checked on CheckThat! dev-test and on the held-out queries
    # (how often a retelling of a known claim still reaches its claim).
    where = {int(c): i for i, c in enumerate(ids)}
    own_h = np.array([float(queries[position[id(c)]] @ matrix[where[c.target]]) for c in held])
    no_match: dict[str, Any] = {"shipped_min_score": MIN_SIMILARITY}
    unrelated = unrelated_claims()
    if unrelated is not None:
        dev_best, test_best = ((encoder.encode(texts) @ matrix.T).max(axis=1) for texts in unrelated)
        no_match.update(
            picked_min_score=pick_min_score(dev_best),
            unrelated_dev=len(dev_best),
            unrelated_heldout=len(test_best),
            heldout_unrelated_cleared=float((test_best >= MIN_SIMILARITY).mean()),
        )
    no_match["heldout_true_match_cleared"] = float((own_h >= MIN_SIMILARITY).mean())
    return {
        "claims": len(ids),
        "queries": len(cases),
        "tuning": len(tuning),
        "heldout": len(held),
        "seed": seed,
        "searched": "titles only (the query's own summary and disproof are not searchable)",
        "model": encoder.name,
        "hybrid_weights": list(HYBRID_WEIGHTS),
        "tuning_grid": grid,
        "tuning_best_weights": best["weights"],
        "no_match": no_match,
        "results": {
            "bm25": metrics(hb, held_targets),
            "dense": metrics(hd, held_targets),
            "hybrid": metrics(_hybrid(hb, hd, HYBRID_WEIGHTS), held_targets),
        },
    }


def run_evaluate_claims(as_json: bool) -> int:
    """The benchmark over the bundled claims, in a fresh in-memory database (the user's is not touched)."""
    import json
    import sys
    import time

    from unspin.claims.bundle import import_bundled
    from unspin.encoder.similarity import SentenceEncoder, similarity_model_available
    from unspin.store.db import connect

    if not similarity_model_available():
        from unspin.errors import BadInput

        raise BadInput("The similarity model (assets/similarity) is missing: export it first.")
    started = time.perf_counter()
    conn = connect(":memory:")
    import_bundled(conn)
    result = evaluate_claims(conn, SentenceEncoder())
    result["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(
        f"[bold]Known claims retrieval[/]: {result['heldout']} held-out queries (of {result['queries']}; "
        f"{result['tuning']} tuned the fusion) against {result['claims']:,} claims; query = a case's "
        f"summary, target = its claim; {result['searched']}; model {result['model']}"
    )
    table = Table("ranking", "Recall@1", "Recall@5", "MRR@10")
    for name, label in (("bm25", "BM25"), ("dense", "dense"), ("hybrid", "hybrid (RRF)")):
        m = result["results"][name]
        table.add_row(label, f"{m['recall@1']:.3f}", f"{m['recall@5']:.3f}", f"{m['mrr@10']:.3f}")
    console.print(table)
    weights = result["hybrid_weights"]
    console.print(f"hybrid: reciprocal rank fusion, k=60, weights BM25 {weights[0]:g} / dense {weights[1]:g}")
    nm = result["no_match"]
    line = (
        f"no match below similarity {nm['shipped_min_score']:.2f}: a held-out retelling clears it "
        f"{nm['heldout_true_match_cleared']:.1%} of the time"
    )
    if "picked_min_score" in nm:
        line += (
            f"; unrelated claims (CheckThat! dev-test) clear it {nm['heldout_unrelated_cleared']:.1%} "
            f"(the dev file picks {nm['picked_min_score']:.2f} for ≤{FALSE_MATCH_RATE:.0%})"
        )
    console.print(line)
    return 0
