"""The pipeline: text -> Document -> one encoder pass over windows -> decoded spans -> Analysis.

``Analyzer`` loads the model once; ``analyze`` is then cheap to call many times (the fast path for the
Python API, the server and batch runs).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np

from unspin import __version__
from unspin.analysis import (
    Analysis,
    ModelInfo,
    Paragraph,
    SourceInfo,
    TechniqueSpan,
    TechniqueSummary,
    TextSpan,
)
from unspin.document import Document, Segment
from unspin.errors import BadInput
from unspin.model import decode
from unspin.model.runtime import Encoder, default_model_dir, load_config
from unspin.model.windows import load_tokenizer, make_windows, merge_windows, tokenize
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, pretty

# Paragraph scores below this are noise and would only bloat the JSON.
SCORE_FLOOR = 0.05
# Windows per encoder call: bounds memory on huge inputs while keeping the encoder busy.
WINDOW_BATCH = 16


class Analyzer:
    """Load the technique model once; analyze texts with it."""

    def __init__(self, model_dir: Path | str | None = None, precision: str | None = None, threads: int | None = None):
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.config = load_config(self.model_dir)
        self.tokenizer = load_tokenizer(str(self.model_dir / "tokenizer.json"))
        self.encoder = Encoder(self.model_dir, precision=precision, threads=threads)
        self.model_info = ModelInfo(
            name=self.config.name,
            version=self.config.version,
            engine=self.encoder.engine,
            precision=self.encoder.precision,
        )

    def token_probs(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Encoder pass: (token offsets [n, 2], technique probabilities [n, labels])."""
        tokens = tokenize(self.tokenizer, text)
        k = len(self.config.labels)
        if not len(tokens):
            return tokens.offsets, np.zeros((0, k), dtype=np.float32)
        windows = make_windows(tokens, self.config.max_len, self.config.stride)
        logits = np.concatenate(
            [
                self.encoder(windows.input_ids[b : b + WINDOW_BATCH], windows.attention_mask[b : b + WINDOW_BATCH])
                for b in range(0, len(windows.starts), WINDOW_BATCH)
            ]
        )
        return tokens.offsets, decode.sigmoid(merge_windows(windows, logits, len(tokens)))

    def analyze(self, text: str, title: str | None = None, source: SourceInfo | None = None) -> Analysis:
        if not text.strip():
            raise BadInput("The text is empty: there is nothing to analyze.")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        offsets, probs = self.token_probs(text)
        t1 = time.perf_counter()
        doc = Document.from_text(text, title, tokens=[Segment(int(s), int(e)) for s, e in offsets])
        tok_par = decode.token_paragraph_index(offsets, [(p.start, p.end) for p in doc.paragraphs])
        raw = decode.decode_spans(text, probs, offsets, tok_par, self.config.thresholds)
        scores = decode.paragraph_scores(probs, tok_par, len(doc.paragraphs))
        result = self._build(doc, raw, scores, source or SourceInfo(kind="text"))
        t2 = time.perf_counter()
        timings["encode_ms"] = round((t1 - t0) * 1000, 2)
        timings["decode_ms"] = round((t2 - t1) * 1000, 2)
        timings["total_ms"] = round((t2 - t0) * 1000, 2)
        return result.model_copy(update={"timings_ms": timings})

    def _build(self, doc: Document, raw: list[decode.RawSpan], scores: np.ndarray, source: SourceInfo) -> Analysis:
        labels = self.config.labels
        text = doc.text
        spans: list[TechniqueSpan] = []
        for r in raw:
            par = doc.paragraph_of(r.start)
            if par is None:  # a token outside every paragraph (cannot happen for non-blank text); skip it
                continue
            spans.append(
                TechniqueSpan(
                    start=r.start,
                    end=r.end,
                    text=text[r.start : r.end],
                    technique=labels[r.label],
                    confidence=round(min(1.0, max(0.0, r.confidence)), 4),
                    paragraph=par,
                )
            )
        per_par: dict[int, set[str]] = {}
        for s in spans:
            per_par.setdefault(s.paragraph, set()).add(s.technique)
        paragraphs = [
            Paragraph(
                index=i,
                start=p.start,
                end=p.end,
                text=doc.span_text(p),
                techniques=sorted(per_par.get(i, set()), key=labels.index),
                scores={labels[j]: round(float(v), 4) for j, v in enumerate(scores[i]) if v >= SCORE_FLOOR},
            )
            for i, p in enumerate(doc.paragraphs)
        ]
        counts = Counter(s.technique for s in spans)
        summaries = [
            TechniqueSummary(
                technique=t,
                name=pretty(t),
                definition=TECHNIQUE_DEFINITIONS.get(t, ""),
                count=n,
                paragraphs=len({s.paragraph for s in spans if s.technique == t}),
                max_confidence=max(s.confidence for s in spans if s.technique == t),
            )
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], labels.index(kv[0])))
        ]
        return Analysis(
            unspin_version=__version__,
            model=self.model_info,
            source=source,
            title=doc.title,
            text=text,
            paragraphs=paragraphs,
            sentences=[TextSpan(start=s.start, end=s.end, text=doc.span_text(s)) for s in doc.sentences],
            spans=spans,
            techniques=summaries,
        )
