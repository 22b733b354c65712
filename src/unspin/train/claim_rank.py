"""Fit the claim ranking (``claims/rank.py``), choose its default cut, and measure check-worthiness.

Usage: python -m unspin.train.claim_rank --model src/unspin/assets/model [--embedder module:factory]

One command re-fits everything the ranking reads after a change of features: run it after
``python -m unspin.train.claim_probe`` (a new shared encoder) or with ``--embedder`` (a new sentence
embedder, e.g. the multilingual encoder). It fits:

1. the vector probe: logistic regression on the sentence vectors of CheckThat! 2024 ``train`` (C and the
   threshold by F1 on ``dev``);
2. the stack: logistic regression over [spotting-probe logit, vector-probe logit, cues] on the candidate
   sentences of the news *tuning* half (``evaluate.rank.news_halves``; C by 5-fold CV AUC there), and the
   default cut there: the highest threshold keeping recall ≥ ``CUT_RECALL`` on the tuning half;
3. for CheckThat! alone, the same stack on ``dev`` (threshold: best dev F1).

Reported, never fitted on: CheckThat! ``dev-test`` and the news *report* half (overall, per language,
the share of candidates shown, AUC); the swapped estimate (fit and cut on the report half, scored on the
tuning half) gives a second opinion on the variance of 200-sentence halves. Writes ``claim_rank.json``
beside the model's probes with all of it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyzer import Analyzer
from unspin.claims.rank import RANK_FILE, ClaimRanker, cue_matrix, logit
from unspin.data import checkthat
from unspin.evaluate.checkworthy import load_news, prf
from unspin.evaluate.rank import (
    at,
    auc_by_language,
    languages,
    news_halves,
    news_matrix,
    news_texts,
    selected,
)
from unspin.heads.checkworthy import CheckworthyHead, is_candidate
from unspin.train.claim_probe import passage_matrix
from unspin.train.common import log

CUT_RECALL = 0.85  # recall the cut keeps on the tuning half (target: ≥ 0.80 on the other half)
C_GRID = (0.03, 0.1, 0.3, 1.0)
VECTOR_C_GRID = (0.03, 0.1, 0.3)


def stack_inputs(probe: np.ndarray, vector_logit: np.ndarray, texts: list[str]) -> np.ndarray:
    return np.concatenate([logit(probe)[:, None], vector_logit[:, None], cue_matrix(texts)], axis=1)


def fit_stack(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(weight, bias, C) of the logistic model over ``stack_inputs``; C by 5-fold CV AUC on (x, y)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    best = (C_GRID[0], -1.0)
    for c in C_GRID:
        scores = np.zeros(len(y))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=13).split(x, y):
            m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x[tr], y[tr])
            scores[te] = m.decision_function(x[te])
        auc = float(roc_auc_score(y, scores))
        if auc > best[1]:
            best = (c, auc)
    m = LogisticRegression(C=best[0], max_iter=3000, class_weight="balanced").fit(x, y)
    return m.coef_[0].astype(np.float64), float(m.intercept_[0]), best[0]


def fit_vector_probe(
    x: dict[str, np.ndarray], y: dict[str, np.ndarray], keep: dict[str, np.ndarray]
) -> tuple[np.ndarray, float, float, float]:
    """(weight, bias, C, dev threshold) of a logistic probe on CheckThat! train sentence vectors; C and the
    threshold by F1 on dev (candidates only, as at run time)."""
    from sklearn.linear_model import LogisticRegression

    best: tuple[float, float, Any] | None = None
    for c in VECTOR_C_GRID:
        m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x["train"], y["train"])
        p = m.predict_proba(x["dev"])[:, 1] * keep["dev"]
        t = best_f1_threshold(p, y["dev"])
        f = prf(p >= t, y["dev"])["f1"]
        log("vector probe", C=c, dev_f1=round(f, 4), threshold=round(t, 2))
        if best is None or f > best[0]:
            best = (f, t, (m, c))
    assert best is not None
    m, c = best[2]
    return m.coef_[0].astype(np.float64), float(m.intercept_[0]), c, best[1]


def cut_for_recall(scores: np.ndarray, gold: np.ndarray, recall: float = CUT_RECALL) -> float:
    """The highest threshold whose recall on (scores, gold) is at least ``recall``."""
    for t in np.arange(0.99, 0.0, -0.01):
        pred = scores >= t
        if (pred & gold).sum() >= recall * gold.sum():
            return float(round(t, 2))
    return 0.0


def best_f1_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    best = (0.5, -1.0)
    for t in np.arange(0.05, 0.96, 0.01):
        f = prf(scores >= t, gold)["f1"]
        if f > best[1]:
            best = (float(t), f)
    return best[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=Path("build/features"))
    ap.add_argument(
        "--embedder", default=None, help="module:factory of the sentence embedder (default: MiniLM)"
    )
    ap.add_argument("--dry-run", action="store_true", help="measure only; do not write claim_rank.json")
    args = ap.parse_args(argv)

    from unspin.train.verifier import load_embedder
    from unspin.train.verifier_pairs import VectorCache

    analyzer = Analyzer(args.model, known_claims=None)
    spotter = analyzer.heads.get(CheckworthyHead.name)
    if not isinstance(spotter, CheckworthyHead):
        raise SystemExit("this model has no checkworthy probe: run unspin.train.claim_probe first")
    probe = spotter.probe
    embedder = load_embedder(args.embedder)
    vectors = VectorCache(embedder, args.cache)

    # CheckThat!: probe scores in context (as the runtime reads sentences), sentence vectors alone.
    ct = {s: checkthat.load(s) for s in checkthat.SPLITS}
    ct_text = {s: [r.text for r in rows] for s, rows in ct.items()}
    ct_y = {s: np.array([r.checkworthy for r in rows]) for s, rows in ct.items()}
    ct_keep = {s: np.array([is_candidate(t) for t in texts]) for s, texts in ct_text.items()}
    ct_v = {s: vectors.get(texts) for s, texts in ct_text.items()}
    ct_p = {s: probe(passage_matrix(analyzer, ct[s], args.cache))[:, 0] for s in ("dev", "dev-test")}
    vector_w, vector_b, vector_c, vector_t = fit_vector_probe(ct_v, ct_y, ct_keep)
    ct_vl = {s: v @ vector_w + vector_b for s, v in ct_v.items()}

    # News: every labelled sentence read from its whole article.
    rows = load_news()
    texts = news_texts(rows)
    key = hashlib.sha256((analyzer.model_dir / "model.bin").read_bytes()[: 1 << 20])
    for r in rows:
        key.update(f"{r.article}\0{r.start}\0{r.end}\0".encode())
    cache_file = args.cache / f"news-{key.hexdigest()[:16]}.npy"
    if cache_file.exists():
        news_x = np.load(cache_file)
    else:
        news_x = news_matrix(analyzer, rows, texts)
        args.cache.mkdir(parents=True, exist_ok=True)
        np.save(cache_file, news_x)
    vectors.save()
    news_t = [r.text for r in rows]
    news_p = probe(news_x)[:, 0]
    news_vl = vectors.get(news_t) @ vector_w + vector_b
    news_y = np.array([r.label for r in rows])
    news_keep = np.array([is_candidate(t) for t in news_t])
    tune_a, _ = news_halves(rows)
    tune = np.array([r.article in tune_a for r in rows])
    report = ~tune
    langs = languages()
    lang = np.array([langs.get(r.article, "English") for r in rows])
    log("news", sentences=len(rows), tune=int(tune.sum()), report=int(report.sum()))

    out: dict[str, Any] = {}
    # 1. CheckThat! dev-test (never fitted on): today's probe; the vector probe; both and the cues stacked on dev.
    dev_x = stack_inputs(ct_p["dev"], ct_vl["dev"], ct_text["dev"])
    w, b, c = fit_stack(dev_x[ct_keep["dev"]], ct_y["dev"][ct_keep["dev"]])
    stack_dev = 1 / (1 + np.exp(-(dev_x @ w + b))) * ct_keep["dev"]
    t_stack = best_f1_threshold(stack_dev, ct_y["dev"])
    test_x = stack_inputs(ct_p["dev-test"], ct_vl["dev-test"], ct_text["dev-test"])
    out["checkthat_dev_test"] = {
        "probe_as_shipped": at(ct_p["dev-test"], ct_y["dev-test"], spotter.threshold, ct_keep["dev-test"]),
        "vector_probe": at(
            1 / (1 + np.exp(-ct_vl["dev-test"])), ct_y["dev-test"], vector_t, ct_keep["dev-test"]
        ),
        "stacked_on_dev": at(
            1 / (1 + np.exp(-(test_x @ w + b))), ct_y["dev-test"], t_stack, ct_keep["dev-test"]
        ),
        "vector_probe_C": vector_c,
        "stack_C": c,
    }

    # 2. News: the shipped ranking is stacked on the tuning half (in-domain), its cut chosen there too.
    def fit_and_cut(fit_rows: np.ndarray) -> tuple[ClaimRanker, np.ndarray]:
        sel = fit_rows & news_keep
        x = stack_inputs(news_p, news_vl, news_t)
        w, b, _ = fit_stack(x[sel], news_y[sel])
        ranker = ClaimRanker(embedder.name, vector_w, vector_b, w, b, 0.5, 1)
        scores = np.where(news_keep, ranker.scores(news_p, news_t, vectors.get(news_t)), 0.0)
        cut = cut_for_recall(scores[sel], news_y[sel])
        # min_top 0: an article none of whose sentences clears the cut shows no claim, rather than its best
        # non-claim (an opinion piece of rhetoric has nothing to check, and saying so is the honest answer).
        return ClaimRanker(embedder.name, vector_w, vector_b, w, b, cut, 0), scores

    ranker, scores = fit_and_cut(tune)
    shown = selected(ranker, scores, news_keep, rows)
    swapped, swapped_scores = fit_and_cut(report)
    swapped_shown = selected(swapped, swapped_scores, news_keep, rows)
    probe_shown = news_keep & (news_p >= spotter.threshold)
    out["news"] = {
        "threshold": ranker.threshold,
        "report_half": {**prf(shown[report], news_y[report]), "shown_fraction": float(shown[report].mean())},
        "report_half_by_language": {
            name: prf(shown[report & (lang == name)], news_y[report & (lang == name)])
            for name in ("English", "Russian")
        },
        "tune_half": prf(shown[tune], news_y[tune]),
        "swapped": {"threshold": swapped.threshold, "report": prf(swapped_shown[tune], news_y[tune])},
        "probe_as_shipped_report_half": {
            **prf(probe_shown[report], news_y[report]),
            "shown_fraction": float(probe_shown[report].mean()),
        },
        "every_candidate_report_half": prf(news_keep[report], news_y[report]),
        "auc_report_half": auc_by_language(scores[report], news_y[report], lang[report]),
        "auc_report_half_probe_only": auc_by_language(news_p[report], news_y[report], lang[report]),
    }
    print(json.dumps(out, indent=2))
    if not args.dry_run:
        ranker.save(
            args.model / RANK_FILE,
            {
                "fitted_on": {
                    "vector_probe": "CheckThat! 2024 train (C and threshold on dev)",
                    "weights_and_cut": "news tuning half (evaluate.data.news_checkworthy, news_halves)",
                },
                "metrics": out,
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
