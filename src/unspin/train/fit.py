"""Fitting linear probes with scikit-learn and folding them into runtime ``Linear`` layers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from unspin.heads.base import Linear

SEED = 13


def _scale(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = x.mean(0)
    sd = x.std(0) + 1e-6
    return mu, sd


def fit_sigmoid(x: np.ndarray, y: np.ndarray, labels: Sequence[str], c: float) -> Linear:
    """One balanced logistic regression per label (columns of ``y``); a label without a positive gets a
    bias that never fires, one positive everywhere a bias that always does."""
    mu, sd = _scale(x)
    z = (x - mu) / sd
    w = np.zeros((x.shape[1], y.shape[1]), np.float32)
    b = np.full(y.shape[1], -20.0, np.float32)
    for j in range(y.shape[1]):
        if y[:, j].sum() == len(y):
            b[j] = 20.0
        elif y[:, j].sum() > 0:
            m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(z, y[:, j])
            w[:, j], b[j] = m.coef_[0], m.intercept_[0]
    return _fold(w, b, mu, sd, tuple(labels), "sigmoid")


def fit_softmax(
    x: np.ndarray,
    y: np.ndarray,
    labels: Sequence[str],
    c: float,
    balanced: bool = True,
    sample_weight: np.ndarray | None = None,
) -> Linear:
    """Multinomial logistic regression; ``y`` holds class indices into ``labels``."""
    mu, sd = _scale(x)
    z = (x - mu) / sd
    m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    m.fit(z, y, sample_weight=sample_weight)
    w = np.zeros((x.shape[1], len(labels)), np.float32)
    b = np.full(len(labels), -20.0, np.float32)
    for k, cls in enumerate(m.classes_):
        if len(m.classes_) == 2:  # sklearn keeps one column for two classes
            w[:, cls] = m.coef_[0] * (1 if k == 1 else -1) / 2
            b[cls] = m.intercept_[0] * (1 if k == 1 else -1) / 2
        else:
            w[:, cls], b[cls] = m.coef_[k], m.intercept_[k]
    return _fold(w, b, mu, sd, tuple(labels), "softmax")


def _fold(
    w: np.ndarray, b: np.ndarray, mu: np.ndarray, sd: np.ndarray, labels: tuple[str, ...], act: str
) -> Linear:
    weight = (w / sd[:, None]).astype(np.float32)
    bias = (b - (mu / sd) @ w).astype(np.float32)
    return Linear(labels, weight, bias, act)  # type: ignore[arg-type]


def cross_predict(
    x: np.ndarray, fit: Callable[[np.ndarray, np.ndarray], Linear], y: np.ndarray, folds: int = 5
) -> np.ndarray:
    """Out-of-fold probabilities: each row predicted by a probe that never saw it."""
    out: np.ndarray | None = None
    for tr, te in KFold(folds, shuffle=True, random_state=SEED).split(x):
        p = fit(x[tr], y[tr])(x[te])
        if out is None:
            out = np.zeros((len(x), p.shape[1]), np.float32)
        out[te] = p
    assert out is not None
    return out


def best_threshold(
    scores: np.ndarray, gold: np.ndarray, grid: np.ndarray | None = None
) -> tuple[float, float]:
    """The threshold with the best F1 of the positive class (ties: the higher threshold)."""
    grid = np.arange(0.05, 0.96, 0.025) if grid is None else grid
    best = (0.5, -1.0)
    for t in grid:
        pred = scores >= t
        tp = float((pred & gold).sum())
        f1 = 2 * tp / max(1.0, float(pred.sum() + gold.sum()))
        if f1 >= best[1]:
            best = (float(t), f1)
    return best
