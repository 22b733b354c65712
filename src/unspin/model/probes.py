"""Linear probes over the shared encoder's hidden states: the narrative, genre, frame, entity and role
heads.

Each probe is ``activation(x @ weight + bias)``; input standardization is folded into the weights at
training time, so the runtime is one matrix product per probe. All probes of a model live in one
``probes.npz`` (arrays ``<name>/weight``, ``<name>/bias``) described by ``probes.json`` (labels,
activation, thresholds and decoding settings per probe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from unspin.model import decode

Activation = Literal["sigmoid", "softmax"]


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


@dataclass(frozen=True)
class Probe:
    labels: tuple[str, ...]
    weight: np.ndarray  # [in, out]
    bias: np.ndarray  # [out]
    activation: Activation = "sigmoid"
    thresholds: np.ndarray | None = None  # [out], sigmoid probes
    settings: dict[str, Any] = field(default_factory=dict)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.weight + self.bias
        return softmax(z) if self.activation == "softmax" else decode.sigmoid(z)


def load_probes(model_dir: Path) -> dict[str, Probe]:
    """All probes of a model folder ({} when it has none: a technique-only model)."""
    meta_file, arrays_file = model_dir / "probes.json", model_dir / "probes.npz"
    if not meta_file.exists() or not arrays_file.exists():
        return {}
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    out: dict[str, Probe] = {}
    with np.load(arrays_file) as arrays:
        for name, m in meta["probes"].items():
            thresholds = m.get("thresholds")
            out[name] = Probe(
                labels=tuple(m["labels"]),
                weight=arrays[f"{name}/weight"].astype(np.float32),
                bias=arrays[f"{name}/bias"].astype(np.float32),
                activation=m.get("activation", "sigmoid"),
                thresholds=None if thresholds is None else np.asarray(thresholds, np.float32),
                settings=dict(m.get("settings", {})),
            )
    return out


def save_probes(model_dir: Path, probes: dict[str, Probe], extra: dict[str, Any] | None = None) -> None:
    model_dir.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"probes": {}, **(extra or {})}
    for name, p in probes.items():
        arrays[f"{name}/weight"] = p.weight.astype(np.float16)
        arrays[f"{name}/bias"] = p.bias.astype(np.float32)
        meta["probes"][name] = {
            "labels": list(p.labels),
            "activation": p.activation,
            "thresholds": None if p.thresholds is None else [round(float(t), 4) for t in p.thresholds],
            "settings": p.settings,
        }
    np.savez_compressed(model_dir / "probes.npz", **arrays)  # type: ignore[arg-type]
    (model_dir / "probes.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def doc_pool(hidden: np.ndarray) -> np.ndarray:
    """[mean, max] over all tokens: the article's vector for document-level probes."""
    if not len(hidden):
        return np.zeros(2 * hidden.shape[-1], np.float32)
    return np.concatenate([hidden.mean(0), hidden.max(0)]).astype(np.float32)


class SpanPooler:
    """Mean hidden state of the tokens overlapping character spans, O(1) per span (prefix sums), for the
    many mention and sentence vectors an article needs."""

    def __init__(self, hidden: np.ndarray, offsets: np.ndarray):
        self.cumsum = np.concatenate([np.zeros((1, hidden.shape[1])), np.cumsum(hidden, axis=0, dtype=np.float64)])
        self.starts = offsets[:, 0]
        self.ends = offsets[:, 1]

    def __call__(self, start: int, end: int) -> np.ndarray:
        # Tokens are in text order: those overlapping [start, end) are a contiguous range.
        i = int(np.searchsorted(self.ends, start, side="right"))
        j = int(np.searchsorted(self.starts, end, side="left"))
        if j <= i:
            return np.zeros(self.cumsum.shape[1], np.float32)
        mean: np.ndarray = ((self.cumsum[j] - self.cumsum[i]) / (j - i)).astype(np.float32)
        return mean
