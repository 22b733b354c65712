"""Turn per-token technique probabilities into character spans and paragraph scores: the arithmetic of the
technique head (``heads.techniques``).

Shared by the runtime and by training/evaluation, so the numbers a model card reports come from the very
decoding users get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unspin.document import Segment, index_at

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


def _expand_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words: a word piece above threshold flags the word it belongs to."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


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


def clip_to_paragraphs(text: str, spans: list[RawSpan], paragraphs: Sequence[Segment]) -> list[RawSpan]:
    """Keep each span inside its paragraph: one word piece can straddle a separator the tokenizer drops
    (a control character between two digits is one piece '00'), and a span must never cross paragraphs."""
    out = []
    for s in spans:
        if not 0 <= s.paragraph < len(paragraphs):
            continue
        par = paragraphs[s.paragraph]
        start, end = max(s.start, par.start), min(s.end, par.end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(RawSpan(s.label, start, end, s.confidence, s.paragraph))
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
    sentences: Sequence[Segment] = (),
    clause_labels: frozenset[int] = frozenset(),
) -> list[RawSpan]:
    """Make spans and paragraph labels agree: drop spans of techniques their paragraph is not labelled
    with, and give each labelled paragraph without a span of that technique its most probable place: the
    phrase around the most probable token, or for clause-level techniques the sentence that holds it."""
    kept = [s for s in spans if s.paragraph >= 0 and labels[s.paragraph, s.label]]
    have = {(s.paragraph, s.label) for s in kept}
    for p, t in zip(*np.nonzero(labels), strict=True):
        if (p, t) in have:
            continue
        idx = np.flatnonzero(tok_par == p)
        if idx.size == 0:
            continue
        peak = int(idx[np.argmax(probs[idx, t])])
        at = index_at(sentences, int(offsets[peak, 0])) if int(t) in clause_labels else None
        if at is not None:
            sentence = sentences[at]
            inside = idx[(offsets[idx, 0] >= sentence.start) & (offsets[idx, 1] <= sentence.end)]
            conf = float(probs[inside, t].mean()) if inside.size else float(probs[peak, t])
            kept.append(RawSpan(int(t), sentence.start, sentence.end, conf, int(p)))
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


def merge_in_sentences(
    spans: list[RawSpan], sentences: Sequence[Segment], clause_labels: frozenset[int]
) -> list[RawSpan]:
    """Join the spans of one clause-level technique inside one sentence into a single span."""
    out: list[RawSpan] = []
    groups: dict[tuple[int, int], list[RawSpan]] = {}
    for s in spans:
        sent = index_at(sentences, s.start) if s.label in clause_labels else None
        if sent is None:
            out.append(s)
        else:
            groups.setdefault((s.label, sent), []).append(s)
    for (label, _), group in groups.items():
        width = sum(g.end - g.start for g in group)
        conf = sum(g.confidence * (g.end - g.start) for g in group) / max(1, width)
        out.append(
            RawSpan(label, min(g.start for g in group), max(g.end for g in group), conf, group[0].paragraph)
        )
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out
