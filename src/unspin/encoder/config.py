"""A model folder: where it is, and its encoder settings (``config.json``), read strictly."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

from unspin.errors import ModelError

ASSETS = "model"


def asset_dir(name: str, env_var: str) -> Path:
    """A model folder shipped in the package, unless ``$env_var`` points at another one."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    return Path(str(resources.files("unspin") / "assets" / name))


def default_model_dir() -> Path:
    return asset_dir(ASSETS, "UNSPIN_MODEL_DIR")


@dataclass(frozen=True)
class ModelConfig:
    """The encoder graph's identity and input conventions. Every key is required: a model folder that
    misses or misspells one fails to load rather than run with a guessed window size or special token."""

    name: str
    version: str
    max_len: int  # tokens per window, [CLS] and [SEP] included
    stride: int  # first-token distance between overlapping windows
    weights: str  # how the graph's weights are stored: int8 | fp16 | fp32
    cls_id: int
    sep_id: int
    pad_id: int
    languages: tuple[str, ...]  # ISO 639-1 codes of the languages the heads were trained on

    def __post_init__(self) -> None:
        if not 0 < self.stride <= self.max_len - 2:
            raise ModelError(f"stride {self.stride} does not fit windows of {self.max_len} tokens")

    def to_json(self) -> dict[str, object]:
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


def load_config(model_dir: Path) -> ModelConfig:
    path = model_dir / "config.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ModelError(f"no model at {model_dir}: {path.name} is missing") from err
    names = {f.name for f in fields(ModelConfig)}
    missing, unknown = names - set(raw), set(raw) - names
    if missing or unknown:
        raise ModelError(
            f"{path}: "
            + "; ".join(
                part
                for part in (
                    f"missing {sorted(missing)}" if missing else "",
                    f"unknown {sorted(unknown)}" if unknown else "",
                )
                if part
            )
        )
    raw["languages"] = tuple(raw["languages"])
    return ModelConfig(**raw)
