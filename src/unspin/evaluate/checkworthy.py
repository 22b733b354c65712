"""``unspin evaluate checkworthy``: claim spotting, as the runtime does it.

Two measurements: the CheckThat! 2024 ``dev-test`` file (debate sentences, read with their neighbours as
in training, the probe's threshold and the candidate rules applied; F1 of the positive class, the task's official measure), and
hand-labelled news sentences (``data/news_checkworthy.tsv``; how they were labelled is in its header):
each article is analyzed whole and a labelled sentence counts as spotted when the analysis lists it as a
claim. Neither set tuned anything.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyzer import Analyzer
from unspin.data import checkthat
from unspin.document import Segment
from unspin.errors import BadInput
from unspin.heads.checkworthy import CheckworthyHead, is_candidate

NEWS_FILE = Path(__file__).with_name("data") / "news_checkworthy.tsv"
DEMO_FILE = Path(__file__).resolve().parents[3] / "examples" / "khabarovsk-opinion.txt"


@dataclass(frozen=True)
class Labelled:
    article: str
    start: int
    end: int
    label: bool
    text: str


def load_news(path: Path = NEWS_FILE) -> list[Labelled]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("article\t"):
            continue
        article, start, end, label, text = line.split("\t", 4)
        rows.append(Labelled(article, int(start), int(end), label == "1", text))
    return rows


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(pred & gold))
    p, r = tp / max(1.0, float(pred.sum())), tp / max(1.0, float(gold.sum()))
    return {"f1": 0.0 if tp == 0 else 2 * p * r / (p + r), "precision": p, "recall": r, "n": float(len(gold))}


def checkthat_scores(
    analyzer: Analyzer, spotter: CheckworthyHead, split: str = "dev-test"
) -> dict[str, float]:
    rows = checkthat.load(split)
    scores = np.zeros(len(rows), np.float32)
    for passage in checkthat.passages(rows):  # each sentence read with its neighbours, as in training
        enc = analyzer.encode(passage.text)
        if enc.hidden is not None and len(enc):
            scores[passage.rows] = spotter.scores(enc, [Segment(s, e) for s, e in passage.spans])
    # The head's own rules, as saved with it (at run time they pick the candidates).
    keep = np.array([not spotter.rules or is_candidate(r.text, spotter.min_words) for r in rows])
    gold = np.array([r.checkworthy for r in rows])
    return prf((scores >= spotter.threshold) & keep, gold)


def news_scores(analyzer: Analyzer, rows: list[Labelled], texts: dict[str, str]) -> dict[str, Any]:
    by_article: dict[str, list[Labelled]] = defaultdict(list)
    for r in rows:
        by_article[r.article].append(r)
    pred, gold, per_article = [], [], {}
    for article, labelled in by_article.items():
        text = texts[article]
        spotted = {(c.start, c.end) for c in analyzer.analyze(text).claims}
        p = np.array([(r.start, r.end) in spotted for r in labelled])
        g = np.array([r.label for r in labelled])
        for r in labelled:
            if text[r.start : r.end] != r.text:
                raise BadInput(
                    f"{NEWS_FILE.name}: the sentence at {r.article}:{r.start} no longer matches its text"
                )
        per_article[article] = prf(p, g)
        pred.append(p)
        gold.append(g)
    return {"all": prf(np.concatenate(pred), np.concatenate(gold)), "articles": per_article}


def article_texts(rows: list[Labelled]) -> dict[str, str]:
    """The text of every labelled article: SemEval files (English and Russian, both releases), the demo, and
    stored pages (their labelled sentences, one per line); see ``data/README.md``."""
    from unspin.evaluate.rank import news_texts  # imported here: evaluate.rank imports this module

    try:
        return news_texts(rows)
    except (FileNotFoundError, KeyError) as e:
        raise BadInput(f"An article of {NEWS_FILE.name} was not found ({e}): is ../shared/data there?") from e


def run_evaluate_checkworthy(as_json: bool) -> int:
    analyzer = Analyzer(known_claims=None)
    spotter = analyzer.heads.get(CheckworthyHead.name)
    if not isinstance(spotter, CheckworthyHead):
        raise BadInput("This model has no claim-spotting head (checkworthy).")
    rows = load_news()
    texts = article_texts(rows)
    rows = [r for r in rows if r.article in texts]
    checkthat_m = checkthat_scores(analyzer, spotter)
    news = news_scores(analyzer, rows, texts)
    result = {
        "model_version": analyzer.config.version,
        "threshold": spotter.threshold,
        "checkthat_dev_test": checkthat_m,
        "news": news,
        # Flagging every sentence: the floor the news figures should be read against.
        "news_all_positive_f1": prf(np.ones(len(rows), bool), np.array([r.label for r in rows]))["f1"],
    }
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("set", "sentences", "F1 (positive)", "precision", "recall", title="Claim spotting")
    rows_out: list[tuple[str, dict[str, float]]] = [
        ("CheckThat! 2024 dev-test", checkthat_m),
        ("news (hand-labelled)", news["all"]),
        *[(f"  {k}", v) for k, v in news["articles"].items()],
    ]
    for name, m in rows_out:
        table.add_row(name, f"{m['n']:.0f}", f"{m['f1']:.3f}", f"{m['precision']:.3f}", f"{m['recall']:.3f}")
    table.caption = f"news, every sentence flagged: F1 {result['news_all_positive_f1']:.3f}"
    Console(highlight=False).print(table)
    return 0
