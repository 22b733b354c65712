"""Fitting probes: folded standardization reproduces scikit-learn's model, thresholds, out-of-fold
predictions."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.linear_model import LogisticRegression

from unspin.heads.base import Linear
from unspin.train.fit import best_threshold, cross_predict, fit_sigmoid, fit_softmax

SCALE = np.array([1.0, 10.0, 100.0, 0.1, 3.0])
SHIFT = np.array([5.0, -3.0, 50.0, 0.0, 1.0])


def data(n: int = 80, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 5))
    return z * SCALE + SHIFT, z  # raw features on very different scales, and their latent form


def standardize(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x - x.mean(0)) / (x.std(0) + 1e-6)
    return out


def test_fit_sigmoid_matches_sklearn_on_standardized_features() -> None:
    x, z = data()
    y = np.stack([z[:, 0] + 0.5 * z[:, 1] > 0.8, z[:, 2] - z[:, 4] > 0.0, np.zeros(len(x), bool)], 1).astype(
        int
    )
    probe = fit_sigmoid(x, y, ["a", "b", "never"], c=0.5)
    assert probe.labels == ("a", "b", "never") and probe.activation == "sigmoid"
    assert probe.weight.shape == (5, 3) and probe.bias.shape == (3,)
    got = probe(x)
    for j in range(2):
        ref = LogisticRegression(C=0.5, max_iter=3000, class_weight="balanced").fit(standardize(x), y[:, j])
        np.testing.assert_allclose(got[:, j], ref.predict_proba(standardize(x))[:, 1], atol=1e-4)
    # A label without a positive never fires, whatever the input.
    assert got[:, 2].max() < 1e-6
    assert probe(x * 100)[:, 2].max() < 1e-6


def test_fit_sigmoid_generalizes_to_new_rows_like_sklearn() -> None:
    x, z = data()
    y = (z[:, 3] > 0).astype(int)[:, None]
    probe = fit_sigmoid(x, y, ["a"], c=1.0)
    ref = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(standardize(x), y[:, 0])
    x_new, _ = data(20, seed=5)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    np.testing.assert_allclose(probe(x_new)[:, 0], ref.predict_proba((x_new - mu) / sd)[:, 1], atol=1e-4)


def test_fit_softmax_matches_sklearn() -> None:
    x, z = data(90)
    y = np.where(z[:, 0] > 0.5, 2, np.where(z[:, 1] > 0, 1, 0))
    probe = fit_softmax(x, y, ["p", "a", "i"], c=0.7)
    assert probe.activation == "softmax"
    ref = LogisticRegression(C=0.7, max_iter=3000, class_weight="balanced").fit(standardize(x), y)
    np.testing.assert_allclose(probe(x), ref.predict_proba(standardize(x)), atol=1e-4)


def test_fit_softmax_unbalanced_with_sample_weights_matches_sklearn() -> None:
    x, z = data(90, seed=3)
    y = np.where(z[:, 0] > 0.5, 2, np.where(z[:, 1] > 0, 1, 0))
    w = np.linspace(0.5, 2.0, len(x))
    probe = fit_softmax(x, y, ["p", "a", "i"], c=0.7, balanced=False, sample_weight=w)
    ref = LogisticRegression(C=0.7, max_iter=3000).fit(standardize(x), y, sample_weight=w)
    np.testing.assert_allclose(probe(x), ref.predict_proba(standardize(x)), atol=1e-4)


def test_fit_softmax_two_classes_and_an_unseen_class() -> None:
    x, z = data(60, seed=1)
    y = np.where(z[:, 2] > 0, 2, 0)  # class 1 never occurs
    probe = fit_softmax(x, y, ["p", "a", "i"], c=1.0)
    ref = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(standardize(x), y)
    p = probe(x)
    assert p[:, 1].max() < 1e-6  # the unseen class never fires
    np.testing.assert_allclose(p[:, [0, 2]], ref.predict_proba(standardize(x)), atol=1e-4)


def test_best_threshold_picks_the_f1_optimum() -> None:
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.2])
    gold = np.array([False, True, False, True, True, False])
    # F1 at 0.3: 6/7, at 0.38: 1.0, at 0.5: 0.8, at 0.85: 0.5
    t, f1 = best_threshold(scores, gold, grid=np.array([0.3, 0.38, 0.5, 0.85]))
    assert t == 0.38 and f1 == pytest.approx(1.0)
    t, f1 = best_threshold(scores, gold, grid=np.array([0.3, 0.5, 0.85]))
    assert t == 0.3 and f1 == pytest.approx(6 / 7)


def test_best_threshold_ties_go_to_the_higher_threshold() -> None:
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.2])
    gold = np.array([False, True, False, True, True, False])
    t, f1 = best_threshold(scores, gold, grid=np.array([0.36, 0.38, 0.39]))
    assert t == 0.39 and f1 == pytest.approx(1.0)
    t, f1 = best_threshold(scores, gold)  # default grid: only (0.35, 0.4] reaches F1 = 1
    assert 0.35 < t <= 0.4 + 1e-9 and f1 == pytest.approx(1.0)


def test_cross_predict_is_out_of_fold() -> None:
    n, folds = 23, 5
    x = np.arange(n, dtype=np.float32)[:, None]
    y = np.zeros((n, 2))
    seen: list[set[int]] = []

    def fit(xt: np.ndarray, yt: np.ndarray) -> Linear:
        assert len(xt) == len(yt)
        seen.append({int(v) for v in xt[:, 0]})
        k = len(seen) - 1  # the fold's number, readable back from the output: sigmoid(k) in column 0
        return Linear(("fold", "row"), np.array([[0.0, 0.01]], np.float32), np.array([k, 0.0], np.float32))

    out = cross_predict(x, fit, y, folds=folds)
    assert out.shape == (n, 2) and out.dtype == np.float32
    assert len(seen) == folds
    fold_of_row = np.rint(np.log(out[:, 0] / (1 - out[:, 0]))).astype(int)
    for k in range(folds):
        predicted = set(np.flatnonzero(fold_of_row == k).tolist())
        assert predicted and predicted.isdisjoint(seen[k])
        assert predicted | seen[k] == set(range(n))
    # the row column comes from each row's own features
    np.testing.assert_allclose(out[:, 1], 1 / (1 + np.exp(-0.01 * np.arange(n))), rtol=1e-5)


def test_cross_predict_is_deterministic() -> None:
    x, z = data(40)
    y = (z[:, 0] > 0).astype(int)[:, None]

    def fit(xt: np.ndarray, yt: np.ndarray) -> Linear:
        return fit_sigmoid(xt, yt, ["a"], c=1.0)

    np.testing.assert_array_equal(cross_predict(x, fit, y, folds=4), cross_predict(x, fit, y, folds=4))


def test_fit_sigmoid_label_present_in_every_row_fires() -> None:
    x, z = data(30)
    y = np.stack([np.ones(len(x)), z[:, 0] > 0], 1).astype(int)
    probe = fit_sigmoid(x, y, ["always", "a"], c=1.0)
    assert probe(x)[:, 0].min() > 0.5
