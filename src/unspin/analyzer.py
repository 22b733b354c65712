"""The analysis, top to bottom: text → Document → one encoder pass (``Encoded``) → every head → the known
claims stage → one ``Analysis``, assembled here and nowhere else.

``Analyzer`` loads the model once; ``analyze`` is then cheap to call many times (the Python API, the server
and batch runs). ``analyze_many`` is the same pipeline with the encoder's windows packed across texts;
``analyze`` is its one-text case.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from unspin import caveats
from unspin.analysis import Analysis, ModelInfo, SourceInfo, TextSpan
from unspin.claims.known import KnownClaims
from unspin.claims.stage import ClaimsStage
from unspin.document import Document
from unspin.encoder.config import default_model_dir, load_config
from unspin.encoder.encoded import Encoded
from unspin.encoder.text import TextEncoder
from unspin.errors import BadInput
from unspin.heads.base import Head
from unspin.heads.checkworthy import CheckworthyHead
from unspin.heads.registry import load_heads
from unspin.heads.techniques import TechniqueHead
from unspin.language import LanguageGuess, detect
from unspin.options import RunOptions
from unspin.version import __version__

Item = tuple[str, str | None, SourceInfo | None]  # text, title, source


class Analyzer:
    """Load the model once; analyze texts with it."""

    def __init__(
        self,
        model_dir: Path | str | None = None,
        options: RunOptions | None = None,
        known_claims: KnownClaims | None = None,
    ):
        self.options = options or RunOptions()
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.config = load_config(self.model_dir)
        self.heads: dict[str, Head] = load_heads(self.model_dir)
        self.techniques: TechniqueHead = self.heads[TechniqueHead.name]  # type: ignore[assignment]
        self.encoder = TextEncoder(self.model_dir, self.config, self.options)
        # Hidden states are needed by every head but a technique head that scores paragraphs from tokens.
        self.needs_hidden = self.techniques.mix != "tokens" or len(self.heads) > 1
        # Spotted claims are ranked, cut and matched against this database (None: not matched).
        self.known_claims = known_claims
        spotter = self.heads.get(CheckworthyHead.name)
        threshold = spotter.threshold if isinstance(spotter, CheckworthyHead) else 0.5
        self.claims = ClaimsStage(self.model_dir, self.options, known_claims, threshold)
        self._threadpools: Any = None
        self.model_info = ModelInfo(
            name=self.config.name,
            version=self.config.version,
            engine=self.encoder.graph.engine,
            precision=self.encoder.graph.precision,
            languages=list(self.config.languages),
            undetectable=self.techniques.undetectable,
        )

    def encode(self, text: str, title: str | None = None) -> Encoded:
        """The document and its one encoder pass (what the exporters and evaluations read)."""
        return self.encoder.encode(Document.from_text(text, title, detect(text).code), keep_hidden=True)

    def analyze(self, text: str, title: str | None = None, source: SourceInfo | None = None) -> Analysis:
        result = self.analyze_many([(text, title, source)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def analyze_many(self, items: Sequence[Item]) -> list[Analysis | Exception]:
        """``analyze`` for each item, the encoder run on batches shared across items. A failing item gives
        its exception in its place, so one bad text does not sink its neighbours."""
        out: list[Analysis | Exception | None] = [None] * len(items)
        docs: list[tuple[int, Document, LanguageGuess]] = []
        for i, (text, title, _) in enumerate(items):
            if not text.strip():
                out[i] = BadInput("The text is empty: there is nothing to analyze.")
            else:
                language = detect(text)  # first: the sentence splitter depends on it
                docs.append((i, Document.from_text(text, title, language.code), language))
        t0 = time.perf_counter()
        encoded = self.encoder.encode_many([d for _, d, _ in docs], keep_hidden=self.needs_hidden)
        encode_ms = (time.perf_counter() - t0) * 1000 / max(1, len(docs))
        for (i, _, language), enc in zip(docs, encoded, strict=True):
            try:
                out[i] = self._analyze(enc, items[i][2] or SourceInfo(kind="text"), encode_ms, language)
            except Exception as err:  # one text's failure is its own: the batch reports it as a reject
                out[i] = err
        return [r for r in out if r is not None]

    def _analyze(
        self, enc: Encoded, source: SourceInfo, encode_ms: float, language: LanguageGuess
    ) -> Analysis:
        timings = {"encode_ms": round(encode_ms, 2)}
        t0 = time.perf_counter()
        doc = enc.doc
        words = len(doc.text.split())
        warnings = caveats.language_warnings(language, self.config.languages) + caveats.short_text_warning(
            words
        )
        fields: dict[str, Any] = {}
        # One BLAS thread: the heads' small matrix products gain nothing from more, and OpenBLAS threads
        # left spinning afterwards steal the cores from the next encoder pass (measured: the encoder ran
        # 2x slower after the heads with the default thread pool).
        with self._blas_limit():
            for head in self.heads.values():
                if getattr(head, "needs_article", False) and words < caveats.SHORT_TEXT_WORDS:
                    continue  # no genre, frame or narrative in a few words: the warning says so
                fields.update(_written(head, head(enc)))
        t1 = time.perf_counter()
        timings["heads_ms"] = round((t1 - t0) * 1000, 2)
        claims, info = self.claims(fields.get("claims", []))
        warnings += caveats.claims_warnings(info, len(claims))
        timings["claims_ms"] = round((time.perf_counter() - t1) * 1000, 2)
        timings["total_ms"] = round(encode_ms + (time.perf_counter() - t0) * 1000, 2)
        return Analysis(
            unspin_version=__version__,
            model=self.model_info,
            source=source,
            title=doc.title,
            text=doc.text,
            language=language.code,
            warnings=warnings,
            sentences=[TextSpan(start=s.start, end=s.end, text=doc.span_text(s)) for s in doc.sentences],
            **{**fields, "claims": claims},
            known_claims=info,
            timings_ms=timings,
        )

    def _blas_limit(self) -> AbstractContextManager[object]:
        if self._threadpools is None:
            from threadpoolctl import ThreadpoolController

            self._threadpools = ThreadpoolController()
        return self._threadpools.limit(limits=1, user_api="blas")  # type: ignore[no-any-return]


def _written(head: Head, fields: Mapping[str, Any]) -> Mapping[str, Any]:
    """A head may write only the fields it declares (so two heads never overwrite each other)."""
    extra = set(fields) - set(head.writes)
    if extra:
        raise TypeError(f"head {head.name!r} wrote {sorted(extra)}, declared {head.writes}")
    return fields
