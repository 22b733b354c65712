"""Packed encoding across articles gives exactly what analyzing them one by one gives, and packs for real."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from unspin.analysis import Analysis
from unspin.analyzer import Analyzer

VOLATILE = {"created_at", "timings_ms"}


def stable(a: Analysis) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude=VOLATILE)


@pytest.fixture
def packed(analyzer: Analyzer) -> Iterator[Analyzer]:
    old = analyzer.encoder.window_batch
    analyzer.encoder.window_batch = 8  # batches straddle article boundaries (the demo is 5 windows)
    yield analyzer
    analyzer.encoder.window_batch = old


def _count_calls(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    rows: list[int] = []
    real = analyzer.encoder.graph.run

    def counting(inputs: Any) -> Any:
        rows.append(len(inputs["input_ids"]))
        return real(inputs)

    monkeypatch.setattr(analyzer.encoder.graph, "run", counting)
    return rows


def test_packed_equals_one_by_one(packed: Analyzer, demo_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        demo_text,  # several full windows
        "A short text that fits in one window, so its window is narrower than the others.",
        demo_text[: len(demo_text) // 3],
        demo_text[:200],
        demo_text,  # the same width as the first: its windows join the first's batches
    ]
    rows = _count_calls(packed, monkeypatch)
    together = packed.analyze_many([(t, None, None) for t in texts])
    packed_calls = len(rows)
    rows.clear()
    alone = [packed.analyze(t) for t in texts]
    # Packing ran: fewer, fuller encoder calls than one article at a time, with batches that mix articles.
    assert packed_calls < len(rows)
    for text, got, ref in zip(texts, together, alone, strict=True):
        assert isinstance(got, Analysis) and got.text == text
        assert stable(got) == stable(ref)


def test_a_bad_item_does_not_sink_its_chunk(packed: Analyzer, demo_text: str) -> None:
    first, blank, last = packed.analyze_many(
        [(demo_text[:300], "T", None), ("   ", None, None), ("Fine.", None, None)]
    )
    assert isinstance(first, Analysis) and first.title == "T"
    assert isinstance(blank, Exception)
    assert isinstance(last, Analysis) and last.text == "Fine."


def test_an_unexpected_error_surfaces(packed: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(inputs: Any) -> Any:
        raise RuntimeError("the graph failed")

    monkeypatch.setattr(packed.encoder.graph, "run", broken)
    with pytest.raises(RuntimeError, match="graph failed"):
        packed.analyze_many([("Some text to encode.", None, None)])
