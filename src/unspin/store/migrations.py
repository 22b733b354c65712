"""The database schema as an ordered list of migrations.

Each migration runs once, in its own transaction, and records its version in ``schema_version``. Never
edit a migration that has shipped: append a new one (the web server's analyses table, the dense vectors
of known claims ...). Versions must be 1, 2, 3 ... in list order; ``db.py`` checks that.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _sql(script: str) -> Callable[[sqlite3.Connection], None]:
    # Split into statements the way sqlite3 does: a trigger body holds semicolons of its own.
    statements: list[str] = []
    pending = ""
    for line in script.strip().splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())

    def apply(conn: sqlite3.Connection) -> None:
        # One statement at a time: executescript() would COMMIT the migration's transaction.
        for statement in statements:
            conn.execute(statement)

    return apply


# Known claims. `id` is AUTOINCREMENT so an id is never reused after a delete: tables keyed by claim id
# (claim_vectors) can never point at the wrong claim. Lists are JSON arrays. `claim_keys` maps
# every stable key a claim is known under (its own and those of the records merged into it) to its id,
# which is what makes re-imports idempotent. The FTS table is external-content (no second copy of the
# text) and kept in step by triggers, except while a row sits in claims_fts_bulk: a bulk load into an
# empty table sets it inside its transaction and rebuilds the index once at the end (6x faster than
# indexing row by row), so no other connection ever sees the flag.
_CLAIMS_V1 = """
CREATE TABLE claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CHECK (length(title) > 0),
    summary TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '',
    disproof TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    date TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    url TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(languages)),
    keywords TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords)),
    countries TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(countries)),
    provenance TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(provenance)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX claims_date ON claims (date);
CREATE TABLE claim_keys (
    key TEXT PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX claim_keys_claim ON claim_keys (claim_id);
CREATE VIRTUAL TABLE claims_fts USING fts5 (
    title, summary, disproof, keywords,
    content = 'claims', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE claims_fts_bulk (flag INTEGER);
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims
WHEN NOT EXISTS (SELECT 1 FROM claims_fts_bulk) BEGIN
    INSERT INTO claims_fts (rowid, title, summary, disproof, keywords)
    VALUES (new.id, new.title, new.summary, new.disproof, new.keywords);
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims
WHEN NOT EXISTS (SELECT 1 FROM claims_fts_bulk) BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, title, summary, disproof, keywords)
    VALUES ('delete', old.id, old.title, old.summary, old.disproof, old.keywords);
END;
CREATE TRIGGER claims_fts_update AFTER UPDATE OF title, summary, disproof, keywords ON claims
WHEN NOT EXISTS (SELECT 1 FROM claims_fts_bulk) BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, title, summary, disproof, keywords)
    VALUES ('delete', old.id, old.title, old.summary, old.disproof, old.keywords);
    INSERT INTO claims_fts (rowid, title, summary, disproof, keywords)
    VALUES (new.id, new.title, new.summary, new.disproof, new.keywords);
END;
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    errors INTEGER NOT NULL
)
"""

# Dense sentence vectors of known claims (see claims/vectors.py): one per claim, float16 bytes (384 x 2),
# tagged with the model that made them, so a new model re-embeds instead of mixing spaces. A claim whose
# title or summary changes loses its vector (the trigger) and is embedded again on the next dense search.
_VECTORS_V2 = """
CREATE TABLE claim_vectors (
    claim_id INTEGER PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX claim_vectors_model ON claim_vectors (model);
CREATE TRIGGER claim_vectors_stale AFTER UPDATE OF title, summary ON claims BEGIN
    DELETE FROM claim_vectors WHERE claim_id = old.id;
END
"""

# The web server's stored analyses (store/analyses.py) and analysts' feedback on them. `seq` orders the
# history and keys feedback; `id` is the random public id of the shareable link (not guessable, so a link
# reveals one analysis, not how many exist). One row per (input hash, model version): the same input read
# by the same model is served from here. `text` duplicates the analysis JSON's text so the external-content
# FTS index can search it. Feedback: one current verdict per flag (`target` + `key`), or a missed span.
_ANALYSES_V3 = """
CREATE TABLE analyses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    input_hash TEXT NOT NULL,
    model_version TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    spans INTEGER NOT NULL DEFAULT 0,
    json TEXT NOT NULL CHECK (json_valid(json)),
    created_at TEXT NOT NULL,
    UNIQUE (input_hash, model_version)
);
CREATE VIRTUAL TABLE analyses_fts USING fts5 (
    title, text, content = 'analyses', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER analyses_fts_insert AFTER INSERT ON analyses BEGIN
    INSERT INTO analyses_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER analyses_fts_delete AFTER DELETE ON analyses BEGIN
    INSERT INTO analyses_fts (analyses_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    analysis_seq INTEGER NOT NULL REFERENCES analyses (seq) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('span', 'narrative', 'entity', 'claim')),
    key TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'wrong', 'missed')),
    technique TEXT,
    span_start INTEGER CHECK (span_start IS NULL OR span_start >= 0),
    span_end INTEGER CHECK (span_end IS NULL OR span_end >= span_start),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (analysis_seq, target, key)
);
"""

MIGRATIONS: list[Migration] = [
    Migration(1, "known claims: claims, claim_keys, claims_fts (FTS5), imports", _sql(_CLAIMS_V1)),
    Migration(2, "dense vectors of known claims: claim_vectors", _sql(_VECTORS_V2)),
    Migration(3, "web server: analyses, analyses_fts (FTS5), feedback", _sql(_ANALYSES_V3)),
]
