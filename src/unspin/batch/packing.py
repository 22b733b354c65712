"""Encoder windows of several articles packed into shared batches, so the encoder runs full batches.

An 800-word article is ~6 windows; ``Analyzer.predict`` runs them as one small batch per article.
Here the windows of a whole chunk of articles go through the encoder together, in batches of
``window_batch``. Results are bit-for-bit those of ``Analyzer.predict``: OpenVINO's output for a window does
not depend on the other rows of its batch, only on the padded width (checked: a window padded to a
different width changes in the last bits), so windows are grouped by the width ``make_windows`` gives
them for their own article and never re-padded. A test compares packed and unpacked analyses.

``PackedAnalyzer.analyze_many`` then calls the ordinary ``Analyzer.analyze`` per article, whose
``predict`` call is answered from the packed results: everything after the encoder (decoding, heads,
claims, whatever ``analyze`` grows) stays the analyzer's own code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from unspin.analysis import Analysis, SourceInfo
from unspin.analyzer import Analyzer
from unspin.model import decode
from unspin.model.windows import Windows, make_windows, merge_windows, tokenize

Prediction = tuple[np.ndarray, np.ndarray, np.ndarray | None]
DEFAULT_WINDOW_BATCH = 32


class PackedAnalyzer(Analyzer):
    """An ``Analyzer`` that can encode many articles' windows in shared batches."""

    window_batch = DEFAULT_WINDOW_BATCH

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, Prediction] = {}

    def predict(self, text: str, with_hidden: bool = False) -> Prediction:
        hit = self._pending.pop(text, None)
        if hit is not None and (hit[2] is not None or not (with_hidden or self.needs_hidden)):
            return hit
        return super().predict(text, with_hidden)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """``predict`` for each text, with the encoder run on batches shared across texts."""
        k = len(self.config.labels)
        tokens = [tokenize(self.tokenizer, t) for t in texts]
        windows: list[Windows | None] = [
            make_windows(tok, self.config.max_len, self.config.stride) if len(tok) else None for tok in tokens
        ]
        # (article, window) pairs by padded width; each group runs in batches of window_batch
        by_width: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for a, w in enumerate(windows):
            if w is not None:
                by_width[w.input_ids.shape[1]].extend((a, i) for i in range(len(w.starts)))
        logits: dict[tuple[int, int], np.ndarray] = {}
        hiddens: dict[tuple[int, int], np.ndarray] = {}
        for pairs in by_width.values():
            for b in range(0, len(pairs), self.window_batch):
                part = pairs[b : b + self.window_batch]
                ids = np.stack([windows[a].input_ids[i] for a, i in part])  # type: ignore[union-attr]
                mask = np.stack([windows[a].attention_mask[i] for a, i in part])  # type: ignore[union-attr]
                out, hidden = self.encoder.run(ids, mask)
                for j, key in enumerate(part):
                    logits[key] = out[j]
                    if hidden is not None and self.needs_hidden:
                        hiddens[key] = hidden[j]
        results: list[Prediction] = []
        for a, (tok, w) in enumerate(zip(tokens, windows, strict=True)):
            if w is None:
                results.append((tok.offsets, np.zeros((0, k), dtype=np.float32), None))
                continue
            n = len(w.starts)
            probs = decode.sigmoid(merge_windows(w, np.stack([logits[a, i] for i in range(n)]), len(tok)))
            merged = (
                merge_windows(w, np.stack([hiddens[a, i] for i in range(n)]), len(tok))
                if (a, 0) in hiddens
                else None
            )
            results.append((tok.offsets, probs, merged))
        return results

    def analyze_many(
        self, items: Sequence[tuple[str, str | None, SourceInfo | None]]
    ) -> list[Analysis | Exception]:
        """``analyze(text, title, source)`` for each item; a failing item gives its exception, not a raise."""
        texts = [t for t, _, _ in items]
        try:
            self._pending = dict(zip(texts, self.predict_many(texts), strict=True))
        except Exception:  # a pathological text must not sink its neighbours: fall back to one by one
            self._pending = {}
        out: list[Analysis | Exception] = []
        try:
            for text, title, source in items:
                try:
                    out.append(self.analyze(text, title=title, source=source))
                except Exception as err:
                    out.append(err)
        finally:
            self._pending = {}
        return out
