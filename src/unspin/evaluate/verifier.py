"""``python -m unspin.evaluate.verifier``: the match verifier on held-out cases and on the fixed pair set.

Held-out: the ``test`` groups of ``train.verifier_pairs`` (EUvsDisinfo cases none of whose wordings were
trained on), each query paired with its own case and with the titles retrieval puts beside it. Fixed set:
``data/verifier_pairs.tsv``, pairs written for the purpose. Reported: the confusion matrix (gold rows,
decided columns), the precision of shown matches (only ``same`` is shown), the recall of true restatements,
and the number of inversions shown (gold ``opposite`` decided ``same``) — the defect that brands an accurate
article as disinformation.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.claims.vectors import Embedder
from unspin.claims.verify import OPPOSITE, RELATIONS, SAME, Verifier, pair_features

if TYPE_CHECKING:
    from unspin.train.verifier_pairs import Pair, PairSet, VectorCache

FIXED_PAIRS = Path(__file__).with_name("data") / "verifier_pairs.tsv"
REAL_PAIRS = Path(__file__).with_name("data") / "verifier_real_pairs.tsv"


@dataclass(frozen=True)
class FixedPair:
    relation: int
    language: str
    sentence: str
    claim: str
    note: str


def load_fixed(path: Path = FIXED_PAIRS) -> list[FixedPair]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("relation\t"):
            continue
        relation, language, sentence, claim, note = line.split("\t")
        rows.append(FixedPair(RELATIONS.index(relation), language, sentence, claim, note))
    return rows


def load_real(path: Path = REAL_PAIRS) -> list[FixedPair]:
    """Retrieved pairs from real articles, labelled by hand (see the file's header)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("relation\t"):
            continue
        relation, article, _, sentence, claim = line.split("\t")
        rows.append(FixedPair(RELATIONS.index(relation), article, sentence, claim, ""))
    return rows


def shown_metrics(gold: np.ndarray, decided: np.ndarray) -> dict[str, Any]:
    """Confusion matrix and the three figures the issue asks for."""
    gold, decided = np.asarray(gold), np.asarray(decided)
    confusion = np.zeros((3, 3), np.int64)
    np.add.at(confusion, (gold, decided), 1)
    shown = decided == SAME
    true_same = gold == SAME
    return {
        "pairs": len(gold),
        "confusion": confusion.tolist(),  # rows: gold same/opposite/different; columns: decided
        "shown": int(shown.sum()),
        "precision_shown": float((shown & true_same).sum() / max(1, shown.sum())),
        "recall_same": float((shown & true_same).sum() / max(1, true_same.sum())),
        "inverted_shown": int((shown & (gold == OPPOSITE)).sum()),
        # "agrees with the fact-check": how often a pair decided opposite is one
        "opposite_decided": int((decided == OPPOSITE).sum()),
        "precision_opposite": float(
            ((decided == OPPOSITE) & (gold == OPPOSITE)).sum() / max(1, (decided == OPPOSITE).sum())
        ),
        "accuracy": float((gold == decided).mean()) if len(gold) else 0.0,
    }


def evaluate_fixed(
    verifier: Verifier, embedder: Embedder, multilingual: bool = False, rows: list[FixedPair] | None = None
) -> dict[str, Any]:
    """The fixed pairs (or ``rows``, e.g. ``load_real()``): metrics and every pair decided wrongly."""
    if rows is None:
        rows = [r for r in load_fixed() if multilingual or r.language == "en"]
    sentences, claims = [r.sentence for r in rows], [r.claim for r in rows]
    probs = verifier.relations(embedder.encode(sentences), sentences, embedder.encode(claims), claims)
    decided = verifier.decide(probs)
    out = shown_metrics(np.array([r.relation for r in rows]), decided)
    out["errors"] = [
        {
            "gold": RELATIONS[r.relation],
            "decided": RELATIONS[int(d)],
            "p": [round(float(x), 3) for x in p],
            "sentence": r.sentence,
            "claim": r.claim,
        }
        for r, d, p in zip(rows, decided, probs, strict=True)
        if d != r.relation
    ]
    return out


def by_rule(gold: np.ndarray, decided: np.ndarray, rules: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per query-making rule: how often each was decided same (shown), for reading where errors come from."""
    out: dict[str, dict[str, Any]] = {}
    for rule in sorted(set(rules)):
        idx = np.array([r == rule for r in rules])
        out[rule] = {
            "gold": RELATIONS[int(gold[idx][0])],
            "pairs": int(idx.sum()),
            "shown": float((decided[idx] == SAME).mean()),
        }
    return out


def featurize(pairs: list[Pair], ps: PairSet, cache: VectorCache) -> tuple[np.ndarray, np.ndarray, list[str]]:
    queries = [p.query for p in pairs]
    titles = [ps.cases[p.case].title for p in pairs]
    x = pair_features(cache.get(queries), queries, cache.get(titles), titles)
    return x, np.array([p.label for p in pairs], np.int64), [p.rule for p in pairs]


def score_split(verifier: Verifier, ps: PairSet, split: str, cache: VectorCache) -> dict[str, Any]:
    x, y, rules = featurize(ps.pairs[split], ps, cache)
    decided = verifier.decide(verifier.probabilities(x))
    out = shown_metrics(y, decided)
    out["by_rule"] = by_rule(y, decided, rules)
    return out


def print_table(title: str, m: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("gold \\ decided", *RELATIONS, title=title)
    for name, row in zip(RELATIONS, m["confusion"], strict=True):
        table.add_row(name, *[str(x) for x in row])
    table.caption = (
        f"precision of shown {m['precision_shown']:.3f} · recall of restatements {m['recall_same']:.3f} · "
        f"inverted shown {m['inverted_shown']} · {m['pairs']} pairs"
    )
    Console(highlight=False).print(table)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=None, help="verifier folder (default: the bundled one)")
    ap.add_argument("--cache", type=Path, default=Path("build/verifier"), help="sentence-vector cache")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--fixed-only", action="store_true", help="only the fixed pair set (seconds, no mining)")
    args = ap.parse_args(argv)

    from unspin.encoder.similarity import SentenceEncoder

    verifier = Verifier.load(args.model)
    encoder = SentenceEncoder()
    if not verifier.accepts(encoder.name):
        sys.stderr.write(f"the verifier was trained on {verifier.embedder}, not {encoder.name}\n")
        return 2
    result: dict[str, Any] = {
        "fixed": evaluate_fixed(verifier, encoder),
        "real": evaluate_fixed(verifier, encoder, rows=load_real()),
    }
    if not args.fixed_only:
        from unspin.train.verifier_pairs import VectorCache, build

        cache = VectorCache(encoder, args.cache)
        pairs = build(cache)
        result["test"] = score_split(verifier, pairs, "test", cache)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return 0
    if "test" in result:
        print_table("Held-out cases (test groups)", result["test"])
    print_table("Fixed pairs (data/verifier_pairs.tsv)", result["fixed"])
    print_table("Real articles, retrieved pairs (data/verifier_real_pairs.tsv)", result["real"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
