"""Fit the claim ranking (``claims/rank.py``) and choose its default cut; measure check-worthiness.

Usage: python -m unspin.train.claim_rank --model src/unspin/assets/model [--fit-on dev|news]

Inputs: the model's claim-spotting probe (``probes.npz`` ``checkworthy``: refit it first with
``python -m unspin.train.claim_probe`` when the encoder changes — this command then re-fits the ranking on
the new probe's scores, the one command for new features), the CheckThat! 2024 dev and dev-test sentences
read in context as the runtime reads articles, and the hand-labelled news sentences
(``evaluate/data/news_checkworthy.tsv``).

Never tuned and reported on the same data:
- the ranking's weights are fitted on CheckThat! ``dev`` (``--fit-on dev``, default) or on the news tuning
  half (``--fit-on news``); CheckThat! ``dev-test`` is reported, never fitted;
- the news articles are split in two halves by article (``news_halves``: seeded, balanced by language);
  the default cut is chosen on the tuning half — the highest threshold whose recall there is at least
  ``CUT_RECALL`` — and precision/recall are reported on the other half. The swapped estimate (cut chosen on
  the report half, reported on the tuning half) is printed too, as a second opinion on the variance.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyzer import Analyzer
from unspin.claims.rank import RANK_FILE, ClaimRanker, cue_matrix
from unspin.data import checkthat
from unspin.evaluate.checkworthy import Labelled, load_news, prf
from unspin.heads.claims import is_candidate, span_features
from unspin.train.claim_probe import passage_matrix
from unspin.train.common import log

NEWS_SPLIT_SEED = 20240617
CUT_RECALL = 0.85  # recall the cut keeps on the tuning half (target: ≥ 0.80 on the other half)
C_GRID = (0.03, 0.1, 0.3, 1.0)


def news_halves(rows: list[Labelled], seed: int = NEWS_SPLIT_SEED) -> tuple[set[str], set[str]]:
    """(tuning articles, report articles): each language's articles shuffled and dealt alternately."""
    langs = _languages()
    by_lang: dict[str, list[str]] = defaultdict(list)
    for a in sorted({r.article for r in rows}):
        by_lang[langs.get(a, "English")].append(a)
    tune: set[str] = set()
    report: set[str] = set()
    for lang in sorted(by_lang):
        arts = by_lang[lang]
        random.Random(seed).shuffle(arts)
        for i, a in enumerate(arts):
            (tune if i % 2 == 0 else report).add(a)
    return tune, report


def _languages() -> dict[str, str]:
    path = Path(__file__).resolve().parents[1] / "evaluate" / "data" / "news_sources.tsv"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("article\t"):
            article, language, _ = line.split("\t", 2)
            out[article] = language
    return out


def news_texts(rows: list[Labelled]) -> dict[str, str]:
    """Article texts for every labelled article: SemEval files, the demo, and page sentences one per line."""
    from unspin.data import semeval2023 as sd
    from unspin.data.semeval2023 import read_text
    from unspin.evaluate.checkworthy import DEMO_FILE

    base = sd.default_data_dir()
    folders = {
        "en23": base / "semeval2023-task3" / "en" / "train-articles-subtask-3",
        "ru23": base / "semeval2023-task3" / "ru" / "train-articles-subtask-3",
        "en25": base / "semeval2025-task10" / "EN" / "raw-documents",
        "ru25": base / "semeval2025-task10" / "RU" / "raw-documents",
    }
    out: dict[str, str] = {}
    by_article: dict[str, list[Labelled]] = defaultdict(list)
    for r in rows:
        by_article[r.article].append(r)
    for article, labelled in by_article.items():
        if article == "demo":
            out[article] = DEMO_FILE.read_text(encoding="utf-8")
        elif article.startswith("web:"):
            out[article] = "\n".join(r.text for r in sorted(labelled, key=lambda r: r.start))
        elif ":" in article:
            kind, name = article.split(":", 1)
            file = name if kind.endswith("25") else f"article{name}.txt"
            out[article] = read_text(folders[kind] / file)
        else:
            out[article] = read_text(folders["en23"] / f"article{article}.txt")
        for r in labelled:
            if out[article][r.start : r.end] != r.text:
                raise ValueError(f"{article}:{r.start}: the labelled sentence no longer matches the text")
    return out


def news_matrix(analyzer: Analyzer, rows: list[Labelled], texts: dict[str, str]) -> np.ndarray:
    """[rows, 2 * hidden]: each labelled sentence pooled from its whole article's pass, as the runtime does."""
    x: np.ndarray | None = None
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_article[r.article].append(i)
    for article, idx in by_article.items():
        offsets, _, hidden = analyzer.predict(texts[article], with_hidden=True)
        assert hidden is not None
        if x is None:
            x = np.zeros((len(rows), 2 * hidden.shape[1]), np.float32)
        x[idx] = span_features(hidden, offsets, [(rows[i].start, rows[i].end) for i in idx])
    assert x is not None
    return x


def fit_ranker(probe: np.ndarray, texts: list[str], y: np.ndarray, c: float) -> ClaimRanker:
    from sklearn.linear_model import LogisticRegression

    from unspin.claims.rank import _logit

    x = np.concatenate([_logit(probe)[:, None], cue_matrix(texts)], axis=1)
    m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, y)
    return ClaimRanker(m.coef_[0].astype(np.float64), float(m.intercept_[0]), 0.5)


def cut_for_recall(scores: np.ndarray, gold: np.ndarray, recall: float = CUT_RECALL) -> float:
    """The highest threshold whose recall on (scores, gold) is at least ``recall``."""
    for t in np.arange(0.99, 0.0, -0.01):
        pred = scores >= t
        if (pred & gold).sum() >= recall * gold.sum():
            return float(round(t, 2))
    return 0.0


def at(scores: np.ndarray, gold: np.ndarray, t: float, keep: np.ndarray | None = None) -> dict[str, float]:
    pred = scores >= t
    if keep is not None:
        pred &= keep
    return prf(pred, gold)


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
    ap.add_argument("--fit-on", choices=("dev", "news"), default="dev")
    ap.add_argument("--dry-run", action="store_true", help="measure only; do not write claim_rank.json")
    args = ap.parse_args(argv)

    analyzer = Analyzer(args.model, known_claims=None)
    spotter = analyzer.heads.claims
    if spotter is None:
        raise SystemExit("this model has no checkworthy probe: run unspin.train.claim_probe first")
    probe = spotter.probe
    ct = {s: checkthat.load(s) for s in ("dev", "dev-test")}
    ct_x = {s: passage_matrix(analyzer, rows, args.cache) for s, rows in ct.items()}
    ct_p = {s: probe(x)[:, 0] for s, x in ct_x.items()}
    ct_y = {s: np.array([r.checkworthy for r in rows]) for s, rows in ct.items()}
    ct_keep = {s: np.array([is_candidate(r.text) for r in rows]) for s, rows in ct.items()}
    ct_text = {s: [r.text for r in rows] for s, rows in ct.items()}

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
    news_p = probe(news_x)[:, 0]
    news_y = np.array([r.label for r in rows])
    news_t = [r.text for r in rows]
    news_keep = np.array([is_candidate(t) for t in news_t])
    tune_a, report_a = news_halves(rows)
    tune = np.array([r.article in tune_a for r in rows])
    report = ~tune
    log("news", sentences=len(rows), tune=int(tune.sum()), report=int(report.sum()),
        tune_articles=sorted(tune_a), report_articles=sorted(report_a))

    out: dict[str, Any] = {}
    # Today's spotter, as shipped: probe ≥ its threshold on candidates.
    out["probe_as_shipped"] = {
        "dev_test": at(ct_p["dev-test"], ct_y["dev-test"], spotter.threshold, ct_keep["dev-test"]),
        "news_all": at(news_p, news_y, spotter.threshold, news_keep),
        "news_report_half": at(news_p[report], news_y[report], spotter.threshold, news_keep[report]),
    }
    # The ranking: weights fitted on dev (C and the F1 threshold by 5-fold CV on dev) or on the news tuning half.
    if args.fit_on == "dev":
        fit_p, fit_t, fit_y = ct_p["dev"][ct_keep["dev"]], np.array(ct_text["dev"])[ct_keep["dev"]].tolist(), ct_y["dev"][ct_keep["dev"]]
    else:
        sel = tune & news_keep
        fit_p, fit_t, fit_y = news_p[sel], np.array(news_t)[sel].tolist(), news_y[sel]
    best: tuple[float, float] | None = None
    from sklearn.model_selection import StratifiedKFold

    for c in C_GRID:
        scores = np.zeros(len(fit_y))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=13).split(fit_p, fit_y):
            r = fit_ranker(fit_p[tr], [fit_t[i] for i in tr], fit_y[tr], c)
            scores[te] = r.scores(fit_p[te], [fit_t[i] for i in te])
        f = prf(scores >= best_f1_threshold(scores, fit_y), fit_y)["f1"]
        log("ranker C", C=c, cv_f1=round(f, 4))
        if best is None or f > best[1]:
            best = (c, f)
    assert best is not None
    ranker = fit_ranker(fit_p, fit_t, fit_y, best[0])
    dev_scores = ranker.scores(ct_p["dev"], ct_text["dev"])
    f1_threshold = best_f1_threshold(dev_scores[ct_keep["dev"]], ct_y["dev"][ct_keep["dev"]])
    out["ranker_checkthat"] = {
        "fit_on": args.fit_on,
        "C": best[0],
        "threshold_best_dev_f1": f1_threshold,
        "dev": at(dev_scores, ct_y["dev"], f1_threshold, ct_keep["dev"]),
        "dev_test": at(ranker.scores(ct_p["dev-test"], ct_text["dev-test"]), ct_y["dev-test"], f1_threshold,
                       ct_keep["dev-test"]),
    }
    news_s = ranker.scores(news_p, news_t)
    news_s = np.where(news_keep, news_s, 0.0)  # questions and fragments are never claims
    cut = cut_for_recall(news_s[tune], news_y[tune])
    swapped = cut_for_recall(news_s[report], news_y[report])
    out["news_cut"] = {
        "threshold": cut,
        "tune_half": at(news_s[tune], news_y[tune], cut),
        "report_half": at(news_s[report], news_y[report], cut),
        "swapped_threshold": swapped,
        "swapped_report": at(news_s[tune], news_y[tune], swapped),
        "all_flagged_report_half": prf(news_keep[report], news_y[report]),
        "report_half_by_language": {},
    }
    langs = _languages()
    for lang in ("English", "Russian"):
        sel = report & np.array([langs.get(r.article) == lang for r in rows])
        out["news_cut"]["report_half_by_language"][lang] = at(news_s[sel], news_y[sel], cut)
    for name, value in out.items():
        log(name, **{k: (round(v["f1"], 3), round(v["precision"], 3), round(v["recall"], 3)) if isinstance(v, dict) and "f1" in v else v for k, v in value.items()})
    print(json.dumps(out, indent=2))
    if not args.dry_run:
        ClaimRanker(ranker.weight, ranker.bias, cut, 1).save(
            args.model / RANK_FILE,
            {"fitted_on": {"weights": args.fit_on, "cut": "news tuning half"}, "metrics": out},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
