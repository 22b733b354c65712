"""The claim ranking (``claims/rank.py``) on the hand-labelled news sentences: data helpers shared with its
training (``train/claim_rank.py``) and ``python -m unspin.evaluate.rank``, which scores the shipped ranking
on the news *report* half (the half nothing was fitted or cut on).

The news articles (``data/news_checkworthy.tsv``) are split in two halves by article, each language's
articles shuffled with a fixed seed and dealt alternately, so both halves hold English and Russian.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.claims.rank import RANK_FILE, ClaimRanker
from unspin.evaluate.checkworthy import DEMO_FILE, Labelled, load_news, prf
from unspin.heads.checkworthy import CheckworthyHead, is_candidate

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer

NEWS_SPLIT_SEED = 20240617
SOURCES_FILE = Path(__file__).with_name("data") / "news_sources.tsv"


def news_halves(rows: list[Labelled], seed: int = NEWS_SPLIT_SEED) -> tuple[set[str], set[str]]:
    """(tuning articles, report articles): each language's articles shuffled and dealt alternately."""
    langs = languages()
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


def languages() -> dict[str, str]:
    out = {}
    for line in SOURCES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("article\t"):
            article, language, _ = line.split("\t", 2)
            out[article] = language
    return out


def news_texts(rows: list[Labelled]) -> dict[str, str]:
    """Article texts for every labelled article: SemEval files, the demo, and page sentences one per line."""
    from unspin.data import semeval2023 as sd
    from unspin.data.semeval2023 import read_text

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
        pooled = analyzer.encode(texts[article]).pool([(rows[i].start, rows[i].end) for i in idx])
        if x is None:
            x = np.zeros((len(rows), pooled.shape[1]), np.float32)
        x[idx] = pooled
    assert x is not None
    return x


def at(scores: np.ndarray, gold: np.ndarray, t: float, keep: np.ndarray | None = None) -> dict[str, float]:
    pred = scores >= t
    if keep is not None:
        pred &= keep
    return prf(pred, gold)


def selected(ranker: ClaimRanker, scores: np.ndarray, keep: np.ndarray, rows: list[Labelled]) -> np.ndarray:
    """What ``--claims top`` shows, per article, as a mask over ``rows``: the candidates the cut keeps (at
    least ``min_top`` per article)."""
    shown = np.zeros(len(rows), bool)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if keep[i]:
            by_article[r.article].append(i)
    for idx in by_article.values():
        for j in ranker.select(scores[idx], "top"):
            shown[idx[j]] = True
    return shown


def auc_by_language(scores: np.ndarray, gold: np.ndarray, lang: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    out = {"all": float(roc_auc_score(gold, scores))}
    for name in ("English", "Russian"):
        sel = lang == name
        if len(set(gold[sel].tolist())) == 2:
            out[name] = float(roc_auc_score(gold[sel], scores[sel]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the bundled one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from unspin.analyzer import Analyzer
    from unspin.encoder.similarity import SentenceEncoder

    analyzer = Analyzer(args.model, known_claims=None)
    spotter = analyzer.heads.get(CheckworthyHead.name)
    ranker_file = analyzer.model_dir / RANK_FILE
    if not isinstance(spotter, CheckworthyHead) or not ranker_file.exists():
        sys.stderr.write("this model has no checkworthy probe or no claim_rank.json\n")
        return 2
    ranker = ClaimRanker.load(ranker_file)
    encoder = SentenceEncoder()
    if not ranker.accepts(encoder.name):
        sys.stderr.write(f"the ranking reads {ranker.embedder} vectors, not {encoder.name}\n")
        return 2
    rows = load_news()
    texts = [r.text for r in rows]
    probe = spotter.probe(news_matrix(analyzer, rows, news_texts(rows)))[:, 0]
    keep = np.array([is_candidate(t) for t in texts])
    scores = np.where(keep, ranker.scores(probe, texts, encoder.encode(texts)), 0.0)
    shown = selected(ranker, scores, keep, rows)
    gold = np.array([r.label for r in rows])
    tune_articles, _ = news_halves(rows)
    report = np.array([r.article not in tune_articles for r in rows])
    langs = languages()
    lang = np.array([langs.get(r.article, "English") for r in rows])
    result: dict[str, Any] = {
        "threshold": ranker.threshold,
        "report_half": {**prf(shown[report], gold[report]), "shown_fraction": float(shown[report].mean())},
        "by_language": {
            name: prf(shown[report & (lang == name)], gold[report & (lang == name)])
            for name in ("English", "Russian")
        },
        "probe_as_shipped": prf((keep & (probe >= spotter.threshold))[report], gold[report]),
        "auc": auc_by_language(scores[report], gold[report], lang[report]),
    }
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return 0
    r = result["report_half"]
    print(
        f"news report half ({int(r['n'])} sentences), cut {ranker.threshold}: precision {r['precision']:.3f} "
        f"recall {r['recall']:.3f} F1 {r['f1']:.3f}, {r['shown_fraction']:.0%} of sentences shown"
    )
    for name, m in result["by_language"].items():
        print(f"  {name}: precision {m['precision']:.3f} recall {m['recall']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
