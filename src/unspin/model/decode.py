"""Turn per-token technique probabilities into character spans and paragraph scores.

Shared by the runtime and by training/evaluation, so the numbers a model card reports come from the very
decoding users get.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A gap of this many sub-threshold tokens inside a run does not split a span: probabilities dip on
# function words in the middle of a loaded phrase, and two fragments of one phrase read worse than one.
MAX_GAP = 1


@dataclass(frozen=True)
class RawSpan:
    label: int
    start: int
    end: int
    confidence: float
    paragraph: int  # index of the paragraph of its first token (-1: none)


def sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))
    return out


def _expand_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words: a word piece above threshold flags the word it belongs to."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def token_paragraph_index(offsets: np.ndarray, paragraphs: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each token, the index of the paragraph that contains its start (-1 if none)."""
    idx = np.full(offsets.shape[0], -1, dtype=np.int64)
    if not len(paragraphs) or not offsets.shape[0]:
        return idx
    starts = np.asarray([p[0] for p in paragraphs])
    ends = np.asarray([p[1] for p in paragraphs])
    pos = np.searchsorted(starts, offsets[:, 0], side="right") - 1
    ok = (pos >= 0) & (offsets[:, 0] < ends[np.clip(pos, 0, None)])
    idx[ok] = pos[ok]
    return idx


def _paragraph_runs(tok_par: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(paragraph ids present, token order grouped by paragraph, first position of each group).

    One pass for all paragraphs: a mask per paragraph cost tokens x paragraphs, which never finished on
    100,000 one-word paragraphs (found by the limit tests)."""
    inside = np.flatnonzero(tok_par >= 0)
    order = inside[np.argsort(tok_par[inside], kind="stable")]  # stable: text order within a paragraph
    keys = tok_par[order]
    if not len(keys):
        return keys, order, keys
    firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[firsts], order, firsts


def paragraph_scores(probs: np.ndarray, tok_par: np.ndarray, n_paragraphs: int) -> np.ndarray:
    """Max token probability per paragraph and label -> [n_paragraphs, k]."""
    out = np.zeros((n_paragraphs, probs.shape[1]), dtype=np.float32)
    ids, order, firsts = _paragraph_runs(tok_par)
    if len(ids):
        known = ids < n_paragraphs
        out[ids[known]] = np.maximum.reduceat(probs[order], firsts, axis=0)[known]
    return out


def decode_spans(
    text: str,
    probs: np.ndarray,
    offsets: np.ndarray,
    tok_par: np.ndarray,
    thresholds: np.ndarray,
) -> list[RawSpan]:
    """Runs of tokens at or above each label's threshold, within one paragraph, as word-aligned spans."""
    spans: list[RawSpan] = []
    _n, k = probs.shape
    for label in range(k):
        active = np.flatnonzero(probs[:, label] >= thresholds[label])
        if active.size == 0:
            continue
        run = [int(active[0])]
        for t in active[1:]:
            t = int(t)
            if t - run[-1] <= MAX_GAP + 1 and tok_par[t] == tok_par[run[-1]] and tok_par[t] >= 0:
                run.append(t)
                continue
            spans.append(_make_span(text, probs, offsets, tok_par, label, run))
            run = [t]
        spans.append(_make_span(text, probs, offsets, tok_par, label, run))
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return spans


def _make_span(
    text: str, probs: np.ndarray, offsets: np.ndarray, tok_par: np.ndarray, label: int, run: list[int]
) -> RawSpan:
    first, last = run[0], run[-1]
    start, end = _expand_to_word(text, int(offsets[first, 0]), int(offsets[last, 1]))
    conf = float(probs[first : last + 1, label].mean())
    return RawSpan(label, start, end, conf, int(tok_par[first]))


def clip_to_paragraphs(
    text: str, spans: list[RawSpan], paragraphs: Sequence[tuple[int, int]]
) -> list[RawSpan]:
    """Keep each span inside its paragraph: one word piece can straddle a separator the tokenizer drops
    (a control character between two digits is one piece '00'), and a span must never cross paragraphs."""
    out = []
    for s in spans:
        if not 0 <= s.paragraph < len(paragraphs):
            continue
        lo, hi = paragraphs[s.paragraph]
        start, end = max(s.start, lo), min(s.end, hi)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(RawSpan(s.label, start, end, s.confidence, s.paragraph))
    return out


def paragraph_pool(hidden: np.ndarray, tok_par: np.ndarray, n_paragraphs: int) -> np.ndarray:
    """[mean, max] of token hidden states per paragraph -> [n_paragraphs, 2 * hidden] (zeros if no token)."""
    h = hidden.shape[1]
    out = np.zeros((n_paragraphs, 2 * h), dtype=np.float32)
    ids, order, firsts = _paragraph_runs(tok_par)
    if len(ids):
        rows = hidden[order]
        counts = np.diff(np.r_[firsts, len(order)])
        known = ids < n_paragraphs
        mean = np.add.reduceat(rows, firsts, axis=0) / counts[:, None]
        out[ids[known], :h] = mean[known]
        out[ids[known], h:] = np.maximum.reduceat(rows, firsts, axis=0)[known]
    return out


def combine_paragraph_scores(token_max: np.ndarray, head: np.ndarray | None, mix: str) -> np.ndarray:
    """Paragraph score per technique: from the token head ('tokens'), the paragraph head ('head'), or their mean."""
    if head is None or mix == "tokens":
        return token_max
    if mix == "head":
        return head
    mean: np.ndarray = (token_max + head) / 2
    return mean


def consistent_spans(
    text: str,
    spans: list[RawSpan],
    labels: np.ndarray,
    probs: np.ndarray,
    offsets: np.ndarray,
    tok_par: np.ndarray,
    sentences: Sequence[tuple[int, int]] = (),
    clause_labels: frozenset[int] = frozenset(),
) -> list[RawSpan]:
    """Make spans and paragraph labels agree: drop spans of techniques their paragraph is not labelled
    with, and give each labelled paragraph without a span of that technique its most probable place: the
    phrase around the most probable token, or for clause-level techniques the sentence that holds it."""
    kept = [s for s in spans if s.paragraph >= 0 and labels[s.paragraph, s.label]]
    have = {(s.paragraph, s.label) for s in kept}
    starts = [start for start, _ in sentences]
    for p, t in zip(*np.nonzero(labels), strict=True):
        if (p, t) in have:
            continue
        idx = np.flatnonzero(tok_par == p)
        if idx.size == 0:
            continue
        peak = int(idx[np.argmax(probs[idx, t])])
        sentence = _sentence_at(sentences, starts, int(offsets[peak, 0])) if int(t) in clause_labels else None
        if sentence is not None:
            inside = idx[(offsets[idx, 0] >= sentence[0]) & (offsets[idx, 1] <= sentence[1])]
            conf = float(probs[inside, t].mean()) if inside.size else float(probs[peak, t])
            kept.append(RawSpan(int(t), sentence[0], sentence[1], conf, int(p)))
            continue
        floor = 0.5 * probs[peak, t]
        lo = hi = peak
        while lo - 1 >= idx[0] and probs[lo - 1, t] >= floor:
            lo -= 1
        while hi + 1 <= idx[-1] and probs[hi + 1, t] >= floor:
            hi += 1
        kept.append(_make_span(text, probs, offsets, tok_par, int(t), list(range(lo, hi + 1))))
    kept.sort(key=lambda s: (s.start, s.end, s.label))
    return kept


def _sentence_at(
    sentences: Sequence[tuple[int, int]], starts: Sequence[int], offset: int
) -> tuple[int, int] | None:
    """The sentence holding ``offset`` (sentences sorted by start; ``starts`` their starts), by bisection."""
    i = bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i][0] <= offset < sentences[i][1]:
        return sentences[i]
    return None


def merge_in_sentences(
    spans: list[RawSpan], sentences: Sequence[tuple[int, int]], clause_labels: frozenset[int]
) -> list[RawSpan]:
    """Join the spans of one clause-level technique inside one sentence into a single span."""
    out: list[RawSpan] = []
    groups: dict[tuple[int, int], list[RawSpan]] = {}
    starts = [start for start, _ in sentences]
    for s in spans:
        sent = _sentence_at(sentences, starts, s.start) if s.label in clause_labels else None
        if sent is None:
            out.append(s)
        else:
            groups.setdefault((s.label, sent[0]), []).append(s)
    for (label, _), group in groups.items():
        width = sum(g.end - g.start for g in group)
        conf = sum(g.confidence * (g.end - g.start) for g in group) / max(1, width)
        out.append(
            RawSpan(label, min(g.start for g in group), max(g.end for g in group), conf, group[0].paragraph)
        )
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out
