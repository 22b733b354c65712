"""``unspin claims import|search|stats``: the known-claims database from the command line.

``add_claims_parser`` is the hook ``unspin.cli`` calls; it imports nothing heavy, so ``unspin --help``
stays fast. The commands import the store and readers when they run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin.errors import BadInput, Refused

if TYPE_CHECKING:
    from sqlite3 import Connection

    from unspin.claims.records import KnownClaim
    from unspin.claims.vectors import Embedder

# Kept here (not imported from the readers) so that building the parser imports nothing; a test checks
# they agree with unspin.claims.importers.
FORMATS = ("auto", "euvsdisinfo", "claimreview", "csv")
DEFAULT_MAX_BYTES = 100_000_000
MAX_ERRORS_SHOWN = 50  # per file: the first ones tell what is wrong; the count says how much


def add_claims_parser(sub: Any) -> None:
    """Add the ``claims`` verb to ``unspin``'s sub-parsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="database file (default $UNSPIN_DB, else $XDG_DATA_HOME/unspin/unspin.db)",
    )
    claims = sub.add_parser("claims", help="known claims: import fact-checks, search them, count them")
    verbs = claims.add_subparsers(dest="claims_command", required=True)

    i = verbs.add_parser(
        "import",
        parents=[common],
        help="import EUvsDisinfo CSV, ClaimReview JSON or claim,verdict,url,date CSV files",
    )
    i.add_argument("files", nargs="*", type=Path, metavar="FILE")
    i.add_argument("--bundled", action="store_true", help="import the EUvsDisinfo cases bundled with unspin")
    i.add_argument(
        "--format", choices=FORMATS, default="auto", help="file format (default: from the content)"
    )
    i.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest file accepted, bytes")
    i.set_defaults(func=cmd_import)

    s = verbs.add_parser("search", parents=[common], help="find known claims matching some text")
    s.add_argument("query", help="words to look for (a claim, a title, keywords)")
    s.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
    s.add_argument("--json", action="store_true", help="print the results as JSON")
    s.add_argument(
        "--mode",
        choices=("bm25", "dense", "hybrid"),
        help="words (bm25), meaning (dense) or both fused (hybrid; the default when the similarity "
        "model is installed, else bm25)",
    )
    s.set_defaults(func=cmd_search)

    t = verbs.add_parser("stats", parents=[common], help="what the database holds")
    t.add_argument("--json", action="store_true", help="print the counts as JSON")
    t.set_defaults(func=cmd_stats)


def _open(args: argparse.Namespace, *, seed: bool) -> Connection:
    from unspin.claims.bundle import ensure_seeded
    from unspin.store.db import connect, default_db_path

    conn = connect(args.db)
    if seed:
        seeded = ensure_seeded(conn)
        if seeded is not None:
            where = args.db or default_db_path()
            print(
                f"unspin: first use: added {seeded.imported} bundled EUvsDisinfo cases to {where}",
                file=sys.stderr,
            )
    return conn


def cmd_import(args: argparse.Namespace) -> int:
    from unspin.claims.bundle import import_bundled
    from unspin.claims.importers.files import NothingImported, import_file
    from unspin.store.db import default_db_path

    if not args.files and not args.bundled:
        raise BadInput("Give one or more files to import, or --bundled.")
    conn = _open(args, seed=False)
    status = 0
    if args.bundled:
        counts = import_bundled(conn)
        print(
            f"bundled EUvsDisinfo cases: {counts.imported} imported, {counts.updated} updated, {counts.skipped} skipped"
        )
    for path in args.files:
        # Each file is its own transaction: one unusable file does not stop the others.
        try:
            report = import_file(conn, path, args.format, args.max_bytes)
        except (BadInput, Refused) as err:  # the file is unusable; a database error is not caught here
            if isinstance(err, NothingImported):
                _print_errors(str(path), err.errors)
            print(f"unspin: {err}", file=sys.stderr)
            status = max(status, err.exit_code)
            continue
        _print_errors(str(path), report.errors)
        c = report.counts
        print(
            f"{path}: {c.imported} imported, {c.updated} updated, {c.skipped} skipped, "
            f"{len(report.errors)} rejected ({report.format})"
        )
    from unspin.encoder.similarity import similarity_model_available

    if similarity_model_available():
        from unspin.encoder.similarity import SentenceEncoder

        _embed_missing(conn, SentenceEncoder())  # now rather than at the first analysis or search
    print(f"database: {args.db or default_db_path()}", file=sys.stderr)
    return status


def _print_errors(path: str, errors: list[tuple[int, str]]) -> None:
    for line, reason in errors[:MAX_ERRORS_SHOWN]:
        print(f"{path}:{line}: {reason}", file=sys.stderr)
    if len(errors) > MAX_ERRORS_SHOWN:
        print(f"{path}: … and {len(errors) - MAX_ERRORS_SHOWN} more rejected rows", file=sys.stderr)


def _result_json(claim: KnownClaim, similarity: float | None) -> dict[str, Any]:
    data = claim.to_dict()
    data.pop("aliases", None)
    return {"similarity": similarity, **data}


def _embed_missing(conn: Connection, encoder: Embedder) -> None:
    """Embed the claims without a vector (all of them on first use: ~20 s for the bundled cases)."""
    import time

    from unspin.claims.vectors import embed_missing, missing_count

    missing = missing_count(conn, encoder.name)
    if not missing:
        return
    if missing > 1000:
        print(f"unspin: embedding {missing:,} known claims for meaning search (once)…", file=sys.stderr)
    started = time.perf_counter()
    embed_missing(conn, encoder)
    if missing > 1000:
        print(f"unspin: embedded in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def cmd_search(args: argparse.Namespace) -> int:
    from unspin.claims.search import HYBRID_WEIGHTS, Ranker, rank_bm25, search
    from unspin.encoder.similarity import similarity_model_available
    from unspin.store.fts import fts_query

    mode = args.mode or ("hybrid" if similarity_model_available() else "bm25")
    if mode != "dense" and fts_query(args.query) is None:
        raise BadInput("The query has no words to search for.")
    if not args.query.strip():
        raise BadInput("The query is empty.")
    if args.limit < 1:
        raise BadInput("--limit must be at least 1.")
    if mode != "bm25" and not similarity_model_available():
        raise BadInput(f"--mode {mode} needs the similarity model (assets/similarity), which is missing.")
    conn = _open(args, seed=True)
    rankers: tuple[Ranker, ...] = (rank_bm25,)
    encoder = None
    if similarity_model_available():
        from unspin.encoder.similarity import SentenceEncoder

        encoder = SentenceEncoder()
        _embed_missing(conn, encoder)
    if mode != "bm25":
        from unspin.claims.vectors import make_dense_ranker

        assert encoder is not None
        rank_dense = make_dense_ranker(encoder)
        rankers = (rank_dense,) if mode == "dense" else (rank_bm25, rank_dense)
    results = search(conn, args.query, args.limit, rankers=rankers, weights=HYBRID_WEIGHTS)
    # Shown: the meaning similarity analyses show (cosine), whatever ranked the results; none without the model.
    sims: list[float | None] = [None] * len(results)
    if encoder is not None:
        from unspin.claims.search import similarities

        sims = similarities(conn, encoder, args.query, [c for c, _ in results])
    if args.json:
        sys.stdout.write(
            json.dumps(
                [_result_json(c, s) for (c, _), s in zip(results, sims, strict=True)],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return 0
    if not results:
        print("no known claim matches", file=sys.stderr)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(pad_edge=False, show_lines=True)
    table.add_column("similarity", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("claim", ratio=3, overflow="fold")
    table.add_column("source", ratio=1)
    for (claim, _), sim in zip(results, sims, strict=True):
        cell = Text(claim.title)
        link = claim.url or claim.source_url
        if link:
            cell.append("\n" + link, style="dim")
        table.add_row(
            "" if sim is None else f"{sim:.2f}",
            claim.date or "",
            cell,
            _short_source(claim.source),
        )
    Console().print(table)
    return 0


def _short_source(source: str, shown: int = 3) -> str:
    """The first outlets of a long list ("akwadon.com; albidda.net; … 17 more")."""
    outlets = source.split("; ")
    if len(outlets) <= shown:
        return source
    return "; ".join(outlets[:shown]) + f"; … {len(outlets) - shown} more"


def cmd_stats(args: argparse.Namespace) -> int:
    from unspin.claims.records import stats

    conn = _open(args, seed=True)
    data = stats(conn)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    console.print(f"[bold]{data['claims']:,}[/] known claims, {data['with_disproof']:,} with a disproof")
    if data["first_date"]:
        console.print(f"dated {data['first_date']} to {data['last_date']} ({data['undated']:,} undated)")
    groups = (("source file", "by_source"), ("language", "by_language"), ("verdict", "by_verdict"))
    for title, key in groups:
        items = list(data[key].items())
        if not items:
            continue
        console.print(f"by {title}:")
        for name, n in items[:10]:
            console.print(f"  {n:>8,}  {name}")
        if len(items) > 10:
            console.print(f"  {'…':>8}  {len(items) - 10} more")
    return 0
