"""The README shows what `make demo` prints: every line of its abridged demo output (the "..." lines mark
the cuts; the run time is masked) appears, in order, in what the program prints at 100 columns against the
bundled known claims. A model change that changes the demo's findings fails here until the README says
what the program now says."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("What the demo prints")
    block = text[text.index("```\n", start) + 4 :]
    return block[: block.index("```")].rstrip("\n").split("\n")


def _mask(line: str) -> str:
    return re.sub(r"\d+\.\d s$", "<time>", line.rstrip())


def test_readme_demo_output_is_what_the_program_prints(tmp_path: Path) -> None:
    from rich.console import Console

    from unspin.analyzer import Analyzer
    from unspin.claims.bundle import load_bundled
    from unspin.claims.known import KnownClaims
    from unspin.claims.records import upsert_claims
    from unspin.encoder.similarity import similarity_model_available
    from unspin.ingest import load_source
    from unspin.options import RunOptions
    from unspin.render.text import render_text
    from unspin.store.db import Database

    if not similarity_model_available():
        pytest.skip("no similarity model")
    db = Database(tmp_path / "claims.db")
    upsert_claims(db.conn(), load_bundled())
    options = RunOptions(db=tmp_path / "claims.db", match_claims=True)
    analyzer = Analyzer(options=options, known_claims=KnownClaims(db, options=options))
    src = load_source("examples/khabarovsk-opinion.txt")  # as `make demo` names it, from the checkout
    result = analyzer.analyze(src.text, src.title, src.info)
    out = io.StringIO()
    render_text(result, Console(file=out, width=100, force_terminal=False, color_system=None))
    printed = [_mask(line) for line in out.getvalue().split("\n")]
    at = 0
    for line in readme_block():
        if line.strip() == "...":
            continue
        want = _mask(line)
        found = next((i for i in range(at, len(printed)) if printed[i] == want), None)
        assert found is not None, f"README line not printed (in order): {line!r}\n--- printed:\n" + "\n".join(
            printed
        )
        at = found + 1
