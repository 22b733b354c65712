"""unspin's SQLite database: connection and migrations (``db``), known claims (``claims``, ``search``)."""

from __future__ import annotations

from unspin.store.claims import (
    KnownClaim,
    Provenance,
    UpsertCounts,
    count,
    get,
    stats,
    upsert_claims,
)
from unspin.store.db import connect, default_db_path, migrate, schema_version, transaction
from unspin.store.search import search, search_bm25

__all__ = [
    "KnownClaim",
    "Provenance",
    "UpsertCounts",
    "connect",
    "count",
    "default_db_path",
    "get",
    "migrate",
    "schema_version",
    "search",
    "search_bm25",
    "stats",
    "transaction",
    "upsert_claims",
]
