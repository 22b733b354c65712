"""Text in, ``Encoded`` out: tokenize once, cut overlapping windows, run the graph, merge the windows.

``encode_many`` packs the windows of many documents into shared batches (a batch run keeps the encoder
busy with full batches); ``encode`` is the one-document case of it, so there is one path. Outputs do not
depend on which other documents share a batch: OpenVINO's result for a window depends only on the
window and its padded width, so windows are grouped by the width their own document gives them and never
re-padded (a test compares packed and unpacked analyses bit for bit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from unspin.document import Document
from unspin.encoder.config import ModelConfig
from unspin.encoder.encoded import Encoded
from unspin.encoder.openvino import Graph
from unspin.encoder.windows import Tokens, Windows, add_window, load_tokenizer, make_windows, tokenize
from unspin.heads.base import sigmoid
from unspin.options import RunOptions

# Windows per encoder call: bounds memory on huge inputs while keeping the encoder busy.
WINDOW_BATCH = 32


class TextEncoder:
    """The technique encoder graph with its tokenizer; outputs token logits and (usually) hidden states."""

    def __init__(self, model_dir: Path, config: ModelConfig, options: RunOptions) -> None:
        self.config = config
        self.tokenizer = load_tokenizer(str(model_dir / "tokenizer.json"))
        self.graph = Graph(model_dir / "model.xml", options)
        self.window_batch = WINDOW_BATCH

    def windows(self, tokens: Tokens) -> Windows:
        c = self.config
        return make_windows(tokens, c.max_len, c.stride, cls_id=c.cls_id, sep_id=c.sep_id, pad_id=c.pad_id)

    def encode(self, doc: Document, keep_hidden: bool = True) -> Encoded:
        return self.encode_many([doc], keep_hidden)[0]

    def encode_many(self, docs: Sequence[Document], keep_hidden: bool = True) -> list[Encoded]:
        tokens = [tokenize(self.tokenizer, d.text) for d in docs]
        windows = [self.windows(t) if len(t) else None for t in tokens]
        # Per document: summed outputs per token and how many windows saw each token (windows overlap),
        # accumulated batch by batch so the windows' outputs are never all held at once.
        logits: list[np.ndarray | None] = [None] * len(docs)
        hidden: list[np.ndarray | None] = [None] * len(docs)
        seen = [np.zeros((len(t), 1), np.float32) for t in tokens]
        by_width: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for d, w in enumerate(windows):
            if w is not None:
                by_width[w.input_ids.shape[1]].extend((d, i) for i in range(len(w.starts)))
        for pairs in by_width.values():
            for b in range(0, len(pairs), self.window_batch):
                part = pairs[b : b + self.window_batch]
                ids = np.stack([windows[d].input_ids[i] for d, i in part])  # type: ignore[union-attr]
                mask = np.stack([windows[d].attention_mask[i] for d, i in part])  # type: ignore[union-attr]
                outputs = self.graph.run({"input_ids": ids, "attention_mask": mask})
                for row, (d, i) in enumerate(part):
                    w = windows[d]
                    assert w is not None
                    s, ln = int(w.starts[i]), int(w.lengths[i])
                    total = logits[d] = _total(logits[d], outputs[0], len(tokens[d]))
                    add_window(total, outputs[0][row], s, ln, seen[d])
                    if keep_hidden and len(outputs) > 1:
                        total = hidden[d] = _total(hidden[d], outputs[1], len(tokens[d]))
                        add_window(total, outputs[1][row], s, ln)
        out = []
        k = self.graph.compiled.outputs[0].get_partial_shape()[-1].get_length()
        for d, doc in enumerate(docs):
            count = np.maximum(seen[d], 1.0)
            lg, hd = logits[d], hidden[d]
            probs = sigmoid(lg / count) if lg is not None else np.zeros((0, k), np.float32)
            if hd is not None:
                hd /= count  # in place: a copy would double the largest array (~400 MB for a 1 MB paragraph)
            out.append(Encoded(doc, tokens[d].offsets, probs, hd))
        return out


def _total(total: np.ndarray | None, like: np.ndarray, n: int) -> np.ndarray:
    return np.zeros((n, like.shape[-1]), np.float32) if total is None else total
