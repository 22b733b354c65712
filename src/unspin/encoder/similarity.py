"""Sentence embeddings for known claims: all-MiniLM-L6-v2 on OpenVINO (``assets/similarity``).

The exported graph pools and normalizes inside itself (see ``unspin.train.similarity_export``), so
``encode`` only tokenizes, batches texts of similar length together and runs it. Same engine, precision
rules and compile cache as the technique encoder (``runtime.py``); no torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from unspin.encoder.config import asset_dir
from unspin.encoder.openvino import Graph
from unspin.options import RunOptions

ASSETS = "similarity"
DIM = 384
PAD_ID = 0


def default_similarity_dir() -> Path:
    return asset_dir(ASSETS, "UNSPIN_SIMILARITY_DIR")


def similarity_model_available(model_dir: Path | None = None) -> bool:
    return ((model_dir or default_similarity_dir()) / "model.xml").is_file()


def load_similarity_tokenizer(path: Path) -> Tokenizer:
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok


def encode_batch_inputs(tok: Tokenizer, texts: list[str], max_len: int) -> tuple[np.ndarray, np.ndarray]:
    """input_ids and attention_mask [n, longest] (int64), with [CLS]/[SEP], cut at ``max_len`` tokens."""
    encodings = tok.encode_batch(texts, add_special_tokens=True)
    rows = []
    for enc in encodings:
        ids = enc.ids
        if len(ids) > max_len:
            ids = ids[: max_len - 1] + ids[-1:]  # keep the final [SEP]
        rows.append(ids)
    width = max(len(r) for r in rows)
    input_ids = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        input_ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return input_ids, mask


class SentenceEncoder:
    """``encode(texts)`` → float32 [n, 384], L2-normalized; compiled with the run options' precision and
    threads, like the technique encoder (a server or batch worker must not let it take every core)."""

    def __init__(self, model_dir: Path | None = None, options: RunOptions | None = None) -> None:
        model_dir = model_dir or default_similarity_dir()
        if not similarity_model_available(model_dir):
            raise FileNotFoundError(f"no similarity model under {model_dir}")
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.name = f"{config['name']}@{config['version']}"
        self.max_len = int(config["max_len"])
        self.tokenizer = load_similarity_tokenizer(model_dir / "tokenizer.json")
        self.graph = Graph(model_dir / "model.xml", options or RunOptions())
        self.precision = self.graph.precision

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        lengths = [len(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            ids, mask = encode_batch_inputs(self.tokenizer, [texts[i] for i in chunk], self.max_len)
            out[chunk] = self.graph.run({"input_ids": ids, "attention_mask": mask})[0]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
