"""The match verifier: is a retrieved known claim the claim an article sentence makes, its opposite, or
another claim?

Retrieval finds known claims on the sentence's topic; it cannot tell "The Russian army doesn't deliberately
target civilians" from an editorial saying Russia's assault "specifically targets civilians". The verifier
reads each (sentence, candidate) pair — the two sentence vectors of whatever embedder the model was trained
for, and the lexical contrasts of ``claims/contrast.py`` — with a small network evaluated in numpy (a few
hundred microseconds for an article's pairs), and returns probabilities of ``same``, ``opposite`` and
``different``. Only ``same`` is a match to show; ``decide`` applies the thresholds chosen on held-out cases
and a guard that keeps any pair the model finds likely to be an inversion from being shown.

The model lives in a folder: ``verifier.npz`` (layer weights, input standardization) and ``verifier.json``
(embedder name and dimension, layer count, thresholds, the metrics it was accepted with). Built by
``python -m unspin.train.verifier``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unspin.claims.contrast import FEATURE_NAMES, contrast_features

# Lexical contrasts that, present, mean the sentence negates or calls false what the claim asserts: such a
# pair is never shown as the article repeating the claim, whatever the model says (see ``probabilities``).
CONTRASTS = ("negation_mismatch", "scoped_negation_conflicts", "refutation_diff", "antonym_conflicts")

RELATIONS = ("same", "opposite", "different")
BLOCKS = ("product", "difference")  # the vector blocks of ``pair_features``, in order
SAME, OPPOSITE, DIFFERENT = range(3)
MODEL_FILE, CONFIG_FILE = "verifier.npz", "verifier.json"


def default_verifier_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "assets" / "verifier"


def pair_features(
    sent_vecs: np.ndarray, sent_texts: Sequence[str], cand_vecs: np.ndarray, cand_texts: Sequence[str]
) -> np.ndarray:
    """[n, 2 * dim + len(FEATURE_NAMES)] for aligned pairs: u * v and |u - v| of the (L2-normalized)
    vectors — direction-free comparisons that carry over between topics — then the lexical contrasts."""
    u = np.asarray(sent_vecs, np.float32)
    v = np.asarray(cand_vecs, np.float32)
    if u.shape != v.shape or u.ndim != 2 or len(u) != len(sent_texts) or len(v) != len(cand_texts):
        raise ValueError("sentence and candidate vectors and texts must be aligned: [n, dim] each")
    cosines = np.einsum("ij,ij->i", u, v)
    return np.concatenate([u * v, np.abs(u - v), contrast_features(sent_texts, cand_texts, cosines)], axis=1)


@dataclass(frozen=True)
class Verifier:
    embedder: str  # the sentence embedder the model was trained on (``Embedder.name``)
    dim: int
    mean: np.ndarray  # input standardization [features]
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight [in, out], bias [out]); ReLU between
    same_threshold: float  # p(same) at which a pair is shown as a match
    opposite_guard: float  # p(opposite) at which a pair is never shown as a match, whatever p(same)
    opposite_threshold: float = (
        1.01  # p(opposite) at which a pair may be shown as agreeing with the fact-check
    )
    # Which vector comparisons the model reads, of those ``pair_features`` computes ("product": u * v,
    # "difference": |u - v|); the lexical contrasts are always read.
    blocks: tuple[str, ...] = BLOCKS
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> Verifier:
        folder = folder or default_verifier_dir()
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        if tuple(config["features"]) != FEATURE_NAMES:
            raise ValueError(f"{folder}: the model was trained on other lexical features; retrain it")
        with np.load(folder / MODEL_FILE) as z:
            layers = tuple(
                (z[f"w{i}"].astype(np.float32), z[f"b{i}"].astype(np.float32))
                for i in range(int(config["layers"]))
            )
            mean, scale = z["mean"].astype(np.float32), z["scale"].astype(np.float32)
        return cls(
            embedder=str(config["embedder"]),
            dim=int(config["dim"]),
            mean=mean,
            scale=scale,
            layers=layers,
            same_threshold=float(config["same_threshold"]),
            opposite_guard=float(config["opposite_guard"]),
            opposite_threshold=float(config.get("opposite_threshold", 1.01)),
            blocks=tuple(config.get("blocks", BLOCKS)),
            info={k: v for k, v in config.items() if k in ("version", "metrics", "trained_on")},
        )

    def save(self, folder: Path, extra: dict[str, Any] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"mean": self.mean, "scale": self.scale}
        for i, (w, b) in enumerate(self.layers):
            arrays[f"w{i}"], arrays[f"b{i}"] = w.astype(np.float16), b.astype(np.float32)
        np.savez_compressed(folder / MODEL_FILE, **arrays)  # type: ignore[arg-type]
        config = {
            "embedder": self.embedder,
            "dim": self.dim,
            "layers": len(self.layers),
            "features": list(FEATURE_NAMES),
            "relations": list(RELATIONS),
            "same_threshold": round(self.same_threshold, 4),
            "opposite_guard": round(self.opposite_guard, 4),
            "opposite_threshold": round(self.opposite_threshold, 4),
            "blocks": list(self.blocks),
            **(extra or {}),
        }
        (folder / CONFIG_FILE).write_text(
            json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def accepts(self, embedder_name: str) -> bool:
        """Vectors of another embedder live in another space: the model would read noise."""
        return embedder_name == self.embedder

    def contrasted(self, features: np.ndarray) -> np.ndarray:
        """Pairs with a contrast (``CONTRASTS``): a negation, a refutation or an antonym on one side only."""
        cols = [len(BLOCKS) * self.dim + FEATURE_NAMES.index(name) for name in CONTRASTS]
        out: np.ndarray = np.any(np.asarray(features)[:, cols] > 0, axis=1)
        return out

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """The model's (same, opposite, different) per pair, with p(same) of contrasted pairs moved to
        opposite. Measured on held-out cases, the rule costs about 2% of true restatements (a summary that
        says "does not shirk" for "adheres to") and removes most inversions the model alone lets through
        (a disproof sentence "… have nothing to do with Nazism" read as repeating "… have Nazi origin")."""
        p = self.model_probabilities(features)
        hit = self.contrasted(features)
        p[hit, OPPOSITE] += p[hit, SAME]
        p[hit, SAME] = 0.0
        return p

    def columns(self) -> np.ndarray:
        """The columns of ``pair_features`` this model reads."""
        parts = [
            np.arange(k * self.dim, (k + 1) * self.dim) for k, b in enumerate(BLOCKS) if b in self.blocks
        ]
        parts.append(np.arange(len(BLOCKS) * self.dim, len(BLOCKS) * self.dim + len(FEATURE_NAMES)))
        return np.concatenate(parts)

    def model_probabilities(self, features: np.ndarray) -> np.ndarray:
        """The network's own (same, opposite, different), before the contrast rule."""
        h = (np.asarray(features, np.float32)[:, self.columns()] - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        e = np.exp(h)
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out

    def relations(
        self,
        sent_vecs: np.ndarray,
        sent_texts: Sequence[str],
        cand_vecs: np.ndarray,
        cand_texts: Sequence[str],
    ) -> np.ndarray:
        """[n, 3] probabilities of (same, opposite, different) for aligned pairs."""
        if len(sent_texts) == 0:
            return np.zeros((0, 3), np.float32)
        if np.shape(sent_vecs)[1] != self.dim:
            raise ValueError(f"vectors of dimension {np.shape(sent_vecs)[1]}; this verifier reads {self.dim}")
        return self.probabilities(pair_features(sent_vecs, sent_texts, cand_vecs, cand_texts))

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """Relation index per pair: ``same`` (show as a match) only when p(same) clears its threshold and
        p(opposite) stays under the guard; ``opposite`` (may be shown as agreeing with the fact-check) when
        p(opposite) clears its own threshold; otherwise ``different`` (not shown)."""
        p = np.asarray(probabilities, np.float32)
        same = (p[:, SAME] >= self.same_threshold) & (p[:, OPPOSITE] < self.opposite_guard)
        opposite = ~same & (p[:, OPPOSITE] >= self.opposite_threshold)
        return np.where(same, SAME, np.where(opposite, OPPOSITE, DIFFERENT)).astype(np.int64)
