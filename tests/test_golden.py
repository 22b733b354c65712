"""What users see does not change unless the model does: each golden text's analysis equals its recorded
JSON (regenerate with `make golden`, only in a commit that changes the model)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from golden.regenerate import HERE, golden_analyzer, stable, texts

CASES = sorted(texts())


@pytest.fixture(scope="module")
def f32_analyzer() -> Any:
    return golden_analyzer()


def _close(a: Any, b: Any, path: str = "$") -> list[str]:
    """Differences between two JSON values; floats may differ in the last printed digit only."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in _close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _close(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return [] if math.isclose(a, b, abs_tol=2e-4) else [f"{path}: {a} vs {b}"]
    return [] if a == b else [f"{path}: {str(a)[:60]!r} vs {str(b)[:60]!r}"]


@pytest.mark.parametrize("name", CASES)
def test_analysis_equals_its_golden_record(name: str, f32_analyzer: Any) -> None:
    expected = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    got = json.loads(json.dumps(stable(f32_analyzer.analyze(texts()[name]))))
    diffs = _close(got, expected)
    assert not diffs, f"{len(diffs)} differences from tests/golden/{name}.json, e.g.:\n" + "\n".join(
        diffs[:10]
    )
