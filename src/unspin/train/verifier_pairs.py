"""Training and held-out pairs for the match verifier, mined from the bundled EUvsDisinfo cases.

A pair is (article-like sentence, known claim's title) with a relation: ``same`` (the sentence states or
reports the claim), ``opposite`` (it states the negation or calls the claim false: it agrees with the
fact-check), ``different`` (another claim, usually on the same topic). Sources, per case:

- same: the case's summary when it words the claim differently from the title (the whole summary when short,
  else its sentence nearest the title); the other wordings of the claim in its near-duplicate group
  (EUvsDisinfo files each outlet's repetition as a new case) that reword the title directly (cosine ≥
  ``DIRECT_COSINE`` or most words shared: groups chain, and chained members are often only the same
  narrative); a rule-made report or hedge of the title (``restate.restate``).
- opposite: disproof sentences that contradict the title (near it in meaning *and* carrying a negation the
  title lacks, a refutation word or an antonym: ``mined_opposites``); the title negated by one edit; the
  title inside a refutation ("There is no evidence that ...").
- different: the titles of other groups that retrieval puts next to each sentence above (the dense
  neighbours and the TF-IDF neighbours, as the hybrid matcher would show them); the title with another
  country or number.

Split by group, never by case: near-duplicate titles (cosine ≥ ``DUPLICATE_COSINE``, or ≥ 0.75 with most
words shared) form one group, groups are assigned to train/val/test by a seeded shuffle, and a training case
within ``QUARANTINE_COSINE`` of any val/test title is dropped, so no wording of a held-out claim is trained
on. Neighbours closer than ``AMBIGUOUS_COSINE`` to the anchor's title may be the same claim worded anew; they
are kept out of every split rather than labelled ``different`` by guess.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.claims.bundle import BUNDLE_PATH
from unspin.claims.contrast import signals
from unspin.claims.vectors import Embedder
from unspin.document import Document
from unspin.train import restate

LABELS = ("same", "opposite", "different")
SAME, OPPOSITE, DIFFERENT = range(3)
SPLITS = ("train", "val", "test")
SPLIT_SEED = 20240615
SPLIT_FRACTIONS = (0.7, 0.15, 0.15)
DUPLICATE_COSINE = 0.85
DIRECT_COSINE = 0.88  # a group member counts as a rewording of a title only this close to it
QUARANTINE_COSINE = 0.80
AMBIGUOUS_COSINE = 0.80
OPPOSITE_MIN_COSINE = 0.45
DENSE_NEIGHBOURS = 3
LEXICAL_NEIGHBOURS = 1
_URL = re.compile(r"\(?\s*(?:https?://|www\.|bit\.ly/)\S+\)?")


@dataclass(frozen=True)
class Case:
    index: int
    title: str
    summary: str
    disproof: str


@dataclass(frozen=True)
class Pair:
    query: str
    case: int  # the candidate: index of the known claim whose title is compared
    label: int
    rule: str  # how the query was made (see the module docstring)
    anchor: int  # the case the query was made from


def load_cases(path: Path = BUNDLE_PATH) -> list[Case]:
    cases = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            cases.append(
                Case(
                    i, r["title"].strip(), (r.get("summary") or "").strip(), (r.get("disproof") or "").strip()
                )
            )
    return cases


class VectorCache:
    """Sentence vectors by text, kept on disk between runs (embedding ~40k texts takes minutes on 2 cores)."""

    def __init__(self, encoder: Embedder, folder: Path | None) -> None:
        self.encoder = encoder
        safe = re.sub(r"[^\w.@-]+", "_", encoder.name)
        self.path = folder / f"vectors-{safe}.npz" if folder else None
        self.vectors: dict[str, np.ndarray] = {}
        if self.path is not None and self.path.exists():
            with np.load(self.path) as z:
                self.vectors = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))

    def save(self) -> None:
        if self.path is None or not self.vectors:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.vectors)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``; new texts are embedded in one batch and saved (call with many at once)."""
        missing = sorted({t for t in texts if self._key(t) not in self.vectors})
        if missing:
            for start in range(0, len(missing), 2048):
                chunk = missing[start : start + 2048]
                for t, v in zip(chunk, self.encoder.encode(chunk), strict=True):
                    self.vectors[self._key(t)] = v.astype(np.float32)
            if self.path is not None and len(missing) >= 64:  # small top-ups wait for ``save``
                self.save()
        dim = next(iter(self.vectors.values())).shape[0] if self.vectors else 0
        if not texts:
            return np.zeros((0, dim), np.float32)
        return np.stack([self.vectors[self._key(t)] for t in texts]).astype(np.float32)


def _words(text: str) -> frozenset[str]:
    return signals(text).content


def duplicate_groups(titles: Sequence[str], vectors: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """Group id per title: union of pairs with cosine ≥ DUPLICATE_COSINE, or ≥ 0.75 with Jaccard ≥ 0.6."""
    n = len(titles)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_words(t) for t in titles]
    for start in range(0, n, chunk):
        sims = vectors[start : start + chunk] @ vectors.T
        rows, cols = np.nonzero(sims >= 0.75)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if c <= i:
                continue
            close = sims[r, c] >= DUPLICATE_COSINE
            if not close:
                a, b = words[i], words[c]
                close = bool(a and b) and len(a & b) / len(a | b) >= 0.6
            if close:
                parent[find(i)] = find(c)
    return np.array([find(i) for i in range(n)], np.int64)


def assign_splits(groups: np.ndarray, vectors: np.ndarray, seed: int = SPLIT_SEED) -> np.ndarray:
    """Split index per case (0 train, 1 val, 2 test, -1 quarantined): whole groups, seeded; then training
    cases near any held-out title are dropped."""
    ids = sorted(set(groups.tolist()))
    random.Random(seed).shuffle(ids)
    cut1 = round(len(ids) * SPLIT_FRACTIONS[0])
    cut2 = cut1 + round(len(ids) * SPLIT_FRACTIONS[1])
    where = {g: (0 if k < cut1 else 1 if k < cut2 else 2) for k, g in enumerate(ids)}
    split = np.array([where[g] for g in groups.tolist()], np.int64)
    held = np.nonzero(split > 0)[0]
    train = np.nonzero(split == 0)[0]
    for start in range(0, len(train), 2048):
        rows = train[start : start + 2048]
        near = (vectors[rows] @ vectors[held].T).max(axis=1) >= QUARANTINE_COSINE
        split[rows[near]] = -1
    return split


def sentences(text: str) -> list[str]:
    """Sentences of a summary or disproof without the links EUvsDisinfo pastes into them."""
    text = _URL.sub(" ", text).replace("//", "\n")  # links first: "//" also separates EUvsDisinfo's parts
    doc = Document.from_text(text)
    out = [text[s.start : s.end].strip() for s in doc.sentences]
    return [s for s in out if len(s.split()) >= 5 and not s.endswith(":")]


def _same_wording(a: str, b: str, cache: VectorCache) -> bool:
    """Two titles of one group that reword each other directly. Groups chain (A~B, B~C), and a chained
    pair is often only the same narrative ("White Helmets are linked to terrorists" vs "... stage chemical
    attacks"): those are left out rather than labelled same."""
    wa, wb = _words(a), _words(b)
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.6:
        return True
    va, vb = cache.get([a, b])
    return float(va @ vb) >= DIRECT_COSINE


def contradicts(sentence: str, title: str) -> bool:
    """A disproof sentence that says the opposite of the title rather than giving background: a
    negation on one side only, a refutation word, or an antonym pair."""
    from unspin.claims.contrast import pair_contrast

    f = pair_contrast(signals(sentence), signals(title), 0.0)
    negation_mismatch, refutation, antonyms = f[5], f[7], f[10]
    return bool(negation_mismatch or refutation > 0 or antonyms)


def summary_queries(case: Case, cache: VectorCache) -> list[str]:
    """The summary as an article sentence, when it words the claim otherwise than the title."""
    if not case.summary or _words(case.summary) == _words(case.title):
        return []
    parts = sentences(case.summary)
    if not parts:
        return []
    if len(parts) <= 2 and len(case.summary.split()) <= 60:
        whole = " ".join(parts)
        return [whole] if _words(whole) != _words(case.title) else []
    sims = cache.get(parts) @ cache.get([case.title])[0]
    best = int(np.argmax(sims))
    return [parts[best]] if sims[best] >= 0.5 and _words(parts[best]) != _words(case.title) else []


def mined_opposites(case: Case, cache: VectorCache, limit: int = 2) -> list[str]:
    """Disproof sentences near the title in meaning that contradict it (``contradicts``)."""
    if not case.disproof:
        return []
    parts = [p for p in sentences(case.disproof) if len(p.split()) <= 60]
    if not parts:
        return []
    sims = cache.get(parts) @ cache.get([case.title])[0]
    order = np.argsort(-sims)
    out = [parts[i] for i in order if sims[i] >= OPPOSITE_MIN_COSINE and contradicts(parts[i], case.title)]
    return out[:limit]


def anchor_queries(
    members: Sequence[Case], cases: Sequence[Case], groups: np.ndarray, cache: VectorCache, rng: random.Random
) -> list[Pair]:
    """Every query made from each member case, paired with that case's own title (``cases``: all of them,
    indexed by ``Case.index``)."""
    by_group: dict[int, list[int]] = {}
    for c in members:
        by_group.setdefault(int(groups[c.index]), []).append(c.index)
    pairs: list[Pair] = []
    for c in members:
        title = c.title
        for q in summary_queries(c, cache):
            pairs.append(Pair(q, c.index, SAME, "summary", c.index))
        seen = {frozenset(_words(title))}
        siblings = [cases[j].title for j in by_group[int(groups[c.index])] if j != c.index]
        rng.shuffle(siblings)
        for s in siblings:
            w = frozenset(_words(s))
            if w not in seen and len(seen) <= 2 and _same_wording(s, title, cache):
                seen.add(w)
                pairs.append(Pair(s, c.index, SAME, "duplicate-wording", c.index))
        for q in mined_opposites(c, cache):
            pairs.append(Pair(q, c.index, OPPOSITE, "disproof", c.index))
        if not restate.usable(title):
            continue
        q, rule = restate.restate(title, rng)
        pairs.append(Pair(q, c.index, SAME, rule, c.index))
        made = restate.negate(title)
        if made is not None:
            pairs.append(Pair(made[0], c.index, OPPOSITE, made[1], c.index))
        if made is None or rng.random() < 0.5:
            q, rule = restate.refute(title, rng)
            pairs.append(Pair(q, c.index, OPPOSITE, rule, c.index))
        for swap in (restate.swap_country(title, rng), restate.swap_number(title, rng)):
            if swap is not None:
                pairs.append(Pair(swap[0], c.index, DIFFERENT, swap[1], c.index))
    return pairs


def neighbour_pairs(
    anchors: Sequence[Pair],
    cases: Sequence[Case],
    groups: np.ndarray,
    pool: np.ndarray,
    cache: VectorCache,
) -> tuple[list[Pair], int]:
    """For each query, the titles retrieval would put beside its own (other groups, from ``pool``), as
    ``different`` pairs; and how many neighbours were skipped as possibly the same claim."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    titles = [cases[i].title for i in pool]
    title_vecs = cache.get(titles)
    tfidf = TfidfVectorizer(sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w\w+\b").fit(titles)
    title_tfidf = tfidf.transform(titles)
    queries = [p.query for p in anchors]
    q_vecs = cache.get(queries)
    anchor_vecs = cache.get([cases[p.anchor].title for p in anchors])
    q_tfidf = tfidf.transform(queries)
    out: list[Pair] = []
    skipped = 0
    for start in range(0, len(anchors), 1024):
        block = anchors[start : start + 1024]
        dense = q_vecs[start : start + 1024] @ title_vecs.T
        lexical = (q_tfidf[start : start + 1024] @ title_tfidf.T).toarray()
        for k, p in enumerate(block):
            own = groups[p.anchor]
            chosen: list[int] = []
            for scores, want in ((dense[k], DENSE_NEIGHBOURS), (lexical[k], LEXICAL_NEIGHBOURS)):
                got = 0
                for j in np.argsort(-scores)[: want + 40]:
                    cid = int(pool[j])
                    if got == want:
                        break
                    if groups[cid] == own or cid in chosen:
                        continue
                    if float(title_vecs[j] @ anchor_vecs[start + k]) >= AMBIGUOUS_COSINE:
                        skipped += 1
                        continue
                    chosen.append(cid)
                    got += 1
            out.extend(Pair(p.query, cid, DIFFERENT, f"neighbour-of-{p.rule}", p.anchor) for cid in chosen)
    return out, skipped


@dataclass
class PairSet:
    cases: list[Case]
    groups: np.ndarray
    split: np.ndarray
    pairs: dict[str, list[Pair]]
    skipped: dict[str, int]


def build(cache: VectorCache, seed: int = SPLIT_SEED, limit: int | None = None) -> PairSet:
    """All pairs, by split. ``limit`` keeps the first cases only (smoke runs)."""
    cases = load_cases()[:limit] if limit else load_cases()
    title_vecs = cache.get([c.title for c in cases])
    restate.learn_common_words([c.title for c in cases])
    groups = duplicate_groups([c.title for c in cases], title_vecs)
    split = assign_splits(groups, title_vecs, seed)
    # Embed every summary and disproof sentence in one batch (per-case calls would be slow).
    cache.get([p for c in cases for text in (c.summary, c.disproof) if text for p in sentences(text)])
    rng = random.Random(seed)
    pairs: dict[str, list[Pair]] = {}
    skipped: dict[str, int] = {}
    everything = np.nonzero(split >= 0)[0]
    for k, name in enumerate(SPLITS):
        members = [cases[i] for i in np.nonzero(split == k)[0]]
        anchors = anchor_queries(members, cases, groups, cache, rng)
        # Training sees only training titles as neighbours; held-out pairs meet the whole database, as
        # the runtime does (a held-out query's neighbour may be a training title, never its own group).
        pool = np.nonzero(split == 0)[0] if name == "train" else everything
        near, skipped[name] = neighbour_pairs(anchors, cases, groups, pool, cache)
        pairs[name] = anchors + near
    cache.save()
    return PairSet(cases, groups, split, pairs, skipped)
