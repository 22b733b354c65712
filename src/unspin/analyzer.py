"""The pipeline: text -> Document -> one encoder pass over windows -> decoded spans -> Analysis.

``Analyzer`` loads the model once; ``analyze`` is then cheap to call many times (the fast path for the
Python API, the server and batch runs).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np

from unspin import __version__
from unspin.analysis import (
    Analysis,
    Claim,
    ClaimMatch,
    KnownClaimsInfo,
    ModelInfo,
    SourceInfo,
    TechniqueSpan,
    TextSpan,
    paragraph_records,
    technique_summaries,
)
from unspin.claims.known import KnownClaims
from unspin.document import Document
from unspin.errors import BadInput
from unspin.heads import ArticleHeads, Findings
from unspin.model import decode
from unspin.model.heads import Decoded, LinearHead, TechniqueDecoder
from unspin.model.runtime import Encoder, default_model_dir, load_config
from unspin.model.windows import load_tokenizer, make_windows, merge_windows, tokenize

# Paragraph scores below this are noise and would only bloat the JSON.
SCORE_FLOOR = 0.05
# Windows per encoder call: bounds memory on huge inputs while keeping the encoder busy.
WINDOW_BATCH = 16


class Analyzer:
    """Load the technique model once; analyze texts with it."""

    def __init__(
        self,
        model_dir: Path | str | None = None,
        precision: str | None = None,
        threads: int | None = None,
        known_claims: KnownClaims | None = None,
    ):
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.config = load_config(self.model_dir)
        self.tokenizer = load_tokenizer(str(self.model_dir / "tokenizer.json"))
        self.encoder = Encoder(self.model_dir, precision=precision, threads=threads)
        head_file = self.model_dir / "paragraph_head.npz"
        head = LinearHead.load(head_file) if head_file.exists() else None
        self.decoder = TechniqueDecoder(
            self.config.thresholds,
            self.config.span_thresholds,
            self.config.paragraph_mix if head else "tokens",
            head,
            frozenset(self.config.labels.index(t) for t in self.config.clause_techniques),
        )
        # Narratives, entities, roles, genre and frames: probes on the same hidden states.
        self.heads = ArticleHeads.load(self.model_dir)
        self.needs_hidden = self.decoder.mix != "tokens" or bool(self.heads)
        # Spotted claims are matched against this database (None: spotted, not matched).
        self.known_claims = known_claims
        self._threadpools: Any = None
        self.model_info = ModelInfo(
            name=self.config.name,
            version=self.config.version,
            engine=self.encoder.engine,
            precision=self.encoder.precision,
        )

    def predict(
        self, text: str, with_hidden: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """One encoder pass: (token offsets [n, 2], technique probabilities [n, labels], hidden states
        [n, hidden] when a head outside the graph needs them, else None)."""
        tokens = tokenize(self.tokenizer, text)
        k = len(self.config.labels)
        keep_hidden = with_hidden or self.needs_hidden
        if not len(tokens):
            return tokens.offsets, np.zeros((0, k), dtype=np.float32), None
        windows = make_windows(tokens, self.config.max_len, self.config.stride)
        logits, hiddens = [], []
        for b in range(0, len(windows.starts), WINDOW_BATCH):
            out, hidden = self.encoder.run(
                windows.input_ids[b : b + WINDOW_BATCH], windows.attention_mask[b : b + WINDOW_BATCH]
            )
            logits.append(out)
            if hidden is not None and keep_hidden:
                hiddens.append(hidden)
        probs = decode.sigmoid(merge_windows(windows, np.concatenate(logits), len(tokens)))
        merged = merge_windows(windows, np.concatenate(hiddens), len(tokens)) if hiddens else None
        return tokens.offsets, probs, merged

    def analyze(self, text: str, title: str | None = None, source: SourceInfo | None = None) -> Analysis:
        if not text.strip():
            raise BadInput("The text is empty: there is nothing to analyze.")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        offsets, probs, hidden = self.predict(text)
        t1 = time.perf_counter()
        doc = Document.from_text(text, title, token_offsets=offsets)
        decoded = self.decoder.decode(
            text,
            offsets,
            probs,
            hidden,
            [(p.start, p.end) for p in doc.paragraphs],
            [(s.start, s.end) for s in doc.sentences],
        )
        t2 = time.perf_counter()
        findings = Findings()
        if self.heads and hidden is not None:
            # One BLAS thread: the heads' small matrix products gain nothing from more, and OpenBLAS threads
            # left spinning afterwards steal the cores from the next encoder pass (measured: the encoder
            # ran 2x slower after the heads with the default thread pool).
            with self._blas_limit():
                findings = self.heads.run(doc, offsets, hidden)
        t3 = time.perf_counter()
        claims, info = self._claims(doc, findings)
        t4 = time.perf_counter()
        result = self._build(doc, decoded, findings, source or SourceInfo(kind="text"))
        result = result.model_copy(update={"claims": claims, "known_claims": info})
        timings["encode_ms"] = round((t1 - t0) * 1000, 2)
        timings["decode_ms"] = round((t2 - t1) * 1000, 2)
        timings["heads_ms"] = round((t3 - t2) * 1000, 2)
        timings["claims_ms"] = round((t4 - t3) * 1000, 2)
        timings["total_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return result.model_copy(update={"timings_ms": timings})

    def _claims(self, doc: Document, findings: Findings) -> tuple[list[Claim], KnownClaimsInfo | None]:
        spotted = findings.claims
        texts = [doc.text[c.start : c.end] for c in spotted]
        matches = self.known_claims.match(texts) if self.known_claims is not None else [[] for _ in texts]
        starts = [s.start for s in doc.sentences]
        claims = [
            Claim(
                start=c.start,
                end=c.end,
                text=t,
                sentence=max(0, bisect_right(starts, c.start) - 1),
                score=round(min(1.0, max(0.0, c.score)), 4),
                matches=[
                    ClaimMatch(
                        id=int(m.claim.id or 0),
                        score=round(m.score, 4),
                        title=m.claim.title,
                        summary=m.claim.summary,
                        verdict=m.claim.verdict,
                        disproof=m.claim.disproof,
                        reviewer=m.claim.reviewer,
                        date=m.claim.date,
                        url=m.claim.url,
                    )
                    for m in found
                ],
            )
            for c, t, found in zip(spotted, texts, matches, strict=True)
        ]
        info = self.known_claims.info() if self.known_claims is not None else None
        return claims, info

    def _blas_limit(self) -> AbstractContextManager[object]:
        if self._threadpools is None:
            from threadpoolctl import ThreadpoolController

            self._threadpools = ThreadpoolController()
        return self._threadpools.limit(limits=1, user_api="blas")  # type: ignore[no-any-return]

    def _build(self, doc: Document, decoded: Decoded, findings: Findings, source: SourceInfo) -> Analysis:
        labels = self.config.labels
        raw, scores = decoded.spans, decoded.scores
        text = doc.text
        spans: list[TechniqueSpan] = []
        for r in raw:  # decoded inside doc.paragraphs, so r.paragraph indexes them
            spans.append(
                TechniqueSpan(
                    start=r.start,
                    end=r.end,
                    text=text[r.start : r.end],
                    technique=labels[r.label],
                    confidence=round(min(1.0, max(0.0, r.confidence)), 4),
                    paragraph=r.paragraph,
                )
            )
        kept_scores = {
            i: {labels[j]: round(float(v), 4) for j, v in enumerate(row) if v >= SCORE_FLOOR}
            for i, row in enumerate(scores)
        }
        return Analysis(
            unspin_version=__version__,
            model=self.model_info,
            source=source,
            title=doc.title,
            text=text,
            paragraphs=paragraph_records(doc, spans, kept_scores, labels),
            sentences=[TextSpan(start=s.start, end=s.end, text=doc.span_text(s)) for s in doc.sentences],
            spans=spans,
            techniques=technique_summaries(spans, labels),
            narratives=findings.narratives,
            entities=findings.entities,
            genre=findings.genre,
            frames=findings.frames,
        )
