"""Fit the claim-spotting probe (check-worthiness) on the shipped encoder's sentence states.

Usage: python -m unspin.train.claim_probe --model src/unspin/assets/model

CheckThat! 2024 English: ``train`` fits the probe, ``dev`` picks the regularization and the threshold,
``dev-test`` is reported (never tuned on). Dev and dev-test sentences are read with their neighbours in the
debate (``checkthat.passages``), through the runtime graph, and pooled as the runtime pools an article's
sentences (``Encoded.pool``); training sentences are encoded alone (see ``main``). The probe is the model's
``checkworthy`` head (``heads.json``); metrics go to ``claim_metrics.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspin.analyzer import Analyzer
from unspin.data import checkthat
from unspin.heads.base import Linear, SavedHeads
from unspin.heads.checkworthy import MIN_WORDS, CheckworthyHead, is_candidate
from unspin.train.common import log
from unspin.train.fit import best_threshold, fit_sigmoid

C_GRID = (0.01, 0.03, 0.1, 0.3)


def _cached(cache: Path | None, key: hashlib._Hash, compute: Callable[[], np.ndarray]) -> np.ndarray:
    path = cache / f"sentences-{key.hexdigest()[:16]}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    x = compute()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, x)
    return x


def _key(analyzer: Analyzer) -> hashlib._Hash:
    return hashlib.sha256((analyzer.model_dir / "model.bin").read_bytes()[: 1 << 20])


def alone_matrix(analyzer: Analyzer, rows: list[checkthat.Sentence], cache: Path | None) -> np.ndarray:
    """[sentences, 2 * hidden]: each sentence encoded by itself, its tokens pooled."""
    key = _key(analyzer)
    for r in rows:
        key.update(r.text.encode() + b"\0")

    def compute() -> np.ndarray:
        out = [analyzer.encode(r.text).pool([(0, len(r.text))])[0] for r in rows]
        return np.stack(out).astype(np.float32)

    return _cached(cache, key, compute)


def passage_matrix(analyzer: Analyzer, rows: list[checkthat.Sentence], cache: Path | None) -> np.ndarray:
    """[sentences, 2 * hidden]: each sentence read in its passage (``checkthat.passages``), as the runtime
    reads an article's sentences."""
    key = _key(analyzer)
    key.update(b"passages-v1")
    for r in rows:
        key.update(r.id.encode() + b"\0" + r.text.encode() + b"\0")

    def compute() -> np.ndarray:
        x: np.ndarray | None = None
        for passage in checkthat.passages(rows):
            pooled = analyzer.encode(passage.text).pool(passage.spans)
            if x is None:
                x = np.zeros((len(rows), pooled.shape[1]), np.float32)
            x[passage.rows] = pooled
        assert x is not None
        return x

    return _cached(cache, key, compute)


def f1(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(pred & gold))
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(gold.sum()))
    return {"f1": 0.0 if tp == 0 else 2 * p * r / (p + r), "precision": p, "recall": r}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=Path("build/features"))
    ap.add_argument("--smoke", action="store_true", help="a few sentences: checks the code runs")
    args = ap.parse_args(argv)

    analyzer = Analyzer(args.model)
    splits = {s: checkthat.load(s) for s in checkthat.SPLITS}
    if args.smoke:
        splits = {s: rows[:60] for s, rows in splits.items()}
    cache = None if args.smoke else args.cache
    # Dev and dev-test are read as the runtime reads articles (sentences in context) and pick everything.
    # The probe is fitted on sentences encoded alone: measured on the in-context dev file that beat
    # fitting on in-context training sentences (F1 0.715 vs 0.672; model card).
    x = {s: passage_matrix(analyzer, rows, cache) for s, rows in splits.items() if s != "train"}
    x["train"] = alone_matrix(analyzer, splits["train"], cache)
    y = {s: np.array([r.checkworthy for r in rows]) for s, rows in splits.items()}
    keep = {s: np.array([is_candidate(r.text) for r in rows]) for s, rows in splits.items()}
    log("data", **{s: len(rows) for s, rows in splits.items()})

    def scored(probe: Linear, split: str, t: float, rules: bool) -> dict[str, float]:
        p = probe(x[split])[:, 0]
        return f1((p >= t) & (keep[split] if rules else True), y[split])

    best: tuple[float, float, float, Linear] | None = None
    for c in C_GRID:
        probe = fit_sigmoid(x["train"], y["train"][:, None].astype(np.float32), ["checkworthy"], c)
        t, dev_f1 = best_threshold(probe(x["dev"])[:, 0], y["dev"])
        log("fit", C=c, threshold=round(t, 3), dev_f1=round(dev_f1, 4))
        if best is None or dev_f1 > best[1]:
            best = (c, dev_f1, t, probe)
    assert best is not None
    c, _, t, probe = best
    rules = scored(probe, "dev", t, True)["f1"] >= scored(probe, "dev", t, False)["f1"]
    probe = Linear(probe.labels, probe.weight, probe.bias, "sigmoid", np.array([t], np.float32))
    head = CheckworthyHead(probe, min_words=MIN_WORDS, rules=rules)
    metrics = {
        "C": c,
        "threshold": t,
        "rules_on_dev": rules,
        "dev": scored(probe, "dev", t, rules),
        "dev_test": scored(probe, "dev-test", t, rules),
        "dev_test_without_rules": scored(probe, "dev-test", t, False),
        "sentences": {s: len(rows) for s, rows in splits.items()},
    }
    log(
        "checkworthy",
        **{k: (round(v["f1"], 4) if isinstance(v, dict) and "f1" in v else v) for k, v in metrics.items()},
    )
    saved = SavedHeads.read(args.model)
    saved.put(head.name, head.settings(), {"probe": probe})
    saved.write(args.model)
    if not args.smoke:
        # Reported, never tuned on: the hand-labelled news sentences, through the whole runtime.
        from unspin.evaluate.checkworthy import article_texts, load_news, news_scores, prf

        rows = load_news()
        texts = article_texts(rows)
        rows = [r for r in rows if r.article in texts]
        metrics["news"] = news_scores(Analyzer(args.model), rows, texts)["all"]
        metrics["news_all_positive"] = prf(np.ones(len(rows), bool), np.array([r.label for r in rows]))
        log("news", **{k: round(v, 4) for k, v in metrics["news"].items()})
    (args.model / "claim_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
