"""Analysts' feedback: the API routes that record it, and ``unspin feedback export`` for training.

A verdict is kept per flag (a later one replaces an earlier one). The export writes the corrected spans of
every analysis that has feedback in the SemEval-2023 task 3 span format the training data uses
(``article_id<TAB>technique<TAB>start<TAB>end``, code-point offsets, end exclusive): the model's spans
minus those marked wrong (or, with ``confirmed_only``, just the confirmed ones), plus the missed spans
analysts added. The article id is the analysis id, so a line leads back to its shareable link.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from unspin.render.facts import span_key
from unspin.store import analyses as store


def corrected_spans(
    analysis: dict[str, Any], feedback: list[store.Feedback], *, confirmed_only: bool
) -> list[tuple[str, int, int]]:
    """``(technique, start, end)`` after the analysts' corrections, sorted by start, end, technique."""
    verdicts = {f.key: f.verdict for f in feedback if f.target == "span"}
    spans: set[tuple[str, int, int]] = set()
    for s in analysis.get("spans", []):
        key = span_key(s["technique"], s["start"], s["end"])
        verdict = verdicts.get(key)
        if verdict == "confirmed" or (verdict is None and not confirmed_only):
            spans.add((s["technique"], s["start"], s["end"]))
    for f in feedback:
        if (
            f.target == "span"
            and f.verdict == "missed"
            and f.technique
            and f.start is not None
            and f.end is not None
        ):
            spans.add((f.technique, f.start, f.end))
    return sorted(spans, key=lambda t: (t[1], t[2], t[0]))


def export_lines(
    conn: Any, *, confirmed_only: bool = False
) -> Iterator[tuple[store.StoredAnalysis, list[str]]]:
    for row, feedback in store.with_feedback(conn):
        analysis = json.loads(row.json)
        spans = corrected_spans(analysis, feedback, confirmed_only=confirmed_only)
        yield row, [f"{row.id}\t{t}\t{s}\t{e}" for t, s, e in spans]


def export(
    conn: Any, output: Path, articles: Path | None = None, *, confirmed_only: bool = False
) -> tuple[int, int]:
    """Write the span file (and, with ``articles``, each text as ``article<id>.txt``); (articles, spans)."""
    n_articles = n_spans = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    if articles is not None:
        articles.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as fh:
        for row, lines in export_lines(conn, confirmed_only=confirmed_only):
            n_articles += 1
            n_spans += len(lines)
            fh.writelines(line + "\n" for line in lines)
            if articles is not None:
                text = json.loads(row.json)["text"]
                # newline="": the text is written byte for byte, so the offsets stay true.
                with (articles / f"article{row.id}.txt").open("w", encoding="utf-8", newline="") as art:
                    art.write(text)
    return n_articles, n_spans
