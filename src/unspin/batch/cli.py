"""``unspin batch INPUT... -o OUTDIR``: the hook ``unspin.cli`` calls, importing nothing heavy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from unspin.errors import BadInput
from unspin.options import add_run_args, options_from_args


def add_batch_parser(sub: Any) -> None:
    b = sub.add_parser(
        "batch",
        help="analyze a corpus: folders, JSONL, CSV (or - for JSONL on stdin) -> JSONL + Parquet",
        description="Analyze every article of the inputs into OUTDIR: analyses.jsonl (one full analysis "
        "per line), articles/spans/narratives/entities/claims.parquet, rejects.jsonl. Run the same command "
        "again after an interruption to resume.",
    )
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="folder of .txt/.html, .jsonl, .csv, or -")
    b.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR", help="output folder")
    for name, default in (
        ("text", "text"),
        ("title", "title"),
        ("id", "id"),
        ("source", "source"),
        ("date", "date"),
    ):
        b.add_argument(f"--{name}-field", default=default, help=f"JSONL/CSV field of the {name} ({default})")
    b.add_argument(
        "--engine", choices=("local", "ray"), default="local", help="worker processes here (local) or Ray"
    )
    b.add_argument("--address", help="with --engine ray: the cluster to join (default: start a local Ray)")
    b.add_argument("--workers", type=int, help="worker processes or Ray actors (default: cores / threads)")
    b.add_argument("--chunk", type=int, default=8, help="articles per work unit (default 8)")
    b.add_argument("--html", action="store_true", help="also write an HTML report per article (OUTDIR/html)")
    b.add_argument(
        "--progress",
        choices=("auto", "bar", "lines", "none"),
        default="auto",
        help="bar on a terminal, periodic lines otherwise (auto)",
    )
    b.add_argument("--no-tables", action="store_true", help="skip building the Parquet tables")
    add_run_args(b)  # --threads here: per worker (default: cores / workers, so 1)
    b.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from unspin.batch.records import Fields
    from unspin.batch.run import BatchOptions, run_batch

    for flag in ("workers", "threads", "chunk", "max_bytes"):
        value = getattr(args, flag)
        if value is not None and value <= 0:
            raise BadInput(f"--{flag.replace('_', '-')} must be a positive number, not {value}.")
    if args.address and args.engine != "ray":
        raise BadInput("--address only applies to --engine ray.")
    fields = Fields(args.text_field, args.title_field, args.id_field, args.source_field, args.date_field)
    summary = run_batch(
        BatchOptions(
            inputs=args.inputs,
            outdir=args.output,
            fields=fields,
            run=options_from_args(args),
            engine=args.engine,
            workers=args.workers,
            address=args.address,
            html=args.html,
            chunk=args.chunk,
            progress=args.progress,
            tables=not args.no_tables,
        )
    )
    print(
        f"unspin batch: {summary.analyzed:,} analyzed, {summary.skipped:,} already done, "
        f"{summary.rejected:,} rejected (see {args.output / 'rejects.jsonl'}); wrote {args.output}",
        file=sys.stderr,
    )
    return 0
