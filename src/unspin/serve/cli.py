"""``unspin serve`` and ``unspin feedback export``: parsers (no heavy imports) and the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from unspin.errors import BadInput, Refused
from unspin.options import add_run_args, options_from_args
from unspin.serve.config import SETTINGS_ENV, TOKEN_ENV, Settings, is_loopback

MAX_CONNECTIONS = 512  # uvicorn answers 503 beyond this: open sockets, and so memory, stay bounded


def add_serve_parser(sub: Any) -> None:
    s = sub.add_parser("serve", help="the web app and REST API (http://127.0.0.1:8000, docs at /docs)")
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    s.add_argument("--workers", type=int, default=1, help="worker processes; each loads the model once")
    s.add_argument(
        "--token", help=f"API token required on every /api/ call (or ${TOKEN_ENV}); required off localhost"
    )
    s.add_argument("--max-body", type=int, default=2_000_000, help="largest request body, bytes")
    s.add_argument(
        "--rate-limit", type=float, default=10.0, help="API requests per second per client (0: no limit)"
    )
    s.add_argument("--burst", type=int, default=40, help="requests a client may make at once above the rate")
    s.add_argument("--queue", type=int, default=16, help="analyses queued per worker before answering 503")
    s.add_argument(
        "--max-wait",
        type=float,
        default=1.0,
        help="shed load (503) when the expected queue wait is longer, s",
    )
    s.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"]
    )
    s.add_argument(
        "--no-seed",
        action="store_true",
        help="do not import the bundled EUvsDisinfo cases into a database that holds no known claims",
    )
    add_run_args(s)  # --db: the database of stored analyses and known claims (created if missing)
    s.set_defaults(func=cmd_serve)


def add_feedback_parser(sub: Any) -> None:
    f = sub.add_parser("feedback", help="analysts' corrections stored by the web app")
    verbs = f.add_subparsers(dest="feedback_command", required=True)
    e = verbs.add_parser(
        "export", help="corrected spans in the SemEval-2023 task 3 span format, for training"
    )
    e.add_argument(
        "-o", "--output", type=Path, required=True, help="span file: id<TAB>technique<TAB>start<TAB>end"
    )
    e.add_argument("--articles", type=Path, metavar="DIR", help="also write each text as DIR/article<id>.txt")
    e.add_argument(
        "--confirmed-only",
        action="store_true",
        help="only spans analysts confirmed or added, not unreviewed ones",
    )
    e.add_argument("--db", type=Path, metavar="PATH", help="database file (default as for serve)")
    e.set_defaults(func=cmd_feedback_export)


def settings_from(args: argparse.Namespace) -> Settings:
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(args.host) and not token:
        raise Refused(
            f"Refusing to listen on {args.host} without an API token: pass --token or set ${TOKEN_ENV} "
            "(every /api/ call must then send 'Authorization: Bearer <token>')."
        )
    if args.workers < 1 or not 0 < args.port < 65536:
        raise BadInput("--workers must be at least 1 and --port between 1 and 65535.")
    cores = os.cpu_count() or 1
    run = options_from_args(args)
    if run.threads is None and args.workers > 1:
        # Workers share the cores: without this each one's encoders would start a thread per core.
        run = run.with_(threads=max(1, cores // args.workers))
    return Settings(
        host=args.host,
        port=args.port,
        token=token,
        max_body_bytes=args.max_body,
        run=run,
        rate_per_s=args.rate_limit,
        rate_burst=args.burst,
        max_queue=args.queue,
        max_wait_s=args.max_wait,
    )


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from unspin.claims.bundle import ensure_seeded
    from unspin.store.db import Database

    settings = settings_from(args)
    database = Database(settings.run.db)
    conn = database.conn()  # create/migrate before the workers start, and fail early on a bad --db
    if settings.run.match_claims and not args.no_seed and (seeded := ensure_seeded(conn)) is not None:
        print(
            f"unspin: first start: imported {seeded.imported:,} bundled EUvsDisinfo cases into {database.path}",
            file=sys.stderr,
        )
    database.close()
    os.environ[SETTINGS_ENV] = settings.to_env()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"unspin: serving on http://{shown}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(
        "unspin.serve.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        limit_concurrency=MAX_CONNECTIONS,
        proxy_headers=False,  # the client address is the peer: a header must not pick the rate-limit bucket
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from unspin.serve.feedback import export
    from unspin.store.db import connect, default_db_path

    conn = connect(args.db)
    try:
        n_articles, n_spans = export(conn, args.output, args.articles, confirmed_only=args.confirmed_only)
    finally:
        conn.close()
    print(
        f"wrote {n_spans} spans of {n_articles} reviewed analyses to {args.output} "
        f"(database {args.db or default_db_path()})",
        file=sys.stderr,
    )
    return 0
