"""Fuzz target: the whole `unspin analyze` path on short inputs (at most 2 KB): ingestion (decoding,
HTML extraction, limits), the model, the heads, and the renderers. The Analyzer is loaded once.

Beyond "no crash": every offset quotes the text exactly (``Analysis`` refuses to exist otherwise, which
here would be a crash: it is not an expected error), the text is the ingested text unchanged, and the
result survives a JSON round trip and renders.
"""

from __future__ import annotations

import io
import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from rich.console import Console

    from unspin.analysis import Analysis
    from unspin.analyzer import Analyzer
    from unspin.errors import UnspinError
    from unspin.ingest import load_source
    from unspin.render import render_html, render_text, to_json

NAME = "analyze"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
MAX_LEN = 2048
_analyzer: Analyzer | None = None

SEEDS = [
    b"The so-called experts are lying to you. Everybody knows the truth.\n\nThey will pay for this betrayal.",
    "Путин заявил, что НАТО угрожает России. Это ложь!\n\nЗапад слаб.".encode(),
    b"<html><title>T</title><p>Brave soldiers defend the motherland.</p><p>The enemy is weak.</p></html>",
    "e\u0301e\u0301 \u202eevil\u202c שלום 👍🏽👩‍👩‍👧 \u200b\u200d Mr. Smith said: \u201cno\u201d.".encode(),
    b"a\r\nb\rc\n\n\n\n\nd " * 20,
    b"word " * 400,
    b"\xff\xfeH\x00i\x00 \x00t\x00h\x00e\x00r\x00e\x00",
]


def analyzer() -> Analyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer()
    return _analyzer


def check(data: bytes) -> None:
    source = load_source("-", stdin=io.BytesIO(data[:MAX_LEN]), max_bytes=MAX_LEN * 4)
    result = analyzer().analyze(source.text, title=source.title, source=source.info)
    assert result.text == source.text, "the analyzed text differs from the ingested text"
    for span in result.spans:
        assert result.text[span.start : span.end] == span.text and span.text.strip()
    assert Analysis.model_validate_json(to_json(result)) == result
    render_html(result)
    render_text(result, Console(file=io.StringIO(), width=100, force_terminal=False, color_system=None))


if __name__ == "__main__":
    analyzer()  # load the model before fuzzing starts, not inside the first input's time limit
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=MAX_LEN, timeout_s=30)
    sys.exit(0)
