"""The ``unspin`` command. Verbs: analyze, evaluate, export, claims, serve, feedback, batch, report.

Exit codes (stable, see README): 0 ok · 1 internal error · 2 bad input or usage · 3 refused (limits,
private addresses, schemes) · 4 network failure · 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from unspin.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, UnspinError
from unspin.export.formats import FORMATS as EXPORT_FORMATS
from unspin.options import add_run_args, options_from_args
from unspin.version import __version__

FORMATS = ("text", "json", "html")


def _format_for(path: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".html": "html", ".htm": "html"}.get(suffix, "text")


def cmd_analyze(args: argparse.Namespace) -> int:
    from rich.console import Console

    from unspin.analyzer import Analyzer
    from unspin.ingest import load_source
    from unspin.render import render_html, render_text, to_json

    options = options_from_args(args)
    source = load_source(
        args.source,
        title=args.title,
        max_bytes=options.max_bytes,
        allow_private=args.allow_private,
        timeout=args.timeout,
    )
    from unspin.claims.known import KnownClaims

    analyzer = Analyzer(options=options, known_claims=KnownClaims.for_options(options))
    result = analyzer.analyze(source.text, title=source.title, source=source.info)
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: to_json(result),
        "html": lambda: render_html(result),
    }
    for out in args.output:
        fmt = _format_for(out, args.format)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "text":
            with path.open("w", encoding="utf-8") as fh:
                render_text(result, Console(file=fh, width=100, force_terminal=False, color_system=None))
        else:
            path.write_text(renderers[fmt](), encoding="utf-8")
    if not args.output or not args.quiet:
        fmt = args.format or "text"
        if args.output:
            fmt = "text"  # files were written; the terminal gets the summary
        if fmt == "text":
            render_text(result, Console())
        else:
            sys.stdout.write(renderers[fmt]() + "\n")
    if args.output and not args.quiet:
        for out in args.output:
            print(f"wrote {out}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from unspin.evaluate.cli import run_evaluate

    return run_evaluate(args)


def cmd_export(args: argparse.Namespace) -> int:
    from unspin.export.formats import run_export

    return run_export(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="unspin", description="Show the spin in a news article.")
    p.add_argument("--version", action="version", version=f"unspin {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyze one article (file, .html, URL, or - for stdin)")
    a.add_argument("source", help="a .txt or .html file, an http(s) URL, or - for stdin")
    a.add_argument("--title", help="article title (metadata; not analyzed)")
    a.add_argument(
        "--format", choices=FORMATS, help="output format (default: from -o's extension, else text)"
    )
    a.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="PATH",
        help="write the result here; repeat for several formats (.json, .html, .txt)",
    )
    a.add_argument("-q", "--quiet", action="store_true", help="with -o: do not print the terminal summary")
    a.add_argument("--allow-private", action="store_true", help="allow URLs on private/loopback addresses")
    a.add_argument("--timeout", type=float, default=10.0, help="URL fetch timeout, seconds")
    add_run_args(a)
    a.set_defaults(func=cmd_analyze)

    e = sub.add_parser("evaluate", help="score the model on a labelled split")
    e.add_argument(
        "task",
        choices=[
            "semeval2023",
            "semeval2025",
            "semeval2023-genre",
            "semeval2023-frames",
            "claims",
            "checkworthy",
            "neutrality",
            "narratives-negatives",
            "entities",
        ],
        help="semeval2023: techniques; semeval2025: narratives, roles, entities; genre; frames; "
        "claims: known-claims retrieval (BM25, dense, hybrid); checkworthy: claim spotting",
    )
    e.add_argument("docs", nargs="*", type=Path, help="neutrality: your own texts (files, folders of .txt)")
    e.add_argument("--split", choices=["heldout", "train", "all"], default="heldout")
    e.add_argument("--data", type=Path, help="language folder of the release (default: --lang's folder)")
    e.add_argument(
        "--lang",
        default="en",
        help="language of the SemEval release to score (ISO code: en ru fr de it pl; semeval2025: en ru bg pt hi)",
    )
    e.add_argument(
        "--tune", action="store_true", help="re-tune thresholds on this split instead of the stored ones"
    )
    e.add_argument("--json", action="store_true", help="print metrics as JSON")
    e.set_defaults(func=cmd_evaluate)

    x = sub.add_parser("export", help="write predictions in an official format")
    x.add_argument("format", choices=list(EXPORT_FORMATS))
    x.add_argument(
        "articles_dir",
        type=Path,
        help="folder of articles: article*.txt (SemEval-2023) or *.txt documents (SemEval-2025)",
    )
    x.add_argument("--mentions", type=Path, help="semeval2025-st1: doc<TAB>entity<TAB>start<TAB>end lines")
    x.add_argument("-o", "--output", type=Path, required=True)
    x.set_defaults(func=cmd_export)

    from unspin.claims.cli import add_claims_parser  # imports nothing heavy; the commands import lazily

    add_claims_parser(sub)
    from unspin.serve.cli import add_feedback_parser, add_serve_parser  # light: FastAPI loads on `serve`

    add_serve_parser(sub)
    add_feedback_parser(sub)
    from unspin.batch.cli import add_batch_parser  # light: engines, pyarrow and Ray load when they run
    from unspin.report.cli import add_report_parser

    add_batch_parser(sub)
    add_report_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UnspinError as err:
        if args.debug:
            raise
        print(f"unspin: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("unspin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (OSError, ValueError) as err:
        if args.debug:
            raise
        print(f"unspin: {err}", file=sys.stderr)
        return (
            EXIT_BAD_INPUT
            if isinstance(err, (FileNotFoundError, IsADirectoryError, ValueError))
            else EXIT_INTERNAL
        )
    except Exception as err:
        if args.debug:
            raise
        print(
            f"unspin: internal error: {err.__class__.__name__}: {err} (rerun with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
