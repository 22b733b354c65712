"""Score technique predictions on SemEval-2023 Task 3 articles, decoding exactly as the runtime does.

``score`` takes any ``predict(text) -> (token offsets, token probabilities, hidden states or None)``: the
runtime ``Analyzer`` for ``unspin evaluate``, the PyTorch model during training. Without a decoder it
tunes one: per-technique thresholds for each way of scoring paragraphs, keeping the best on micro-F1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.document import Document, Segment
from unspin.encoder.encoded import Encoded
from unspin.evaluate.metrics import paragraph_f1, span_f1, tune_thresholds
from unspin.heads.base import Linear
from unspin.heads.techniques import MIXES, TechniqueHead

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer

Prediction = tuple[np.ndarray, np.ndarray, np.ndarray | None]
Predict = Callable[[str], Prediction]


def runtime_predict(analyzer: Analyzer) -> Predict:
    """The shipped model's pass over a text, as a ``Predict``."""

    def predict(text: str) -> Prediction:
        enc = analyzer.encode(text)
        return enc.offsets, enc.probs, enc.hidden

    return predict


def encoded(article: sd.Article, pred: Prediction) -> Encoded:
    """A prediction over an article, its paragraphs the lines the release labels (one row of gold each)."""
    offsets, probs, hidden = pred
    lines = [Segment(s, e) for _, s, e in sd.iter_paragraphs(article)]
    return Encoded(Document.from_paragraphs(article.text, lines), offsets, probs, hidden)


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
    cached: list[tuple[sd.Article, Encoded, list[tuple[int, int, int]]]],
    gold: np.ndarray,
    paragraph_head: Linear | None,
    labels: Sequence[str],
    clause_labels: frozenset[int] = frozenset(),
    mixes: Sequence[str] = MIXES,
) -> TechniqueHead:
    """Thresholds per technique for every paragraph scoring in ``mixes``, keep the one with the best
    micro-F1 (cross-validation passes a single mix to compare them)."""
    zero = np.zeros(len(labels), dtype=np.float32)
    # The paragraph decision does not depend on how spans are shaped, so clause_labels only ride along.
    best: tuple[float, TechniqueHead] | None = None
    span_th: np.ndarray | None = None
    if paragraph_head is None:
        mixes = ("tokens",)
    # span thresholds are always tuned on token probabilities, whichever mixes are tried
    for mix in ("tokens", *[m for m in mixes if m != "tokens"]):
        probe = TechniqueHead(tuple(labels), zero, zero, mix, paragraph_head)
        scores = np.concatenate([probe.paragraph_scores(enc) for _, enc, _ in cached])
        th = tune_thresholds(scores, gold)
        if mix == "tokens":
            span_th = th  # token-probability scale: what spans are cut with, whatever scores paragraphs
        f1 = paragraph_f1(gold, scores >= th[None, :])[0].f1
        assert span_th is not None
        if mix not in mixes:
            continue
        cand = TechniqueHead(tuple(labels), th, span_th, mix, paragraph_head, clause_labels)
        if best is None or f1 > best[0]:
            best = (f1, cand)
    assert best is not None
    return best[1]


def fit_decoder(
    articles: Sequence[sd.Article],
    predict: Predict,
    labels: Sequence[str],
    paragraph_head: Linear | None,
    clause_labels: frozenset[int] = frozenset(),
) -> TechniqueHead:
    """Tune a technique head's decoding (paragraph scoring and thresholds) on ``articles``."""
    cached = [(art, encoded(art, predict(art.text)), list(sd.iter_paragraphs(art))) for art in articles]
    gold = np.concatenate([gold_matrix(art, pars, labels) for art, _, pars in cached])
    return tune_decoder(cached, gold, paragraph_head, labels, clause_labels)


def score(
    articles: Sequence[sd.Article],
    predict: Predict,
    labels: Sequence[str],
    decoder: TechniqueHead | None = None,
    paragraph_head: Linear | None = None,
    clause_labels: frozenset[int] = frozenset(),
    mixes: Sequence[str] = MIXES,
) -> dict[str, Any]:
    """Metrics over ``articles``; tunes a decoder on them (over ``mixes``) when ``decoder`` is None."""
    k = len(labels)
    cached = []
    golds = []
    for art in articles:
        pars = list(sd.iter_paragraphs(art))
        cached.append((art, encoded(art, predict(art.text)), pars))
        golds.append(gold_matrix(art, pars, labels))
    gold_m = np.concatenate(golds) if golds else np.zeros((0, k), dtype=bool)
    if decoder is None:
        decoder = tune_decoder(cached, gold_m, paragraph_head, labels, clause_labels, mixes)
    pred_rows, gold_spans, pred_spans = [], [], []
    for art, enc, _ in cached:
        out = decoder.decode(enc)
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
