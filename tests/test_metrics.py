from __future__ import annotations

import numpy as np
import pytest

from unspin.evaluate.metrics import paragraph_f1, span_f1, tune_thresholds


def test_span_f1_gives_partial_credit_per_label() -> None:
    gold = [("a", 0, 10, "X")]
    # Half of the prediction lies inside gold; it covers half of gold.
    pred = [("a", 5, 15, "X")]
    r = span_f1(gold, pred)
    assert r.precision == pytest.approx(0.5) and r.recall == pytest.approx(0.5)
    # Same offsets, wrong label or wrong document: no credit.
    assert span_f1(gold, [("a", 0, 10, "Y")]).f1 == 0.0
    assert span_f1(gold, [("b", 0, 10, "X")]).f1 == 0.0
    assert span_f1(gold, [("a", 0, 10, "X")]).f1 == pytest.approx(1.0)


def test_paragraph_f1_micro_and_macro() -> None:
    gold = np.array([[1, 0], [1, 1], [0, 0]], dtype=bool)
    pred = np.array([[1, 1], [0, 1], [0, 0]], dtype=bool)
    micro, macro, per = paragraph_f1(gold, pred)
    # tp=2 (p0/l0, p1/l1), fp=1, fn=1
    assert micro.precision == pytest.approx(2 / 3) and micro.recall == pytest.approx(2 / 3)
    assert per[0].f1 == pytest.approx(2 / 3) and per[1].f1 == pytest.approx(2 / 3)
    assert macro == pytest.approx(2 / 3)


def test_thresholds_separate_labels_and_fall_back_for_rare_ones() -> None:
    rng = np.random.default_rng(0)
    gold = np.zeros((200, 2), dtype=bool)
    gold[:50, 0] = True
    scores = np.zeros((200, 2), dtype=np.float32)
    scores[:, 0] = np.where(gold[:, 0], 0.7, 0.2) + rng.normal(0, 0.02, 200)
    scores[:, 1] = rng.uniform(0, 0.3, 200)  # label 1 never occurs: shares the global threshold
    th = tune_thresholds(scores, gold)
    assert 0.25 < th[0] <= 0.7
    pred = scores[:, 0] >= th[0]
    assert (pred == gold[:, 0]).all()
