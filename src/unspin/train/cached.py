"""Frozen bottom, trained top: the frozen embeddings and lower encoder layers run once per window.

On the shared 2-core machine a full fine-tuning step of e5-small (16 windows x 256 tokens) took minutes
(~25 GFLOPS effective): three folds x three epochs would have taken days. With the embeddings and all but
the top ``train_layers`` layers frozen, their output never changes: it is computed once for every window of
every article (fp16, on disk, shared by all folds and the final model) and training runs only the top
layers, forward and backward. Evaluation reads the same cache, so out-of-fold predictions cost the top
layers only; a test checks that this equals the full model's forward pass.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from unspin.train.common import log


def n_layers(encoder: nn.Module) -> int:
    return int(encoder.config.num_hidden_layers)


def freeze_below(encoder: nn.Module, split: int) -> None:
    """Only layers ``split`` and above train; embeddings and the layers below are frozen."""
    for p in encoder.parameters():
        p.requires_grad_(False)
    for layer in encoder.encoder.layer[split:]:
        for p in layer.parameters():
            p.requires_grad_(True)


def _mask(encoder: Any, attention_mask: torch.Tensor, hidden: torch.Tensor) -> Any:
    # The model's own mask construction (sdpa/eager), exactly as BertModel.forward builds it.
    return encoder._create_attention_masks(
        attention_mask=attention_mask,
        encoder_attention_mask=None,
        embedding_output=hidden,
        encoder_hidden_states=None,
        cache=None,
    )[0]


def bottom(encoder: Any, input_ids: torch.Tensor, attention_mask: torch.Tensor, split: int) -> torch.Tensor:
    """Embeddings and layers below ``split``."""
    hidden = encoder.embeddings(input_ids=input_ids)
    mask = _mask(encoder, attention_mask, hidden)
    for layer in encoder.encoder.layer[:split]:
        hidden = layer(hidden, mask)
    return hidden  # type: ignore[no-any-return]


def top(encoder: Any, hidden: torch.Tensor, attention_mask: torch.Tensor, split: int) -> torch.Tensor:
    """Layers ``split`` and above, from the bottom's output: the encoder's last hidden states."""
    mask = _mask(encoder, attention_mask, hidden)
    for layer in encoder.encoder.layer[split:]:
        hidden = layer(hidden, mask)
    return hidden


@torch.no_grad()
def bottom_cache(
    encoder: nn.Module, ids: np.ndarray, masks: np.ndarray, split: int, path: Path, batch: int = 32
) -> np.ndarray:
    """fp16 [windows, length, hidden] bottom states of every window, memory-mapped from ``path``; reused
    when it exists for the same windows (a checksum of the ids), computed (resumable by chunk) otherwise."""
    meta_path = path.with_suffix(".json")
    meta = {"split": split, "shape": [int(ids.shape[0]), int(ids.shape[1])], "ids_sum": _checksum(ids)}
    if path.exists() and meta_path.exists() and json.loads(meta_path.read_text()).get("done") == meta:
        return np.load(path, mmap_mode="r")
    encoder.eval()
    hidden_size = int(encoder.config.hidden_size)  # type: ignore[union-attr]
    partial = path.with_suffix(".partial.npy")
    progress = path.with_suffix(".progress.json")
    start = 0
    if partial.exists() and progress.exists():
        state = json.loads(progress.read_text())
        if state.get("meta") == meta:
            start = int(state["done_rows"])
            out = np.load(partial, mmap_mode="r+")
    if start == 0:
        out = np.lib.format.open_memmap(partial, mode="w+", dtype=np.float16, shape=(*ids.shape, hidden_size))
    for b in range(start, len(ids), batch):
        x, m = torch.from_numpy(ids[b : b + batch]), torch.from_numpy(masks[b : b + batch])
        out[b : b + batch] = bottom(encoder, x, m, split).float().numpy().astype(np.float16)
        if (b // batch) % 10 == 9 or b + batch >= len(ids):
            out.flush()
            progress.write_text(json.dumps({"meta": meta, "done_rows": min(len(ids), b + batch)}))
            log("bottom cache", rows=min(len(ids), b + batch), of=len(ids))
    del out
    os.replace(partial, path)
    meta_path.write_text(json.dumps({"done": meta}))
    progress.unlink(missing_ok=True)
    return np.load(path, mmap_mode="r")


def _checksum(ids: np.ndarray) -> int:
    weights = np.arange(1, ids.size + 1, dtype=np.uint64) % np.uint64(1_000_003)
    return int((ids.reshape(-1).astype(np.uint64) * weights).sum() % np.uint64(2**61 - 1))
