"""Open (or create) unspin's SQLite database: WAL, foreign keys, busy timeout, ordered migrations.

One file holds everything unspin stores (known claims, the web server's analyses and reviews). WAL lets
readers (a search, the web server) run while one writer imports. Connections are opened in autocommit
mode and writes go through ``transaction()``, so a failed import rolls back as a whole.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from unspin.errors import BadInput, UnspinError
from unspin.store.migrations import MIGRATIONS, Migration

DB_ENV = "UNSPIN_DB"
# A writer holds the lock for one import (about a second for the bundled claims): wait well past that.
BUSY_TIMEOUT_S = 15.0


class DatabaseBusy(UnspinError):
    """Another process held the write lock for longer than the busy timeout."""


def default_db_path() -> Path:
    """``$UNSPIN_DB``, else ``$XDG_DATA_HOME/unspin/unspin.db``, else ``~/.local/share/unspin/unspin.db``."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    # The XDG spec says relative values are invalid and must be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "unspin" / "unspin.db"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside commits together or not at all.

    BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead of
    failing half-way with "database is locked" when a read turns into a write.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise DatabaseBusy(
                "The database is busy: another unspin process is writing to it; try again in a moment."
            ) from err
        raise
    try:
        yield conn
    except BaseException:
        # SQLite may already have rolled back by itself (disk full, I/O error).
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied, 0 for a new database."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _check_migrations(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1, 2, 3 ... in order, got {versions}")


def _guard_foreign(conn: sqlite3.Connection) -> None:
    """Refuse to add our tables to an SQLite file some other program owns (a typo in --db)."""
    if schema_version(conn):
        return
    tables = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'schema_version'"
    ).fetchone()[0]
    if tables:
        raise BadInput("The database file holds tables unspin did not create; give another --db path.")


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet applied, each in its own transaction; return their versions."""
    _check_migrations(migrations)
    latest = migrations[-1].version if migrations else 0
    current = schema_version(conn)
    if current > latest:
        raise BadInput(
            f"The database has schema version {current}, newer than this unspin knows ({latest}); "
            "upgrade unspin or use another --db path."
        )
    if current == latest:
        return []  # the common case: no write lock taken
    applied: list[int] = []
    for migration in migrations:
        with transaction(conn):
            # Re-read under the write lock: another process may have migrated since we looked.
            _guard_foreign(conn)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            if schema_version(conn) >= migration.version:
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utc_now()),
            )
            applied.append(migration.version)
    return applied


def connect(
    path: str | Path | None = None, *, migrations: Sequence[Migration] = MIGRATIONS
) -> sqlite3.Connection:
    """Open the database at ``path`` (default: ``default_db_path()``), creating and migrating it.

    Raises BadInput when the path is a folder, cannot be created, or is not an SQLite database.
    """
    target = Path(path).expanduser() if path is not None else default_db_path()
    if str(target) != ":memory:":
        if target.is_dir():
            raise BadInput(f"The database path {target} is a folder; give a file path.")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BadInput(f"Cannot create the folder for the database {target}: {err.strerror}.") from err
    try:
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as err:
        raise BadInput(f"Cannot open the database {target}: {err}.") from err
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # WAL: readers never block the writer; NORMAL sync is durable enough in WAL (a power cut may lose
        # the last commit, never corrupt the file) and much faster than FULL.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, migrations)
    except sqlite3.DatabaseError as err:
        conn.close()
        message = str(err)
        if "locked" in message or "busy" in message:
            raise DatabaseBusy(
                "The database is busy: another unspin process is writing to it; try again in a moment."
            ) from err
        if "not a database" in message or "unable to open" in message or "readonly" in message:
            raise BadInput(f"Cannot use {target} as unspin's database: {message}.") from err
        raise  # anything else is a bug (in a migration, say): a traceback helps more than a sentence
    except BaseException:
        conn.close()
        raise
    return conn


class Database:
    """One SQLite file and its connections, one per thread (sqlite3 connections must stay on the thread
    that opened them; the server analyzes in worker threads). Datasette's ``Database`` is the model: every
    part of unspin that reads or writes the file goes through one of these.

    Nothing is created until a connection is asked for; ``exists`` tells whether there is a file to read,
    so an analysis can use a database without ever creating one as a side effect.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"

    @property
    def memory(self) -> bool:
        return str(self.path) == ":memory:"

    def exists(self) -> bool:
        return self.memory or self.path.is_file()

    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened (and the file created and migrated) on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                # One made on another thread cannot be closed from here; the process is ending anyway.
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
