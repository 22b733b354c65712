"""Helpers of the batch tests (no tests here): a small corpus cut from the demo article, so they need no
data outside the repository, and the output records without their run-dependent fields."""

from __future__ import annotations

import json
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "examples" / "khabarovsk-opinion.txt"
OUTLETS = ("Alpha", "Beta", "Gamma")


def articles(n: int, paragraphs: int = 3) -> list[dict[str, str]]:
    """``n`` distinct articles of ``paragraphs`` consecutive demo paragraphs each (varied start, rotated)."""
    paras = [p for p in DEMO.read_text(encoding="utf-8").split("\n") if p.strip()]
    out = []
    for i in range(n):
        start = i % len(paras)
        body = [paras[(start + k) % len(paras)] for k in range(paragraphs)]
        out.append(
            {
                "id": f"a{i:03d}",
                "title": f"Article {i}",
                "text": f"Report number {i}.\n" + "\n".join(body),
                "source": OUTLETS[i % len(OUTLETS)],
                "date": f"2024-{1 + i % 6:02d}-{1 + i % 27:02d}",
            }
        )
    return out


def write_jsonl(path: Path, records: list[dict[str, str]], extra_lines: tuple[str, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
        for line in extra_lines:
            f.write(line + "\n")
    return path


def stable_lines(outdir: Path) -> list[dict[str, object]]:
    """The output records without the fields that differ between runs: ``analysis.created_at`` (wall
    clock) and ``analysis.timings_ms`` (measured durations)."""
    out = []
    for line in (outdir / "analyses.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        rec["analysis"].pop("created_at")
        rec["analysis"].pop("timings_ms")
        out.append(rec)
    return out
