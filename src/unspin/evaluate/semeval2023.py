"""Score technique predictions on SemEval-2023 Task 3 articles, decoding exactly as the runtime does.

``score`` takes any ``predict(text) -> (token offsets, token probabilities, hidden states or None)``: the
runtime ``Analyzer`` for ``unspin evaluate``, the PyTorch model during training. Without a decoder it
tunes one: per-technique thresholds for each way of scoring paragraphs, keeping the best on micro-F1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.document import Document
from unspin.evaluate.metrics import paragraph_f1, span_f1, tune_thresholds
from unspin.model import decode
from unspin.model.heads import MIXES, LinearHead, TechniqueDecoder

Prediction = tuple[np.ndarray, np.ndarray, np.ndarray | None]
Predict = Callable[[str], Prediction]


def gold_matrix(
    article: sd.Article, paragraphs: Sequence[tuple[int, int, int]], labels: Sequence[str]
) -> np.ndarray:
    gold = np.zeros((len(paragraphs), len(labels)), dtype=bool)
    for p, (num, _, _) in enumerate(paragraphs):
        for t in article.paragraph_labels.get(num, ()):
            if t in labels:
                gold[p, labels.index(t)] = True
    return gold


def tune_decoder(
    cached: list[tuple[sd.Article, Prediction, list[tuple[int, int, int]]]],
    gold: np.ndarray,
    paragraph_head: LinearHead | None,
    k: int,
    clause_labels: frozenset[int] = frozenset(),
    mixes: Sequence[str] = MIXES,
) -> TechniqueDecoder:
    """Thresholds per technique for every paragraph scoring in ``mixes``, keep the one with the best
    micro-F1 (cross-validation passes a single mix to compare them)."""
    zero = np.zeros(k, dtype=np.float32)
    # The paragraph decision does not depend on how spans are shaped, so clause_labels only ride along.
    best: tuple[float, TechniqueDecoder] | None = None
    span_th: np.ndarray | None = None
    if paragraph_head is None:
        mixes = ("tokens",)
    # span thresholds are always tuned on token probabilities, whichever mixes are tried
    for mix in ("tokens", *[m for m in mixes if m != "tokens"]):
        probe = TechniqueDecoder(zero, zero, mix, paragraph_head)
        scores = np.concatenate(
            [
                probe.paragraph_scores(
                    pred[1],
                    pred[2],
                    decode.token_paragraph_index(pred[0], [(s, e) for _, s, e in pars]),
                    len(pars),
                )
                for _, pred, pars in cached
            ]
        )
        th = tune_thresholds(scores, gold)
        if mix == "tokens":
            span_th = th  # token-probability scale: what spans are cut with, whatever scores paragraphs
        f1 = paragraph_f1(gold, scores >= th[None, :])[0].f1
        assert span_th is not None
        if mix not in mixes:
            continue
        cand = TechniqueDecoder(th, span_th, mix, paragraph_head, clause_labels)
        if best is None or f1 > best[0]:
            best = (f1, cand)
    assert best is not None
    return best[1]


def fit_decoder(
    articles: Sequence[sd.Article],
    predict: Predict,
    labels: Sequence[str],
    paragraph_head: LinearHead | None,
    clause_labels: frozenset[int] = frozenset(),
) -> TechniqueDecoder:
    """Tune a decoder (paragraph scoring and thresholds) on ``articles``."""
    cached = [(art, predict(art.text), list(sd.iter_paragraphs(art))) for art in articles]
    gold = np.concatenate([gold_matrix(art, pars, labels) for art, _, pars in cached])
    return tune_decoder(cached, gold, paragraph_head, len(labels), clause_labels)


def score(
    articles: Sequence[sd.Article],
    predict: Predict,
    labels: Sequence[str],
    decoder: TechniqueDecoder | None = None,
    paragraph_head: LinearHead | None = None,
    clause_labels: frozenset[int] = frozenset(),
    mixes: Sequence[str] = MIXES,
) -> dict[str, Any]:
    """Metrics over ``articles``; tunes a decoder on them (over ``mixes``) when ``decoder`` is None."""
    k = len(labels)
    cached = []
    golds = []
    for art in articles:
        pars = list(sd.iter_paragraphs(art))
        cached.append((art, predict(art.text), pars))
        golds.append(gold_matrix(art, pars, labels))
    gold_m = np.concatenate(golds) if golds else np.zeros((0, k), dtype=bool)
    if decoder is None:
        decoder = tune_decoder(cached, gold_m, paragraph_head, k, clause_labels, mixes)
    pred_rows, gold_spans, pred_spans = [], [], []
    for art, (offsets, probs, hidden), pars in cached:
        sentences = [(s.start, s.end) for s in Document.from_text(art.text).sentences]
        out = decoder.decode(art.text, offsets, probs, hidden, [(s, e) for _, s, e in pars], sentences)
        pred_rows.append(out.labels)
        pred_spans += [(art.key, sp.start, sp.end, labels[sp.label]) for sp in out.spans]
        gold_spans += [(art.key, g.start, g.end, g.technique) for g in art.spans]
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
        "mix": decoder.mix,
        "thresholds": {t: float(v) for t, v in zip(labels, decoder.thresholds, strict=True)},
        "span_thresholds": {t: float(v) for t, v in zip(labels, decoder.span_thresholds, strict=True)},
        "n_articles": len(articles),
        "n_paragraphs": int(gold_m.shape[0]),
    }
