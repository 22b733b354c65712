"""Bootstrap intervals over documents: documents are the unit the audit samples, so every interval
resamples whole documents (with all their spans, actors and narratives) rather than spans or mentions."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

ROUNDS = 2000
SEED = 20250614


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int  # documents that contributed

    def as_dict(self) -> dict[str, float | int | None]:
        """Rounded; undefined values (no document had anything to measure) as None: valid JSON."""

        def r(x: float) -> float | None:
            return None if math.isnan(x) else round(x, 4)

        return {"value": r(self.value), "low": r(self.low), "high": r(self.high), "n": self.n}


def bootstrap(
    columns: np.ndarray, stat: Callable[[np.ndarray], np.ndarray], rounds: int = ROUNDS, seed: int = SEED
) -> Estimate:
    """``columns``: [documents, k] per-document sums; ``stat`` maps summed columns [b, k] to [b] values.
    Returns the statistic on all documents and its 95% percentile interval. Documents whose columns are
    all zero take no part (they would only narrow the interval)."""
    cols = np.asarray(columns, dtype=np.float64)
    if cols.ndim != 2:
        raise ValueError("columns must be [documents, k]")
    cols = cols[np.abs(cols).sum(axis=1) > 0]
    n = len(cols)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(stat(cols.sum(axis=0, keepdims=True))[0])
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(rounds, n))
        sums = cols[idx].sum(axis=1)
        draws = stat(sums)
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return Estimate(value, float("nan"), float("nan"), n)
    low, high = np.percentile(draws, [2.5, 97.5])
    return Estimate(value, float(low), float(high), n)


def ratio(num: int = 0, den: int = 1) -> Callable[[np.ndarray], np.ndarray]:
    """sum(column num) / sum(column den): a share or a mean over records pooled across documents."""
    return lambda s: s[:, num] / s[:, den]


def rate_change(
    count_a: int = 0, words_a: int = 1, count_b: int = 2, words_b: int = 3
) -> Callable[[np.ndarray], np.ndarray]:
    """Relative change of a rate per word from variant a to variant b: (b rate / a rate) - 1."""
    return lambda s: (s[:, count_b] / s[:, words_b]) / (s[:, count_a] / s[:, words_a]) - 1.0
