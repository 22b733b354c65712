"""Encoder features for the heads trained on top of the technique encoder (narratives, genre, frames,
entities, roles).

Those heads read the hidden states of the shipped encoder, exactly as the runtime computes them (same
OpenVINO graph, windows and merging), so what they are trained on is what they see at run time. Features
are cached per corpus in ``build/features`` because the encoder pass dominates a training run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from unspin.analyzer import Analyzer

Features = dict[str, tuple[np.ndarray, np.ndarray]]  # id -> (token offsets [n, 2], hidden [n, d])


def _key(analyzer: Analyzer, items: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    h.update((analyzer.model_dir / "model.bin").read_bytes()[: 1 << 20])
    h.update(analyzer.encoder.graph.precision.encode())
    for doc_id, text in items:
        h.update(doc_id.encode())
        h.update(text.encode())
    return h.hexdigest()[:16]


def encode(analyzer: Analyzer, items: Sequence[tuple[str, str]], cache_dir: Path | None = None) -> Features:
    """(id, text) pairs -> per-token offsets and hidden states, cached on disk when ``cache_dir`` is set."""
    cache = cache_dir / f"features-{_key(analyzer, items)}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            return {i: (data[f"{i}/offsets"], data[f"{i}/hidden"].astype(np.float32)) for i, _ in items}
    out: Features = {}
    for doc_id, text in items:
        enc = analyzer.encode(text)
        assert enc.hidden is not None
        out[doc_id] = (enc.offsets, enc.hidden)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for i, (off, hid) in out.items():
            arrays[f"{i}/offsets"] = off
            arrays[f"{i}/hidden"] = hid.astype(np.float16)
        np.savez(cache, **arrays)  # type: ignore[arg-type]
    return out
