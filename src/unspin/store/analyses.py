"""Stored analyses (the web server's history) and analysts' feedback on them (migration v3).

An analysis is stored once per (input hash, model version) as the JSON the CLI writes, so the server can
answer a repeated input, a shareable link or the history without running the model. Every write is one
``transaction``: a server stopped at any moment keeps every analysis it has acknowledged (WAL, and the
response is sent only after the commit).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from unspin.store.db import transaction, utc_now
from unspin.store.fts import fts_query

TARGETS = ("span", "narrative", "entity", "claim")
VERDICTS = ("confirmed", "wrong", "missed")
MAX_PAGE = 100


@dataclass(frozen=True)
class StoredAnalysis:
    """One row of the history; ``json`` is the analysis exactly as serialized when it was stored."""

    seq: int
    id: str
    title: str
    source: str
    created_at: str
    spans: int
    model_version: str
    json: str


@dataclass(frozen=True)
class Feedback:
    target: str
    key: str
    verdict: str
    technique: str | None
    start: int | None
    end: int | None
    note: str
    created_at: str


def input_hash(text: str, title: str | None, source: str | None) -> str:
    """The dedup key of an input: the analyzed text, its title and where it came from (JSON, so no two
    different inputs can concatenate to the same bytes)."""
    payload = json.dumps([text, title, source], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def new_id() -> str:
    # 96 random bits: a shared link names one analysis and cannot be guessed from another.
    return secrets.token_urlsafe(12)


_COLUMNS = "seq, id, title, source, created_at, spans, model_version, json"


def _row(row: Sequence[object]) -> StoredAnalysis:
    seq, id_, title, source, created, spans, model, js = row
    return StoredAnalysis(
        int(seq),  # type: ignore[call-overload]
        str(id_),
        str(title),
        str(source),
        str(created),
        int(spans),  # type: ignore[call-overload]
        str(model),
        str(js),
    )


def find(conn: sqlite3.Connection, digest: str, model_version: str) -> StoredAnalysis | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM analyses WHERE input_hash = ? AND model_version = ?", (digest, model_version)
    ).fetchone()
    return _row(row) if row else None


def save(
    conn: sqlite3.Connection,
    *,
    digest: str,
    model_version: str,
    title: str,
    source: str,
    text: str,
    spans: int,
    analysis_json: str,
) -> tuple[StoredAnalysis, bool]:
    """Store an analysis; ``(row, True)`` when new, ``(existing row, False)`` when another request stored
    the same input first (two concurrent requests for one text: the first commit wins)."""
    with transaction(conn):
        existing = find(conn, digest, model_version)
        if existing is not None:
            return existing, False
        conn.execute(
            "INSERT INTO analyses (id, input_hash, model_version, title, source, text, spans, json, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id(), digest, model_version, title, source, text, spans, analysis_json, utc_now()),
        )
        stored = find(conn, digest, model_version)
    assert stored is not None
    return stored, True


def replace_json(conn: sqlite3.Connection, analysis_id: str, analysis_json: str) -> None:
    """Rewrite a stored analysis (its known-claim matches, re-matched after the claims changed)."""
    with transaction(conn):
        conn.execute("UPDATE analyses SET json = ? WHERE id = ?", (analysis_json, analysis_id))


def get(conn: sqlite3.Connection, analysis_id: str) -> StoredAnalysis | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM analyses WHERE id = ?", (analysis_id,)).fetchone()
    return _row(row) if row else None


def page(
    conn: sqlite3.Connection, query: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[StoredAnalysis], int]:
    """A page of the history, newest first, and how many analyses match in all. ``query`` searches titles
    and texts by words (FTS5, ``history_query``); a query without words matches nothing."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    # json is not needed for a list: select an empty string in its place.
    columns = _COLUMNS.replace("json", "'' AS json")
    if query is None or not query.strip():
        total = int(conn.execute("SELECT count(*) FROM analyses").fetchone()[0])
        rows = conn.execute(
            f"SELECT {columns} FROM analyses ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return [_row(r) for r in rows], total
    match = history_query(query)
    if match is None:
        return [], 0
    where = "seq IN (SELECT rowid FROM analyses_fts WHERE analyses_fts MATCH ?)"
    total = int(conn.execute(f"SELECT count(*) FROM analyses WHERE {where}", (match,)).fetchone()[0])
    rows = conn.execute(
        f"SELECT {columns} FROM analyses WHERE {where} ORDER BY seq DESC LIMIT ? OFFSET ?",
        (match, limit, offset),
    ).fetchall()
    return [_row(r) for r in rows], total


def history_query(query: str) -> str | None:
    r"""An FTS5 expression for the history's search box: every word must match (a filter narrows as you
    type), the last one as a prefix. Built on ``fts_query``, whose words are quoted ``\w+`` runs, so
    joining them with AND cannot change their meaning; None when there is no word."""
    match = fts_query(query)
    return None if match is None else match.replace(" OR ", " AND ") + "*"


def delete(conn: sqlite3.Connection, analysis_id: str) -> bool:
    """Delete an analysis and its feedback (ON DELETE CASCADE); False when there was none."""
    with transaction(conn):
        return conn.execute("DELETE FROM analyses WHERE id = ?", (analysis_id,)).rowcount > 0


def put_feedback(conn: sqlite3.Connection, seq: int, item: Feedback) -> None:
    """Record a verdict; a later verdict on the same flag replaces the earlier one."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO feedback (analysis_seq, target, key, verdict, technique, span_start, span_end, "
            "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (analysis_seq, target, key) DO UPDATE SET verdict = excluded.verdict, "
            "technique = excluded.technique, span_start = excluded.span_start, span_end = excluded.span_end, "
            "note = excluded.note, created_at = excluded.created_at",
            (
                seq,
                item.target,
                item.key,
                item.verdict,
                item.technique,
                item.start,
                item.end,
                item.note,
                item.created_at,
            ),
        )


def remove_feedback(conn: sqlite3.Connection, seq: int, target: str, key: str) -> bool:
    with transaction(conn):
        cur = conn.execute(
            "DELETE FROM feedback WHERE analysis_seq = ? AND target = ? AND key = ?", (seq, target, key)
        )
        return cur.rowcount > 0


def feedback_for(conn: sqlite3.Connection, seq: int) -> list[Feedback]:
    rows = conn.execute(
        "SELECT target, key, verdict, technique, span_start, span_end, note, created_at FROM feedback "
        "WHERE analysis_seq = ? ORDER BY id",
        (seq,),
    ).fetchall()
    return [Feedback(*row) for row in rows]


def with_feedback(conn: sqlite3.Connection) -> Iterator[tuple[StoredAnalysis, list[Feedback]]]:
    """Every analysis that has feedback, oldest first, with its feedback (for the training export)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM analyses WHERE seq IN (SELECT analysis_seq FROM feedback) ORDER BY seq"
    ).fetchall()
    for row in rows:
        stored = _row(row)
        yield stored, feedback_for(conn, stored.seq)
