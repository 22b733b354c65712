"""Out-of-fold predictions on disk, and their replay through the runtime's decoder.

For every article a fold's model never saw, after each epoch: token offsets, token probabilities (float16)
and the paragraph head's logits per paragraph (``sd.iter_paragraphs``, computed exactly as the runtime
does: hidden states merged over windows, [mean, max]-pooled per paragraph, the linear head). That is all
the decoder reads, so paragraph mixes (tokens | head | mean) and thresholds can be chosen afterwards
without the model.

Replay: ``score``/``tune_decoder`` take ``(offsets, probs, hidden)`` and a paragraph ``Linear`` over pooled
hidden states. ``prediction`` hands them, as "hidden states", each token's paragraph logits (zeros outside
paragraphs) and ``REPLAY_HEAD`` computes 0.5 * (mean + max) of them: the stored logits, bit for bit the
scores the real head gave, so every decision goes through the unchanged runtime decoder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.document import Document, Segment
from unspin.encoder.encoded import Encoded, segment_index
from unspin.heads.base import Linear
from unspin.taxonomy import TECHNIQUES

K = len(TECHNIQUES)
REPLAY_HEAD = Linear(
    TECHNIQUES, np.vstack([np.eye(K), np.eye(K)]).astype(np.float32) * 0.5, np.zeros(K, np.float32)
)


@dataclass(frozen=True)
class Record:
    offsets: np.ndarray  # int [n, 2]
    probs: np.ndarray  # float [n, K]
    head_logits: np.ndarray  # float [paragraphs, K]


def paragraphs(art: sd.Article) -> list[Segment]:
    return [Segment(s, e) for _, s, e in sd.iter_paragraphs(art)]


Predict = Callable[[sd.Article], tuple[np.ndarray, ...]]


def record(
    art: sd.Article, offsets: np.ndarray, probs: np.ndarray, hidden: np.ndarray, head: Linear
) -> Record:
    """What the decoder needs of one article: the paragraph head's logits pooled as at run time."""
    doc = Document.from_paragraphs(art.text, paragraphs(art))
    logits = Encoded(doc, offsets, probs, hidden).pool(doc.paragraphs) @ head.weight + head.bias
    return Record(offsets, probs, logits.astype(np.float32))


def dump(predict: Predict, head: Linear, articles: list[sd.Article], path: Path) -> None:
    """Predict ``articles`` and write them to ``path`` (.npz), atomically."""
    records = {}
    for art in articles:
        offsets, probs, hidden = predict(art)
        records[art.key] = record(art, offsets, probs, hidden, head)
    save(records, path)


def save(records: dict[str, Record], path: Path) -> None:
    keys = list(records)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        keys=np.asarray(keys),
        n_tokens=np.asarray([len(records[k].offsets) for k in keys], dtype=np.int64),
        n_paragraphs=np.asarray([len(records[k].head_logits) for k in keys], dtype=np.int64),
        offsets=np.concatenate([records[k].offsets for k in keys]).astype(np.int32).reshape(-1, 2),
        probs=np.concatenate([records[k].probs for k in keys]).astype(np.float16).reshape(-1, K),
        head_logits=np.concatenate([records[k].head_logits for k in keys]).astype(np.float32).reshape(-1, K),
    )
    os.replace(tmp, path)


def load(path: Path) -> dict[str, Record]:
    with np.load(path) as z:
        keys, nt, npar = list(z["keys"]), z["n_tokens"], z["n_paragraphs"]
        offsets, probs, head = z["offsets"].astype(np.int64), z["probs"].astype(np.float32), z["head_logits"]
    tok_at = np.r_[0, np.cumsum(nt)]
    par_at = np.r_[0, np.cumsum(npar)]
    return {
        str(k): Record(
            offsets[tok_at[i] : tok_at[i + 1]],
            probs[tok_at[i] : tok_at[i + 1]],
            head[par_at[i] : par_at[i + 1]],
        )
        for i, k in enumerate(keys)
    }


def prediction(art: sd.Article, rec: Record) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offsets, probs, pseudo hidden states) for ``score``/``tune_decoder`` with ``REPLAY_HEAD``."""
    tok_par = segment_index(rec.offsets, paragraphs(art))
    hidden = np.zeros((len(rec.offsets), K), np.float32)
    inside = tok_par >= 0
    hidden[inside] = rec.head_logits[tok_par[inside]]
    return rec.offsets, rec.probs, hidden
