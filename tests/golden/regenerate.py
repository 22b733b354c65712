"""Regenerate the golden analyses (``make golden``): only together with a model change, in the same commit.

The suite (tests/test_golden.py) checks that the analysis of each text here is exactly its ``.json``
(timings, creation time, versions and engine aside): a refactor must not change what users see. The model
runs in f32, which every CPU computes alike (bf16 exists only where the CPU has it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
DEMO = HERE.parents[1] / "examples" / "khabarovsk-opinion.txt"


def texts() -> dict[str, str]:
    out = {p.stem: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*.txt"))}
    out["demo"] = DEMO.read_text(encoding="utf-8")
    return out


VOLATILE: dict[str, object] = {
    "created_at": True,
    "timings_ms": True,
    "unspin_version": True,
    "model": {"engine"},
}


def stable(analysis: object) -> dict[str, object]:
    from unspin.analysis import Analysis

    assert isinstance(analysis, Analysis)
    return analysis.model_dump(mode="json", exclude=VOLATILE)


def golden_analyzer() -> object:
    from unspin.analyzer import Analyzer
    from unspin.options import RunOptions

    # Matching is tested on its own; this pins the model's output.
    return Analyzer(options=RunOptions(precision="f32"), known_claims=None)


def main() -> int:
    analyzer = golden_analyzer()
    for name, text in texts().items():
        data = stable(analyzer.analyze(text))  # type: ignore[attr-defined]
        (HERE / f"{name}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {name}.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
