"""bf16 and f32 tell users the same thing about the demo: the same techniques in the same paragraphs, the
same spans (at most one may differ at a threshold's edge), narratives, genre and roles; scores within 0.02.
Measured on an AMX machine: identical labels and spans, largest score difference 0.002. Runs where the CPU
has bf16 (CI's machines do); elsewhere bf16 is not offered and there is nothing to compare."""

from __future__ import annotations

from typing import Any

import pytest

SCORE_TOLERANCE = 0.02


def _bf16_available() -> bool:
    import openvino as ov

    return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


@pytest.fixture(scope="module")
def both(demo_text: str) -> dict[str, Any]:
    if not _bf16_available():
        pytest.skip("this CPU has no bf16 (AVX512-BF16 or AMX)")
    from unspin.analyzer import Analyzer
    from unspin.options import RunOptions

    out = {}
    for precision in ("f32", "bf16"):
        analyzer = Analyzer(options=RunOptions(precision=precision), known_claims=None)
        out[precision] = analyzer.analyze(demo_text)
        assert analyzer.encoder.graph.precision == precision  # the engine ran what was asked
    return out


def test_same_labels(both: dict[str, Any]) -> None:
    f, b = both["f32"], both["bf16"]
    assert [sorted(p.techniques) for p in f.paragraphs] == [sorted(p.techniques) for p in b.paragraphs]
    spans_f = {(s.start, s.end, s.technique) for s in f.spans}
    spans_b = {(s.start, s.end, s.technique) for s in b.spans}
    assert len(spans_f ^ spans_b) <= 1, spans_f ^ spans_b
    assert [n.label for n in f.narratives] == [n.label for n in b.narratives]
    assert f.genre is not None and b.genre is not None and f.genre.label == b.genre.label
    assert [(e.name, e.main_role) for e in f.entities] == [(e.name, e.main_role) for e in b.entities]


def test_scores_within_tolerance(both: dict[str, Any]) -> None:
    f, b = both["f32"], both["bf16"]
    diffs = [
        abs(p.scores.get(k, 0.0) - q.scores.get(k, 0.0))
        for p, q in zip(f.paragraphs, b.paragraphs, strict=True)
        for k in set(p.scores) | set(q.scores)
    ]
    assert diffs and max(diffs) <= SCORE_TOLERANCE
