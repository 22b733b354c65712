"""The head protocol: every head is built from its saved parameters, reads the encoded document, and
returns the analysis fields it declares.

A model folder holds ``heads.json`` (one section per head: its settings and the layers it owns) and
``heads.npz`` (the layers' arrays, ``<head>/<layer>/weight`` and ``.../bias``). As a spaCy component
declares its config and what it writes, a head declares ``name`` (its section), ``writes`` (the
``Analysis`` fields it fills) and reads its settings through ``Section``, which fails loudly on a
missing or misspelt key instead of falling back to a default nobody chose.

Adding a head = one module with a class following ``Head`` + one line in ``unspin.heads.registry``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, Self

import numpy as np

from unspin.errors import ModelError

if TYPE_CHECKING:
    from unspin.encoder.encoded import Encoded

HEADS_JSON = "heads.json"
HEADS_NPZ = "heads.npz"
FORMAT = 1

Activation = Literal["sigmoid", "softmax"]


def sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))
    return out


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


@dataclass(frozen=True)
class Linear:
    """``activation(x @ weight + bias)`` over named outputs; input standardization is folded into the
    weights at training time, so a layer is one matrix product at run time."""

    labels: tuple[str, ...]
    weight: np.ndarray  # [in, out]
    bias: np.ndarray  # [out]
    activation: Activation = "sigmoid"
    thresholds: np.ndarray | None = None  # [out], on the activation's scale

    def __post_init__(self) -> None:
        if self.weight.shape != (self.weight.shape[0], len(self.labels)) or self.bias.shape != (
            len(self.labels),
        ):
            raise ModelError(
                f"layer shapes {self.weight.shape} / {self.bias.shape} do not fit {len(self.labels)} labels"
            )

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.weight + self.bias
        return softmax(z) if self.activation == "softmax" else sigmoid(z)

    def threshold(self, i: int = 0, default: float = 0.5) -> float:
        return float(self.thresholds[i]) if self.thresholds is not None else default

    def spec(self) -> dict[str, Any]:
        """What ``heads.json`` stores for this layer (its arrays go to ``heads.npz``)."""
        return {
            "labels": list(self.labels),
            "activation": self.activation,
            "thresholds": None if self.thresholds is None else [round(float(t), 4) for t in self.thresholds],
        }


_MISSING = object()


class Section:
    """One head's saved settings and layers, read strictly: a key the head asks for must be there unless the
    head gives a default, and a key the head never asked for is an error (a typo, or a model written for
    another version of the head)."""

    def __init__(self, head: str, raw: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.head, self._raw, self._arrays = head, dict(raw), arrays
        self._read: set[str] = set()

    def get(self, key: str, default: Any = _MISSING) -> Any:
        self._read.add(key)
        if key in self._raw:
            return self._raw[key]
        if default is _MISSING:
            raise ModelError(f"the model's {self.head!r} head has no {key!r} setting")
        return default

    def linear(self, key: str) -> Linear:
        spec = self.get(key)
        if not isinstance(spec, Mapping):
            raise ModelError(f"the model's {self.head!r} head: {key!r} is not a layer")
        unknown = set(spec) - {"labels", "activation", "thresholds"}
        if unknown:
            raise ModelError(
                f"the model's {self.head!r} head: layer {key!r} has unknown keys {sorted(unknown)}"
            )
        prefix = f"{self.head}/{key}"
        try:
            weight, bias = self._arrays[f"{prefix}/weight"], self._arrays[f"{prefix}/bias"]
        except KeyError as err:
            raise ModelError(f"the model's heads.npz has no arrays for {prefix}") from err
        thresholds = spec.get("thresholds")
        return Linear(
            labels=tuple(spec["labels"]),
            weight=np.asarray(weight, np.float32),
            bias=np.asarray(bias, np.float32),
            activation=spec.get("activation", "sigmoid"),
            thresholds=None if thresholds is None else np.asarray(thresholds, np.float32),
        )

    def done(self) -> None:
        unknown = set(self._raw) - self._read
        if unknown:
            raise ModelError(f"the model's {self.head!r} head has unknown settings {sorted(unknown)}")


class Head(Protocol):
    """What every head is: built from its section, called on the encoded document."""

    name: ClassVar[str]  # its section in heads.json
    writes: ClassVar[tuple[str, ...]]  # the Analysis fields it fills
    # (optional) needs_article: ClassVar[bool] — True for heads that read a whole article (genre, frames,
    # narratives): the analyzer does not run them on a text too short to be one.

    def __call__(self, enc: Encoded) -> Mapping[str, Any]: ...


class ProbeHead:
    """A head that is one layer (``probe``) over the article's vector and has no settings of its own."""

    def __init__(self, probe: Linear) -> None:
        self.probe = probe

    @classmethod
    def load(cls, section: Section) -> Self:
        head = cls(section.linear("probe"))
        section.done()
        return head


@dataclass
class SavedHeads:
    """Every head section of a model folder, as written by training and read by ``registry.load_heads``."""

    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def read(cls, model_dir: Path) -> SavedHeads:
        meta_file, arrays_file = model_dir / HEADS_JSON, model_dir / HEADS_NPZ
        if not meta_file.exists():
            raise ModelError(f"the model folder {model_dir} has no {HEADS_JSON}")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or not isinstance(meta.get("heads"), dict):
            raise ModelError(f"{meta_file} is not a heads file of format {FORMAT}")
        arrays: dict[str, np.ndarray] = {}
        if arrays_file.exists():
            with np.load(arrays_file) as data:
                arrays = {k: data[k] for k in data.files}
        return cls(dict(meta["heads"]), arrays)

    def section(self, name: str) -> Section | None:
        raw = self.sections.get(name)
        return None if raw is None else Section(name, raw, self.arrays)

    def put(
        self, name: str, settings: Mapping[str, Any], layers: Mapping[str, Linear | None], half: bool = True
    ) -> None:
        """Replace one head's section (training writes a head at a time). Weights are stored as float16
        (``half``; the probes lose nothing measurable) or float32."""
        for key in [k for k in self.arrays if k.startswith(f"{name}/")]:
            del self.arrays[key]
        section: dict[str, Any] = dict(settings)
        for key, layer in layers.items():
            section[key] = None if layer is None else layer.spec()
            if layer is not None:
                self.arrays[f"{name}/{key}/weight"] = layer.weight.astype(np.float16 if half else np.float32)
                self.arrays[f"{name}/{key}/bias"] = layer.bias.astype(np.float32)
        self.sections[name] = section

    def write(self, model_dir: Path) -> None:
        model_dir.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(model_dir / HEADS_NPZ, **self.arrays)  # type: ignore[arg-type]
        meta = {"format": FORMAT, "heads": self.sections}
        (model_dir / HEADS_JSON).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def clip01(x: float) -> float:
    """A probability as the analysis shows it: in [0, 1], four decimals."""
    return round(min(1.0, max(0.0, float(x))), 4)


def strength(confidence: float, threshold: float) -> Literal["strong", "moderate", "weak"]:
    """How far a confidence clears its own threshold, in words: the share of the room above the threshold
    it covers (below a third: weak; from two thirds: strong). Probabilities of different labels are not
    comparable; their margins over their thresholds are."""
    room = max(1e-6, 1.0 - threshold)
    margin = (confidence - threshold) / room
    if margin >= 2 / 3:
        return "strong"
    if margin >= 1 / 3:
        return "moderate"
    return "weak"
