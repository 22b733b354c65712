"""``unspin report OUTDIR``: the corpus report of a batch run, as HTML and a terminal summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from unspin.errors import BadInput


def add_report_parser(sub: Any) -> None:
    r = sub.add_parser(
        "report",
        help="corpus report of an `unspin batch` output folder: outlets compared, trends over time",
    )
    r.add_argument("outdir", type=Path, metavar="OUTDIR", help="the output folder of `unspin batch`")
    r.add_argument("-o", "--output", type=Path, help="HTML file to write (default OUTDIR/report.html)")
    r.add_argument("--top", type=int, default=10, help="rows per ranking (default 10)")
    r.add_argument(
        "--period",
        choices=("auto", "day", "week", "month", "year"),
        default="auto",
        help="time bucket of the trends (auto: from the date range)",
    )
    r.add_argument("-q", "--quiet", action="store_true", help="no terminal summary")
    r.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from rich.console import Console

    from unspin.batch.output import HTML_DIR
    from unspin.report.data import load_corpus
    from unspin.report.html import render_report
    from unspin.report.terminal import print_summary

    if args.top <= 0:
        raise BadInput(f"--top must be a positive number, not {args.top}.")
    corpus = load_corpus(args.outdir, period=args.period, top=args.top)
    target = args.output or args.outdir / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Links to the per-article reports, relative to where this report is written (readable anywhere).
    pages = Path(os.path.relpath((args.outdir / HTML_DIR).resolve(), target.parent.resolve()))
    target.write_text(render_report(corpus, top=args.top, pages=pages.as_posix()), encoding="utf-8")
    if not args.quiet:
        print_summary(corpus, Console(), top=args.top)
    print(f"wrote {target}", file=sys.stderr)
    return 0
