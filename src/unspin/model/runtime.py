"""The encoder+heads graph on OpenVINO: load once, run windows, return per-token logits.

OpenVINO was chosen by measurement (``make bench``, README): on CPUs with AMX/AVX512-BF16 it runs the
graph in bf16 and beats ONNX Runtime's int8 path several times; on other CPUs it falls back to f32 by
itself, so one artifact serves both (``UNSPIN_PRECISION=f32`` forces the portable path).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

ASSETS = "model"


@dataclass(frozen=True)
class ModelConfig:
    name: str
    version: str
    labels: tuple[str, ...]
    thresholds: np.ndarray  # on paragraph scores
    span_thresholds: np.ndarray  # on token probabilities
    paragraph_mix: str  # how paragraphs are scored: tokens | head | mean (see model/heads.py)
    clause_techniques: tuple[str, ...]  # decoded as clauses, not phrases (see TechniqueDecoder)
    max_len: int
    stride: int
    weights: str


def asset_dir(name: str, env_var: str) -> Path:
    """A model folder shipped in the package, unless ``$env_var`` points at another one."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    return Path(str(resources.files("unspin") / "assets" / name))


def default_model_dir() -> Path:
    return asset_dir(ASSETS, "UNSPIN_MODEL_DIR")


def compile_properties(core: Any, precision: str | None = None, threads: int | None = None) -> dict[str, object]:
    """OpenVINO CPU properties shared by every unspin graph: latency hint, bf16 where the CPU has it
    (``precision`` or ``$UNSPIN_PRECISION``: auto | bf16 | f32), threads, and the compile cache."""
    precision = precision or os.environ.get("UNSPIN_PRECISION", "auto")
    props: dict[str, object] = {"PERFORMANCE_HINT": "LATENCY"}
    caps = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    if precision == "f32" or (precision == "auto" and "BF16" not in caps):
        props["INFERENCE_PRECISION_HINT"] = "f32"
    elif precision in ("bf16", "auto"):
        props["INFERENCE_PRECISION_HINT"] = "bf16"
    else:
        raise ValueError(f"unknown precision {precision!r}: use auto, bf16 or f32")
    if threads:
        props["INFERENCE_NUM_THREADS"] = threads
    cache = compile_cache_dir()
    if cache is not None:
        props["CACHE_DIR"] = str(cache)
    return props


def compile_cache_dir() -> Path | None:
    """Where OpenVINO keeps compiled blobs, so later runs skip compilation (a faster cold start).

    ``$UNSPIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/unspin/openvino`` (``~/.cache/...``); an empty
    ``UNSPIN_CACHE_DIR`` or an unwritable location disables it.
    """
    env = os.environ.get("UNSPIN_CACHE_DIR")
    if env == "":
        return None
    base = (
        Path(env)
        if env
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "unspin" / "openvino"
    )
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None


def load_config(model_dir: Path) -> ModelConfig:
    raw = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    return ModelConfig(
        name=raw["name"],
        version=raw["version"],
        labels=tuple(raw["labels"]),
        thresholds=np.asarray(raw["thresholds"], dtype=np.float32),
        span_thresholds=np.asarray(raw.get("span_thresholds", raw["thresholds"]), dtype=np.float32),
        paragraph_mix=raw.get("paragraph_mix", "tokens"),
        clause_techniques=tuple(raw.get("clause_techniques", ())),
        max_len=int(raw["max_len"]),
        stride=int(raw["stride"]),
        weights=raw.get("weights", "fp16"),
    )


class Encoder:
    """Compiled OpenVINO model. ``precision``: 'auto' (bf16 where the CPU has it), 'bf16' or 'f32'."""

    def __init__(self, model_dir: Path, precision: str | None = None, threads: int | None = None) -> None:
        import openvino as ov  # imported here so that `unspin --help` stays fast

        core = ov.Core()
        props = compile_properties(core, precision, threads)
        self.model = core.read_model(str(model_dir / "model.xml"))
        self.compiled = core.compile_model(self.model, "CPU", props)
        self.request = self.compiled.create_infer_request()
        self.precision = str(props["INFERENCE_PRECISION_HINT"])
        self.engine = f"openvino {ov.__version__.split('-')[0]} CPU"

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Token logits [windows, length, labels] as float32."""
        return self.run(input_ids, attention_mask)[0]

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(token logits [w, L, labels], hidden states [w, L, hidden] or None for a graph without them)."""
        result = self.request.infer({"input_ids": input_ids, "attention_mask": attention_mask})
        logits = np.asarray(result[self.compiled.output(0)], dtype=np.float32)
        hidden = None
        if len(self.compiled.outputs) > 1:
            hidden = np.asarray(result[self.compiled.output(1)], dtype=np.float32)
        return logits, hidden
