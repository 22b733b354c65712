"""One set of run options: declared once, parsed the same by analyze, batch and serve, and reaching both
encoders (the technique encoder and the sentence-similarity encoder)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from unspin.cli import build_parser
from unspin.options import DEFAULT_MAX_BYTES, PRECISION_ENV, RunOptions, options_from_args


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


FLAGS = ("--precision", "f32", "--threads", "1", "--max-bytes", "5000", "--db", "x.db", "--no-known-claims")
EXPECTED = RunOptions(precision="f32", threads=1, max_bytes=5000, db=Path("x.db"), match_claims=False)


@pytest.mark.parametrize(
    "argv",
    [("analyze", "a.txt", *FLAGS), ("batch", "in", "-o", "out", *FLAGS), ("serve", *FLAGS)],
)
def test_every_command_parses_the_same_options(argv: tuple[str, ...]) -> None:
    assert options_from_args(_args(*argv)) == EXPECTED


def test_defaults_are_declared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    for argv in (("analyze", "a.txt"), ("batch", "in", "-o", "out"), ("serve",)):
        assert options_from_args(_args(*argv)) == RunOptions(max_bytes=DEFAULT_MAX_BYTES)
    monkeypatch.setenv(PRECISION_ENV, "f32")
    assert options_from_args(_args("analyze", "a.txt")).precision == "f32"
    assert options_from_args(_args("analyze", "a.txt", "--precision", "bf16")).precision == "bf16"


def test_serve_divides_the_cores_between_workers() -> None:
    from unspin.serve.cli import settings_from

    settings = settings_from(_args("serve", "--workers", "2", "--precision", "f32"))
    assert settings.run.threads is not None and settings.run.precision == "f32"
    assert settings_from(_args("serve", "--threads", "3")).run.threads == 3


def test_bad_options_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError):
        RunOptions(precision="fp8")
    with pytest.raises(ValueError):
        RunOptions(threads=0)
    monkeypatch.setenv(PRECISION_ENV, "half")
    with pytest.raises(ValueError, match=PRECISION_ENV):
        RunOptions()


def test_precision_and_threads_reach_both_encoders(tmp_path: Path) -> None:
    from unspin.analyzer import Analyzer
    from unspin.claims.known import KnownClaims
    from unspin.encoder.similarity import SentenceEncoder, similarity_model_available

    options = RunOptions(precision="f32", threads=1, db=tmp_path / "claims.db")
    analyzer = Analyzer(options=options, known_claims=KnownClaims.for_options(options))
    assert analyzer.encoder.graph.precision == "f32" and analyzer.encoder.graph.threads == 1
    assert analyzer.model_info.precision == "f32"
    if not similarity_model_available():
        pytest.skip("no similarity model")
    known = analyzer.known_claims
    assert known is not None
    similarity = known.encoder()
    assert isinstance(similarity, SentenceEncoder)
    assert similarity.graph.precision == "f32" and similarity.graph.threads == 1
    assert not (tmp_path / "claims.db").exists()  # asking for the encoder creates no database
