"""The run options every way of analyzing shares (``unspin analyze``, ``batch``, ``serve``, the Python API):
declared once, defaulted once, passed whole.

Each option reaches every part it concerns: precision and threads reach both encoders (the technique
encoder and the sentence-similarity encoder), the byte limit reaches ingestion, the database and the
matching switch reach the known-claims stage.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

Precision = Literal["auto", "bf16", "f32"]
PRECISIONS: tuple[str, ...] = ("auto", "bf16", "f32")
PRECISION_ENV = "UNSPIN_PRECISION"
DEFAULT_MAX_BYTES = 1_000_000  # the analyzed text, UTF-8 encoded size


def _env_precision() -> str:
    value = os.environ.get(PRECISION_ENV, "auto") or "auto"
    if value not in PRECISIONS:
        raise ValueError(f"${PRECISION_ENV}={value!r}: use one of {', '.join(PRECISIONS)}")
    return value


@dataclass(frozen=True)
class RunOptions:
    precision: str = field(default_factory=_env_precision)  # auto: bf16 where the CPU has it, else f32
    threads: int | None = None  # inference threads per encoder; None: all cores
    max_bytes: int = DEFAULT_MAX_BYTES  # largest text accepted, UTF-8 bytes
    db: Path | None = None  # known-claims database; None: $UNSPIN_DB, else the user's default path
    match_claims: bool = True  # match spotted claims against the database (when it exists)
    claims: str = "top"  # which check-worthy claims to show: top (the default cut), all, or the N best

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}: use one of {', '.join(PRECISIONS)}")
        if self.threads is not None and self.threads < 1:
            raise ValueError("threads must be at least 1")
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        from unspin.claims.rank import parse_mode  # light: numpy and json

        parse_mode(self.claims)

    def with_(self, **changes: Any) -> RunOptions:
        return replace(self, **changes)


def add_run_args(parser: argparse.ArgumentParser) -> None:
    """The run options as command-line flags, the same for every command that analyzes."""
    g = parser.add_argument_group("run options")
    g.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=None,
        help=f"inference precision of both encoders (default: ${PRECISION_ENV}, else auto: bf16 where the CPU has it)",
    )
    g.add_argument(
        "--threads", type=int, default=None, help="inference threads per encoder (default: all cores)"
    )
    g.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"largest text accepted, UTF-8 bytes (default {DEFAULT_MAX_BYTES:,})",
    )
    g.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="known-claims database (default: $UNSPIN_DB, else the user's); a missing file means no matching",
    )
    g.add_argument(
        "--claims",
        default="top",
        metavar="top|all|N",
        help="check-worthy claims to show: top (the default cut: what a fact-checker checks first), all, or "
        "the N best; a claim that matches a known debunk is always shown",
    )
    g.add_argument(
        "--no-known-claims",
        action="store_true",
        help="spot check-worthy claims but do not match them against known claims",
    )


def options_from_args(args: argparse.Namespace) -> RunOptions:
    kwargs: dict[str, Any] = {
        "threads": args.threads,
        "max_bytes": args.max_bytes,
        "db": args.db,
        "match_claims": not args.no_known_claims,
        "claims": args.claims,
    }
    if args.precision is not None:
        kwargs["precision"] = args.precision
    return RunOptions(**kwargs)
