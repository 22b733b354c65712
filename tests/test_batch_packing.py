"""Packed encoding across articles gives exactly what analyzing them one by one gives."""

from __future__ import annotations

from typing import Any

import pytest

from unspin.analysis import Analysis
from unspin.batch.packing import PackedAnalyzer

VOLATILE = ("created_at", "timings_ms")


def stable(a: Analysis) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude=set(VOLATILE))


@pytest.fixture(scope="module")
def packed() -> PackedAnalyzer:
    p = PackedAnalyzer()
    p.window_batch = 5  # smaller than one long article: batches straddle article boundaries
    return p


def test_packed_equals_one_by_one(packed: PackedAnalyzer, demo_text: str) -> None:
    texts = [
        demo_text,  # several full windows
        "A short text that fits in one window, so its window is narrower than the others.",
        demo_text[: len(demo_text) // 3],
        demo_text[:200],
    ]
    together = packed.analyze_many([(t, None, None) for t in texts])
    for text, got in zip(texts, together, strict=True):
        assert isinstance(got, Analysis)
        assert stable(got) == stable(packed.analyze(text))


def test_a_bad_item_does_not_sink_its_chunk(packed: PackedAnalyzer, demo_text: str) -> None:
    first, blank, last = packed.analyze_many(
        [(demo_text[:300], "T", None), ("   ", None, None), ("Fine.", None, None)]
    )
    assert isinstance(first, Analysis) and first.title == "T"
    assert isinstance(blank, Exception)
    assert isinstance(last, Analysis) and last.text == "Fine."
