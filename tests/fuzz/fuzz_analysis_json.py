"""Fuzz target: the analysis JSON loader (``Analysis.model_validate_json``) and the renderers after it.

A JSON file of an analysis may come from anyone (a shared link, a batch output, another tool), and
``unspin report`` and the web page read them back. Expected: pydantic's ValidationError. Beyond "no
crash": an accepted analysis quotes its text exactly at every offset, survives a JSON round trip
unchanged, and renders to HTML, JSON and text.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from pydantic import ValidationError
    from rich.console import Console

    from unspin.analysis import Analysis
    from unspin.errors import UnspinError
    from unspin.render import render_html, render_text, to_json

NAME = "analysis_json"
EXPECTED: tuple[type[BaseException], ...] = (ValidationError, UnspinError)
SEED = (Path(__file__).parent / "seeds" / "analysis.json").read_bytes()

SEEDS = [
    SEED,
    SEED.replace(b'"text":"The so-called', b'"text":"<script>x</script> The so-called'),
    b"{}",
    b'{"schema_version": "1.2.0", "text": "\\ud800"}',
]


def check(data: bytes) -> None:
    analysis = Analysis.model_validate_json(data)
    for span in [*analysis.paragraphs, *analysis.sentences, *analysis.spans, *analysis.claims]:
        assert analysis.text[span.start : span.end] == span.text
    again = Analysis.model_validate_json(analysis.model_dump_json())
    assert again == analysis, "the JSON round trip changed the analysis"
    if not {t.technique for t in analysis.techniques} <= {s.technique for s in analysis.spans}:
        # The HTML renderer assumes what the analyzer guarantees: every summarized technique has
        # spans (a summary without any raised KeyError, reported; render/ is not fuzzed past it).
        return
    page = render_html(analysis)
    assert page.lower().startswith("<!doctype html>")
    to_json(analysis)
    render_text(analysis, Console(file=io.StringIO(), width=100, force_terminal=False, color_system=None))


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=32768, timeout_s=20)
    sys.exit(0)
