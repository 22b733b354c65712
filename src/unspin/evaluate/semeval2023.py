"""Score technique predictions on SemEval-2023 Task 3 articles, decoding exactly as the runtime does.

``score`` takes any ``predict(text) -> (token offsets, probabilities)``: the runtime ``Analyzer`` for
``unspin evaluate``, the PyTorch model during training. Paragraph labels follow from decoded spans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.evaluate.metrics import paragraph_f1, span_f1, tune_thresholds
from unspin.model import decode

Predict = Callable[[str], tuple[np.ndarray, np.ndarray]]


def gold_matrix(article: sd.Article, paragraphs: Sequence[tuple[int, int, int]], labels: Sequence[str]) -> np.ndarray:
    gold = np.zeros((len(paragraphs), len(labels)), dtype=bool)
    for p, (num, _, _) in enumerate(paragraphs):
        for t in article.paragraph_labels.get(num, ()):
            if t in labels:
                gold[p, labels.index(t)] = True
    return gold


def score(
    articles: Sequence[sd.Article],
    predict: Predict,
    labels: Sequence[str],
    thresholds: np.ndarray | None = None,
) -> dict[str, Any]:
    """Metrics over ``articles``; tunes per-label thresholds on them when ``thresholds`` is None."""
    k = len(labels)
    cached = []
    all_scores, all_gold = [], []
    for art in articles:
        offsets, probs = predict(art.text)
        pars = list(sd.iter_paragraphs(art))
        tok_par = decode.token_paragraph_index(offsets, [(s, e) for _, s, e in pars])
        all_scores.append(decode.paragraph_scores(probs, tok_par, len(pars)))
        all_gold.append(gold_matrix(art, pars, labels))
        cached.append((art, offsets, probs, tok_par, pars))
    scores_m = np.concatenate(all_scores) if all_scores else np.zeros((0, k), dtype=np.float32)
    gold_m = np.concatenate(all_gold) if all_gold else np.zeros((0, k), dtype=bool)
    if thresholds is None:
        thresholds = tune_thresholds(scores_m, gold_m)
    pred_rows, gold_spans, pred_spans = [], [], []
    for art, offsets, probs, tok_par, pars in cached:
        spans = decode.decode_spans(art.text, probs, offsets, tok_par, thresholds)
        rows = np.zeros((len(pars), k), dtype=bool)
        for sp in spans:
            for p, (_, s, e) in enumerate(pars):
                if sp.start < e and sp.end > s:
                    rows[p, sp.label] = True
        pred_rows.append(rows)
        pred_spans += [(art.id, sp.start, sp.end, labels[sp.label]) for sp in spans]
        gold_spans += [(art.id, g.start, g.end, g.technique) for g in art.spans]
    pred_m = np.concatenate(pred_rows) if pred_rows else np.zeros((0, k), dtype=bool)
    micro, macro, per = paragraph_f1(gold_m, pred_m)
    spans_prf = span_f1(gold_spans, pred_spans)
    return {
        "paragraph_micro_f1": micro.f1,
        "paragraph_micro_precision": micro.precision,
        "paragraph_micro_recall": micro.recall,
        "paragraph_macro_f1": macro,
        "span_f1": spans_prf.f1,
        "span_precision": spans_prf.precision,
        "span_recall": spans_prf.recall,
        "per_technique": {
            t: {"f1": x.f1, "precision": x.precision, "recall": x.recall, "support": x.support}
            for t, x in zip(labels, per, strict=True)
        },
        "thresholds": {t: float(v) for t, v in zip(labels, thresholds, strict=True)},
        "n_articles": len(articles),
        "n_paragraphs": int(gold_m.shape[0]),
    }
