"""Auxiliary document labels for training the shared encoder: narratives (SemEval-2025 subtask 2),
genre and frames (SemEval-2023 subtasks 1 and 2).

The technique windows keep their token labels and gain their article's genre and frames; the SemEval-2025
training documents are added as windows with no token labels (ignored by the technique losses) and their
article's narratives. Only training articles of both held-out splits are used.
"""

from __future__ import annotations

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.data import semeval2025 as s25
from unspin.document import Document
from unspin.encoder.windows import load_tokenizer, make_windows, tokenize
from unspin.taxonomy import TECHNIQUES
from unspin.taxonomy.roles import FINE_ROLE_ORDER, MAIN_ROLES
from unspin.train.techniques import MAX_LEN, TRAIN_STRIDE, TrainSet


def label_space(docs: list[s25.Doc]) -> list[str]:
    narr = sorted({n for d in docs for n in d.narratives} - {s25.OTHER})
    sub = sorted({n for d in docs for n in d.subnarratives} - {s25.OTHER})
    return (
        [f"narrative:{n}" for n in narr]
        + [f"subnarrative:{n}" for n in sub]
        + [f"genre:{g}" for g in sd.GENRES]
        + [f"frame:{f}" for f in sd.FRAMES]
    )


def extend(
    data: TrainSet, train_arts: list[sd.Article], tokenizer_path: str, smoke: bool = False
) -> tuple[TrainSet, list[str]]:
    docs, _ = s25.split(s25.load_docs())
    if smoke:
        docs = [d for d in docs if d.mentions][:2] + [d for d in docs if not d.mentions][:1]
    labels = label_space(docs)
    index = {name: i for i, name in enumerate(labels)}
    groups = {
        g: np.array([n.startswith(g + ":") for n in labels], np.float32)
        for g in ("narrative", "subnarrative", "genre", "frame")
    }
    genres, frames = sd.load_genres(), sd.load_frames()

    def vector(names: list[str]) -> np.ndarray:
        y = np.zeros(len(labels), np.float32)
        for n in names:
            if n in index:
                y[index[n]] = 1.0
        return y

    doc_y, doc_mask = [], []
    for owner in data.owners:
        names, mask = [], np.zeros(len(labels), np.float32)
        if owner in genres:
            names.append(f"genre:{genres[owner]}")
            mask += groups["genre"]
        if owner in frames:
            names += [f"frame:{f}" for f in frames[owner]]
            mask += groups["frame"]
        doc_y.append(vector(names))
        doc_mask.append(mask)

    tok = load_tokenizer(tokenizer_path)
    ids, masks, tok_labels, owners = [], [], [], []
    mentions: list[list[tuple[int, int, int, int, int, np.ndarray]]] = [[] for _ in data.owners]
    for d in docs:
        tokens = tokenize(tok, d.text)
        if not len(tokens):
            continue
        win = make_windows(tokens, MAX_LEN, TRAIN_STRIDE, pad_to=MAX_LEN)
        y = vector([f"narrative:{n}" for n in d.narratives] + [f"subnarrative:{n}" for n in d.subnarratives])
        roles = _mention_tokens(d, tokens.offsets)
        for i, (ws, wl) in enumerate(zip(win.starts, win.lengths, strict=True)):
            # Mentions wholly inside this window, in window positions (+1 for [CLS]).
            mentions.append(
                [
                    (s - ws + 1, e - ws + 1, max(a, ws) - ws + 1, min(b, ws + wl) - ws + 1, main, fine)
                    for s, e, a, b, main, fine in roles
                    if s >= ws and e <= ws + wl
                ]
            )
            ids.append(win.input_ids[i])
            masks.append(win.attention_mask[i])
            tok_labels.append(np.full((MAX_LEN, len(TECHNIQUES)), -1.0, np.float32))
            owners.append(d.id)
            doc_y.append(y)
            doc_mask.append(groups["narrative"] + groups["subnarrative"])
    out = TrainSet(
        np.concatenate([data.ids, np.stack(ids)]),
        np.concatenate([data.masks, np.stack(masks)]),
        np.concatenate([data.labels, np.stack(tok_labels)]),
        data.pieces + [[] for _ in ids],
        data.owners + owners,
        np.stack(doc_y),
        np.stack(doc_mask),
        mentions,
    )
    return out, labels


def _mention_tokens(d: s25.Doc, offsets: np.ndarray) -> list[tuple[int, int, int, int, int, np.ndarray]]:
    """Gold mentions as token ranges: (first, end, sentence first, sentence end, main role, fine roles)."""
    doc = Document.from_text(d.text)
    out = []
    for m in d.mentions:
        tok = np.flatnonzero((offsets[:, 0] < m.end) & (offsets[:, 1] > m.start))
        i = doc.segment_at(m.start, "sentence", nearest=True)
        s0, s1 = (doc.sentences[i].start, doc.sentences[i].end) if i is not None else (0, len(d.text))
        sent = np.flatnonzero((offsets[:, 0] < s1) & (offsets[:, 1] > s0))
        if not len(tok) or not len(sent):
            continue
        fine = np.array([r in m.fine_roles for r in FINE_ROLE_ORDER], np.float32)
        out.append(
            (
                int(tok[0]),
                int(tok[-1]) + 1,
                int(sent[0]),
                int(sent[-1]) + 1,
                MAIN_ROLES.index(m.main_role),
                fine,
            )
        )
    return out
