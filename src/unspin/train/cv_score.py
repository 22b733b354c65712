"""Nested choices on out-of-fold predictions: thresholds, paragraph mix and epoch, then honest figures.

For the figure reported for fold f, the decoder (per-technique thresholds and paragraph mix) and the epoch
are chosen on the *other* folds' out-of-fold predictions only, then fold f is decoded once with them
through the runtime's ``TechniqueHead.decode``. Metrics are the SemEval scorer's: paragraph micro/macro
F1 and span F1 with partial credit (``evaluate.metrics``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.encoder.encoded import Encoded
from unspin.evaluate.metrics import paragraph_f1, span_f1
from unspin.evaluate.semeval2023 import encoded, gold_matrix, tune_decoder
from unspin.heads.techniques import TechniqueHead
from unspin.taxonomy import TECHNIQUES
from unspin.train import oof

LABELS = list(TECHNIQUES)
MIX_CHOICES = ("tokens", "head", "mean")


@dataclass(frozen=True)
class Cached:
    """One article ready for the decoder: its replayed prediction, paragraphs, gold rows and sentences."""

    art: sd.Article
    enc: Encoded
    pars: list[tuple[int, int, int]]
    gold: np.ndarray


def cache(articles: Sequence[sd.Article], records: dict[str, oof.Record]) -> list[Cached]:
    out = []
    for art in articles:
        pars = list(sd.iter_paragraphs(art))
        out.append(
            Cached(
                art, encoded(art, oof.prediction(art, records[art.key])), pars, gold_matrix(art, pars, LABELS)
            )
        )
    return out


def tune(items: Sequence[Cached], clause_labels: frozenset[int], mixes: Sequence[str]) -> TechniqueHead:
    gold = np.concatenate([c.gold for c in items])
    triples = [(c.art, c.enc, c.pars) for c in items]
    return tune_decoder(triples, gold, oof.REPLAY_HEAD, LABELS, clause_labels, mixes)


def paragraph_micro(items: Sequence[Cached], decoder: TechniqueHead) -> float:
    """Paragraph micro-F1 of ``decoder`` on ``items``: paragraph decisions only (spans do not change them)."""
    preds, golds = [], []
    for c in items:
        preds.append(decoder.paragraph_scores(c.enc) >= decoder.thresholds[None, :])
        golds.append(c.gold)
    return paragraph_f1(np.concatenate(golds), np.concatenate(preds))[0].f1


@dataclass(frozen=True)
class Decoded:
    key: str
    lang: str
    gold: np.ndarray
    pred: np.ndarray
    gold_spans: list[tuple[str, int, int, str]]
    pred_spans: list[tuple[str, int, int, str]]


def decode_items(items: Sequence[Cached], decoder: TechniqueHead) -> list[Decoded]:
    out = []
    for c in items:
        res = decoder.decode(c.enc)
        out.append(
            Decoded(
                c.art.key,
                c.art.lang,
                c.gold,
                res.labels,
                [(c.art.key, g.start, g.end, g.technique) for g in c.art.spans if g.technique in LABELS],
                [(c.art.key, s.start, s.end, LABELS[s.label]) for s in res.spans],
            )
        )
    return out


def metrics(rows: Sequence[Decoded]) -> dict[str, Any]:
    gold = np.concatenate([r.gold for r in rows])
    pred = np.concatenate([r.pred for r in rows])
    micro, macro, per = paragraph_f1(gold, pred)
    spans = span_f1([s for r in rows for s in r.gold_spans], [s for r in rows for s in r.pred_spans])
    return {
        "paragraph_micro_f1": micro.f1,
        "paragraph_micro_precision": micro.precision,
        "paragraph_micro_recall": micro.recall,
        "paragraph_macro_f1": macro,
        "span_f1": spans.f1,
        "articles": len(rows),
        "paragraphs": int(gold.shape[0]),
        "per_technique": {
            t: {"f1": x.f1, "support": x.support, "predicted": int(pred[:, j].sum())}
            for j, (t, x) in enumerate(zip(LABELS, per, strict=True))
        },
    }


def by_language(rows: Sequence[Decoded]) -> dict[str, dict[str, Any]]:
    out = {"all": metrics(rows)}
    for lang in sorted({r.lang for r in rows}):
        out[lang] = metrics([r for r in rows if r.lang == lang])
    return out


def clause_labels(articles: Sequence[sd.Article]) -> frozenset[int]:
    return frozenset(LABELS.index(t) for t in sd.clause_techniques(list(articles)) if t in LABELS)


def nested(
    folds: dict[int, dict[int, list[Cached]]], tune_langs: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """``folds[f][epoch]``: fold f's out-of-fold items at that epoch. For each fold, every (epoch, mix) is
    tuned on the other folds (restricted to ``tune_langs`` when given) and scored on fold f; the fold's
    headline is the (epoch, mix) whose tuned micro-F1 on the other folds is best."""
    out: dict[str, Any] = {"folds": {}}
    for f, epochs in sorted(folds.items()):
        fold_out: dict[str, Any] = {"grid": {}}
        best: tuple[float, str] | None = None
        for epoch in sorted(epochs):
            others = [c for g, ep in folds.items() if g != f for c in ep[epoch]]
            if tune_langs:
                others = [c for c in others if c.art.lang in tune_langs]
            clauses = clause_labels([c.art for c in others])
            for mix in MIX_CHOICES:
                dec = tune(others, clauses, (mix,))
                inner = paragraph_micro(others, dec)
                name = f"epoch{epoch}/{mix}"
                fold_out["grid"][name] = {
                    "inner_micro_f1": inner,
                    "thresholds": dec.thresholds.tolist(),
                    "scores": by_language(decode_items(epochs[epoch], dec)),
                }
                if best is None or inner > best[0]:
                    best = (inner, name)
        assert best is not None
        fold_out["chosen"] = best[1]
        fold_out["scores"] = fold_out["grid"][best[1]]["scores"]
        out["folds"][f] = fold_out
    return out


def mean_sd(values: Sequence[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=np.float64)
    return {"mean": float(arr.mean()), "sd": float(arr.std(ddof=1)) if len(arr) > 1 else 0.0, "n": len(arr)}
