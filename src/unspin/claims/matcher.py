"""Match an article's spotted claims against the known-claims database.

Each sentence is ranked by BM25 and by meaning (the similarity model's cosine) and the two rankings are
fused (``search.fuse``, the weights ``unspin evaluate claims`` tuned); a fused candidate is considered only
if its cosine similarity clears ``MIN_SIMILARITY``, the floor picked on the benchmark's tuning half, so an
empty list means "nothing like it is known" rather than "here are the least bad ten". Retrieval finds claims
on the sentence's topic, not the claim itself: with a ``Verifier`` (the analysis always has one), every
candidate of the article is then verified in one batch and only those it decides are the *same* claim are
returned — never a claim's opposite, never another claim on the same topic. All sentences of an article are
embedded in one batch (or the caller passes their vectors).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import numpy as np

from unspin.claims.records import KnownClaim, count, get_many
from unspin.claims.search import HYBRID_WEIGHTS, fuse, rank_bm25
from unspin.claims.vectors import Embedder, embed_missing, load_index, vectors_of
from unspin.claims.verify import SAME, Verifier, pair_features

# `unspin evaluate claims` picks it: the lowest floor that at most 5% of unrelated check-worthy claims
# (CheckThat! dev sentences, US debates) clear against the bundled EUvsDisinfo cases.
MIN_SIMILARITY = 0.6
DEPTH = 50  # candidates per ranker before fusion
LIMIT = 3  # matches reported per claim
# Per sentence: BM25 over a large database can take far longer than the dense search; past this budget
# the sentence is matched by meaning alone (see search.rank_bm25).
BM25_BUDGET_MS = 10.0
# Where a news sentence joins claims: "X, which Y", "X; Y", "X: Y", "X — Y", "X, but Y". A sentence that makes
# a known claim in one of its clauses reads as a different claim whole (the verifier compares claims, and an
# extra clause is an extra claim), so its clauses are verified too.
_CLAUSE_BREAK = re.compile(r",\s+(?:which|who|whereas|while|but|and|as|because)\s+|;\s+|:\s+|\s+[—–]\s+")
MIN_CLAUSE_WORDS = 4


@dataclass(frozen=True)
class Match:
    claim: KnownClaim
    score: float  # cosine similarity, clipped at 0
    same: float | None = None  # the verifier's p(same claim); None when unverified (search)


def _wording(title: str) -> str:
    """A claim's wording for spotting repeats: case, spacing and punctuation folded; the first 40
    characters, because exports cut long titles short ("... tries to enlarge towards Russian…")."""
    return re.sub(r"\W+", " ", title.casefold()).strip()[:40]


class ClaimMatcher:
    def __init__(
        self,
        conn: sqlite3.Connection,
        encoder: Embedder,
        min_score: float = MIN_SIMILARITY,
        limit: int = LIMIT,
        verifier: Verifier | None = None,
    ) -> None:
        self.conn, self.encoder, self.min_score, self.limit = conn, encoder, min_score, limit
        if verifier is not None and not verifier.accepts(encoder.name):
            raise ValueError(f"the verifier reads {verifier.embedder} vectors, not {encoder.name}")
        self.verifier = verifier
        # Claims imported since the last search get their vectors now (once: ~2 ms per claim).
        embed_missing(conn, encoder)
        self._size: tuple[tuple[int, int], int] | None = None

    @property
    def size(self) -> int:
        """Known claims in the database, recounted only after a write (a count costs ~0.1 s at 1M)."""
        stamp = (int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.conn.total_changes)
        if self._size is None or self._size[0] != stamp:
            self._size = (stamp, count(self.conn))
        return self._size[1]

    def match(self, sentences: list[str], queries: np.ndarray | None = None) -> list[list[Match]]:
        """Known claims each sentence makes (``queries``: the sentences' vectors, if already embedded)."""
        if not sentences:
            return []
        if not self.size:  # an empty database: nothing to embed the sentences for
            return [[] for _ in sentences]
        index = load_index(self.conn, self.encoder.name)
        if queries is None:
            queries = self.encoder.encode(sentences)
        ranked: list[list[tuple[int, float]]] = []
        dense = index.top_many(queries, DEPTH)
        stored: dict[int, np.ndarray] = {}
        for text, q, near in zip(sentences, queries, dense, strict=True):
            words = rank_bm25(self.conn, text, DEPTH, budget_ms=BM25_BUDGET_MS)
            fused = fuse([words, near], DEPTH, weights=HYBRID_WEIGHTS)
            vectors = vectors_of(self.conn, self.encoder.name, [cid for cid, _ in fused])
            stored.update(vectors)
            keep = []
            for cid, _ in fused:
                if cid in vectors and (sim := float(vectors[cid] @ q)) >= self.min_score:
                    keep.append((cid, sim))
                if len(keep) == 2 * self.limit:  # room for the repeats dropped below
                    break
            ranked.append(keep)
        claims = get_many(self.conn, sorted({cid for r in ranked for cid, _ in r}))
        same = self._verify(sentences, queries, ranked, claims, stored)
        out = []
        for i, r in enumerate(ranked):
            # Shown most similar first, one per wording (EUvsDisinfo repeats a claim as a new case each time
            # an outlet does), deduplicated after verifying so a repeat can stand in for a rejected wording.
            seen: set[str] = set()
            found = []
            for cid, sim in sorted(r, key=lambda x: -x[1]):
                title = _wording(claims[cid].title) if cid in claims else ""
                verdict = same.get((i, cid)) if same is not None else None
                if same is not None and verdict is None:
                    continue  # verified as another claim or its opposite: never shown as this one
                if title and title not in seen:
                    seen.add(title)
                    found.append(Match(claims[cid], max(0.0, min(1.0, sim)), verdict))
            out.append(found[: self.limit])
        return out

    def _verify(
        self,
        sentences: list[str],
        queries: np.ndarray,
        ranked: list[list[tuple[int, float]]],
        claims: dict[int, KnownClaim],
        stored: dict[int, np.ndarray],
    ) -> dict[tuple[int, int], float] | None:
        """(sentence, claim) -> p(same) for the pairs the verifier decides are the same claim; None when
        there is no verifier. One batch for the whole article, then one for the clauses of the sentences
        not yet verified — never for a pair whose whole sentence negates or refutes the claim (the verifier's
        contrast rule, read on the whole sentence, so a clause cannot drop the "not" of another)."""
        verifier = self.verifier
        if verifier is None:
            return None
        pairs = [(i, cid) for i, r in enumerate(ranked) for cid, _ in r if cid in claims]
        if not pairs:
            return {}
        titles = [claims[cid].title for _, cid in pairs]
        cand = np.stack([stored[cid] for _, cid in pairs])
        features = pair_features(
            queries[[i for i, _ in pairs]], [sentences[i] for i, _ in pairs], cand, titles
        )
        p = verifier.probabilities(features)
        decided = verifier.decide(p)
        out = {pair: float(p[k, SAME]) for k, pair in enumerate(pairs) if decided[k] == SAME}
        contrasted = verifier.contrasted(features)
        open_pairs = [k for k, pair in enumerate(pairs) if pair not in out and not contrasted[k]]
        pieces = {i: clauses(sentences[i]) for i in {pairs[k][0] for k in open_pairs}}
        rows = [(k, piece) for k in open_pairs for piece in pieces[pairs[k][0]]]
        if rows:
            texts = sorted({piece for _, piece in rows})
            vectors = dict(zip(texts, self.encoder.encode(texts), strict=True))
            cp = verifier.relations(
                np.stack([vectors[piece] for _, piece in rows]),
                [piece for _, piece in rows],
                cand[[k for k, _ in rows]],
                [titles[k] for k, _ in rows],
            )
            for (k, _), row, d in zip(rows, cp, verifier.decide(cp), strict=True):
                if d == SAME:
                    out[pairs[k]] = max(out.get(pairs[k], 0.0), float(row[SAME]))
        return out


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses that could state a claim of their own (at least a few words each); none for
    a sentence of one clause."""
    parts = [p.strip(" ,.;:") for p in _CLAUSE_BREAK.split(sentence)]
    parts = [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []
