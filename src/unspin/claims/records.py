"""Known claims: the typed record, how two records of one claim merge, and the table's read/write API.

A claim is identified by a stable ``key`` computed by its reader (``url:…`` for a case or review page,
``text:…`` from its words, date and source otherwise). Records merged into one claim (the same EUvsDisinfo
case in both exports) keep every source's key as an alias in ``claim_keys``, so importing any of those
sources again finds the claim instead of adding a duplicate.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from unspin.claims.normalize import is_truncated, unique
from unspin.store.db import transaction, utc_now


@dataclass(frozen=True, order=True)
class Provenance:
    """Where a record came from: the file's name, the reader, and the line the record starts on."""

    source: str  # file name, e.g. "cases-2015-2018-with-disproof.csv"
    format: str  # reader: euvsdisinfo-2018 | euvsdisinfo-2021 | claimreview | csv
    line: int  # 1-based line where the record starts in that file


@dataclass(frozen=True)
class KnownClaim:
    """A claim that someone has already checked, with what they found."""

    title: str  # the claim itself, one line
    summary: str = ""  # how the claim was told (EUvsDisinfo summary; ClaimReview description)
    verdict: str = ""  # "disinformation", "False", "Mostly true" ... as the reviewer put it
    disproof: str = ""  # the reviewer's explanation
    source: str = ""  # who made the claim: outlet(s) or claimant
    source_url: str = ""  # where the claim appeared
    reviewer: str = ""  # who checked it: EUvsDisinfo, a fact-checking organisation
    date: str | None = None  # ISO date the claim was published (else reviewed)
    url: str = ""  # the case or review page
    languages: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    key: str = ""  # stable identity (see module docstring); set by the reader
    aliases: tuple[str, ...] = ()  # keys of records merged into this one
    id: int | None = None  # row id once stored; stable for the life of the claim

    def all_keys(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies every value, a third of the bundled import's time.
        data = {f.name: getattr(self, f.name) for f in _FIELDS}
        for name in ("languages", "keywords", "countries", "aliases"):
            data[name] = list(data[name])
        data["provenance"] = [_provenance_dict(p) for p in self.provenance]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnownClaim:
        """Rebuild a record from ``to_dict()`` output (the bundle, ``--json``); unknown keys are ignored."""
        values = {k: v for k, v in data.items() if k in _FIELD_NAMES}
        for name in ("languages", "keywords", "countries", "aliases"):
            values[name] = tuple(values.get(name) or ())
        values["provenance"] = tuple(Provenance(**p) for p in values.get("provenance") or ())
        return cls(**values)


_FIELDS = fields(KnownClaim)
_FIELD_NAMES = frozenset(f.name for f in _FIELDS)


def _provenance_dict(p: Provenance) -> dict[str, Any]:
    return {"source": p.source, "format": p.format, "line": p.line}


_SCALARS = ("summary", "verdict", "disproof", "source", "source_url", "reviewer", "date", "url")
_LISTS = ("languages", "keywords", "countries")


def _pick_title(preferred: str, other: str) -> str:
    # A title cut short with an ellipsis ("Only Ukraine had the BUK that shot…") loses to a whole one.
    if other and (not preferred or (is_truncated(preferred) and not is_truncated(other))):
        return other
    return preferred


def _merge(first: KnownClaim, second: KnownClaim, *, second_wins: bool, replace_sources: bool) -> KnownClaim:
    winner, loser = (second, first) if second_wins else (first, second)
    values: dict[str, Any] = {"title": _pick_title(winner.title, loser.title)}
    for name in _SCALARS:
        values[name] = getattr(winner, name) or getattr(loser, name)
    for name in _LISTS:
        incoming = getattr(second, name)
        if second_wins and incoming:
            values[name] = incoming  # an update may drop a keyword
        else:
            values[name] = unique((*getattr(winner, name), *getattr(loser, name)))
    dropped = {p.source for p in second.provenance} if replace_sources else set()
    kept = [p for p in first.provenance if p.source not in dropped]
    values["provenance"] = tuple(sorted(set(kept) | set(second.provenance)))
    values["aliases"] = tuple(
        k for k in unique((*first.aliases, second.key, *second.aliases)) if k != first.key
    )
    return replace(first, **values)


def combine_duplicates(first: KnownClaim, other: KnownClaim) -> KnownClaim:
    """Two records of one claim read in the same import: ``first`` wins, ``other`` fills its gaps, lists
    and provenance are united."""
    return _merge(first, other, second_wins=False, replace_sources=False)


def merge_into(existing: KnownClaim, incoming: KnownClaim) -> KnownClaim:
    """A stored claim meets an imported record of it.

    If every source the stored claim came from is being imported again, the import is an update of it
    (a re-rated verdict, a corrected title): the incoming values win. If other sources contributed too,
    the stored values stay and the incoming record only fills gaps and adds list items, so re-importing
    one of two merged exports never undoes the merge. Either way the incoming sources' provenance replaces
    what those sources said before.
    """
    existing_sources = {p.source for p in existing.provenance}
    incoming_sources = {p.source for p in incoming.provenance}
    update = existing_sources <= incoming_sources
    return _merge(existing, incoming, second_wins=update, replace_sources=True)


def group_duplicates(claims: Iterable[KnownClaim]) -> tuple[list[KnownClaim], int]:
    """Combine records that share any key; return the records in first-seen order and how many rows
    were folded into an earlier one."""
    groups: list[KnownClaim] = []
    where: dict[str, int] = {}
    folded = 0
    for claim in claims:
        index = next((where[k] for k in claim.all_keys() if k in where), None)
        if index is None:
            index = len(groups)
            groups.append(claim)
        else:
            groups[index] = combine_duplicates(groups[index], claim)
            folded += 1
        for k in groups[index].all_keys():
            where.setdefault(k, index)
    return groups, folded


# --- the table ----------------------------------------------------------------------------------------

_COLUMNS = ("key", "title", *_SCALARS, *_LISTS, "provenance")


# One encoder for every row: json.dumps() with options builds a new encoder per call, which was a fifth
# of the bundled import's time. Rows are compared as stored text, so they must always encode alike.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _row_values(claim: KnownClaim) -> list[Any]:
    values: list[Any] = [claim.key, claim.title]
    values += [getattr(claim, name) for name in _SCALARS]
    values += [_encode(list(getattr(claim, name))) for name in _LISTS]
    values.append(_encode([_provenance_dict(p) for p in claim.provenance]))
    return values


def _from_row(row: sqlite3.Row | Sequence[Any], aliases: Sequence[str] = ()) -> KnownClaim:
    data = dict(zip(("id", *_COLUMNS), row, strict=False))
    for name in _LISTS:
        data[name] = tuple(json.loads(data[name]))
    data["provenance"] = tuple(Provenance(**p) for p in json.loads(data["provenance"]))
    data["aliases"] = tuple(k for k in aliases if k != data["key"])
    return KnownClaim(**data)


_SELECT = "SELECT id, " + ", ".join(_COLUMNS) + " FROM claims"


def get(conn: sqlite3.Connection, claim_id: int) -> KnownClaim | None:
    row = conn.execute(_SELECT + " WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return None
    aliases = [
        r[0] for r in conn.execute("SELECT key FROM claim_keys WHERE claim_id = ? ORDER BY key", (claim_id,))
    ]
    return _from_row(row, aliases)


def get_many(conn: sqlite3.Connection, claim_ids: Sequence[int]) -> dict[int, KnownClaim]:
    """Claims by id (aliases left out: search results do not need them)."""
    out: dict[int, KnownClaim] = {}
    for start in range(0, len(claim_ids), 500):  # stay under SQLite's host-parameter limit
        chunk = list(claim_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(_SELECT + f" WHERE id IN ({marks})", chunk):
            out[int(row[0])] = _from_row(row)
    return out


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])


@dataclass
class UpsertCounts:
    imported: int = 0  # new claims
    updated: int = 0  # stored claims that changed
    skipped: int = 0  # rows that changed nothing: already stored as they are, or repeated in the input
    ids: list[int] = field(default_factory=list)  # every claim touched, for callers that index them


def _content(claim: KnownClaim) -> KnownClaim:
    return replace(claim, id=None, aliases=())


def _insert(conn: sqlite3.Connection, claim: KnownClaim, now: str) -> int:
    marks = ", ".join("?" * (len(_COLUMNS) + 2))
    cursor = conn.execute(
        f"INSERT INTO claims ({', '.join(_COLUMNS)}, created_at, updated_at) VALUES ({marks})",
        [*_row_values(claim), now, now],
    )
    return int(cursor.lastrowid or 0)


def _update(conn: sqlite3.Connection, claim_id: int, claim: KnownClaim, now: str) -> None:
    assignments = ", ".join(f"{name} = ?" for name in _COLUMNS[1:])
    conn.execute(
        f"UPDATE claims SET {assignments}, updated_at = ? WHERE id = ?",
        [*_row_values(claim)[1:], now, claim_id],
    )


# Loading at least this many claims into an empty table indexes them in one FTS rebuild.
_BULK_MIN = 500


@dataclass(frozen=True)
class ImportLog:
    """What to record about an import in the ``imports`` table: the provenance of the import itself."""

    source: str  # file name
    path: str
    format: str
    sha256: str
    errors: int = 0


def upsert_claims(
    conn: sqlite3.Connection, claims: Iterable[KnownClaim], *, log: ImportLog | None = None
) -> UpsertCounts:
    """Insert or merge ``claims`` (and log the import) in ONE transaction: on any error nothing is
    written. Re-importing the same records changes nothing and counts them as skipped."""
    groups, folded = group_duplicates(claims)
    counts = UpsertCounts(skipped=folded)
    now = utc_now()
    with transaction(conn):
        bulk = len(groups) >= _BULK_MIN and count(conn) == 0
        if bulk:  # see migrations.py: index once at the end instead of row by row
            conn.execute("INSERT INTO claims_fts_bulk (flag) VALUES (1)")
        for claim in groups:
            if not claim.key:
                raise ValueError(f"claim without a key: {claim.title[:60]!r}")
            keys = claim.all_keys()
            marks = ",".join("?" * len(keys))
            # The oldest claim known under any of the record's keys, in one query.
            row = conn.execute(
                _SELECT + f" WHERE id = (SELECT min(claim_id) FROM claim_keys WHERE key IN ({marks}))", keys
            ).fetchone()
            if row is None:
                claim_id = _insert(conn, claim, now)
                counts.imported += 1
            elif list(row[2:]) == _row_values(claim)[1:]:
                # Stored exactly as imported (the usual re-import): no need to decode and merge.
                claim_id = int(row[0])
                counts.skipped += 1
            else:
                claim_id = int(row[0])
                existing = _from_row(row)
                merged = merge_into(existing, claim)
                if _content(merged) != _content(existing):
                    _update(conn, claim_id, merged, now)
                    counts.updated += 1
                else:
                    counts.skipped += 1
            conn.executemany(
                "INSERT OR IGNORE INTO claim_keys (key, claim_id) VALUES (?, ?)",
                [(k, claim_id) for k in keys],
            )
            counts.ids.append(claim_id)
        if bulk:
            conn.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")
            conn.execute("DELETE FROM claims_fts_bulk")
        if log is not None:
            conn.execute(
                "INSERT INTO imports (source, path, format, sha256, imported_at, imported, updated, skipped, "
                "errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (log.source, log.path, log.format, log.sha256, now, counts.imported, counts.updated,
                 counts.skipped, log.errors),
            )  # fmt: skip
    return counts


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts for ``unspin claims stats``: totals, per source file, language, reviewer, verdict; dates."""

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in conn.execute(sql)}

    total = count(conn)
    first, last, undated = conn.execute(
        "SELECT min(date), max(date), sum(date IS NULL) FROM claims"
    ).fetchone()
    with_disproof = conn.execute("SELECT count(*) FROM claims WHERE disproof != ''").fetchone()[0]
    by_list = (
        "SELECT j.value, count(DISTINCT c.id) FROM claims c, json_each(c.{0}) j "
        "GROUP BY j.value ORDER BY count(DISTINCT c.id) DESC, j.value"
    )
    return {
        "claims": total,
        "with_disproof": int(with_disproof),
        "without_disproof": total - int(with_disproof),
        "first_date": first,
        "last_date": last,
        "undated": int(undated or 0),
        "by_source": pairs(
            "SELECT json_extract(p.value, '$.source') s, count(DISTINCT c.id) n "
            "FROM claims c, json_each(c.provenance) p GROUP BY s ORDER BY n DESC, s"
        ),
        "by_language": pairs(by_list.format("languages")),
        "by_reviewer": pairs(
            "SELECT reviewer, count(*) n FROM claims WHERE reviewer != '' GROUP BY reviewer ORDER BY n DESC, reviewer"
        ),
        "by_verdict": pairs(
            "SELECT verdict, count(*) n FROM claims WHERE verdict != '' GROUP BY verdict "
            "ORDER BY n DESC, verdict LIMIT 20"
        ),
        "imports": [
            dict(
                zip(
                    ("source", "format", "imported_at", "imported", "updated", "skipped", "errors"),
                    r,
                    strict=True,
                )
            )
            for r in conn.execute(
                "SELECT source, format, imported_at, imported, updated, skipped, errors FROM imports "
                "ORDER BY id DESC LIMIT 10"
            )
        ],
    }
