"""The known-claims store: database setup and migrations, idempotent upserts, all-or-nothing writes,
and BM25 search that no user text can break."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from unspin.claims.records import KnownClaim, Provenance, count, get, stats, upsert_claims
from unspin.claims.search import fts_query, fuse, rank_bm25, search, search_bm25
from unspin.errors import BadInput
from unspin.store.db import connect, default_db_path, migrate, schema_version
from unspin.store.migrations import MIGRATIONS, Migration


def claim(title: str, source: str = "a.csv", line: int = 2, **kw: object) -> KnownClaim:
    values: dict[str, object] = {"verdict": "False", "key": f"text:{title}", "date": "2020-01-02"}
    values.update(kw)
    return KnownClaim(title=title, provenance=(Provenance(source, "csv", line),), **values)  # type: ignore[arg-type]


def dump(conn: sqlite3.Connection) -> list[str]:
    return list(conn.iterdump())


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "unspin.db")


CLAIMS = [
    claim("NATO expansion to the East is military aggression", keywords=("NATO",)),
    claim("The EU is collapsing because of migrants", summary="Brussels cannot stop the migrant flow."),
    claim("Vaccines contain microchips", disproof="NATO experts found no microchips."),
    claim("NATO promised Russia not to expand", url="https://example.org/nato-promise"),
    claim("Ukraine shelled its own cities to blame Russia"),
]


def test_wal_foreign_keys_and_busy_timeout(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_run_once_and_record_their_version(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    first = connect(path)
    assert schema_version(first) == len(MIGRATIONS)
    rows = first.execute("SELECT version, name FROM schema_version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
    assert migrate(first) == []  # nothing left to do
    first.close()
    again = connect(path)  # reopening runs nothing twice
    assert again.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)

    # A later issue appends a migration: only it runs.
    def create_later(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE later (x)")

    added = Migration(len(MIGRATIONS) + 1, "test table", create_later)
    assert migrate(again, [*MIGRATIONS, added]) == [added.version]
    assert schema_version(again) == added.version
    assert migrate(again, [*MIGRATIONS, added]) == []


def test_migrations_must_be_numbered_in_order(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError):
        migrate(conn, [*MIGRATIONS, Migration(len(MIGRATIONS) + 2, "gap", lambda c: None)])


def test_refuses_foreign_newer_and_non_databases(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE bookmarks (url TEXT)")
    with pytest.raises(BadInput, match="did not create"):
        connect(foreign)

    newer = tmp_path / "newer.db"
    connect(newer).execute("INSERT INTO schema_version VALUES (999, 'future', 'now')")
    with pytest.raises(BadInput, match="newer"):
        connect(newer)

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(BadInput):
        connect(junk)
    with pytest.raises(BadInput, match="folder"):
        connect(tmp_path)


def test_default_path_follows_env_and_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("UNSPIN_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "unspin" / "unspin.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_db_path() == Path.home() / ".local" / "share" / "unspin" / "unspin.db"
    monkeypatch.setenv("UNSPIN_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"


def test_upsert_is_idempotent(conn: sqlite3.Connection) -> None:
    first = upsert_claims(conn, CLAIMS)
    assert (first.imported, first.updated, first.skipped) == (5, 0, 0)
    before = dump(conn)
    again = upsert_claims(conn, CLAIMS)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 5)
    assert count(conn) == 5 and dump(conn) == before


def test_rows_repeated_in_one_import_fold_into_one_claim(conn: sqlite3.Connection) -> None:
    a, b = claim("Same claim", line=2), claim("Same claim", line=9, keywords=("extra",))
    counts = upsert_claims(conn, [a, b])
    assert (counts.imported, counts.skipped) == (1, 1)
    stored = get(conn, counts.ids[0])
    assert stored is not None
    assert [p.line for p in stored.provenance] == [2, 9] and stored.keywords == ("extra",)


def test_a_merged_record_finds_its_parts_by_alias(conn: sqlite3.Connection) -> None:
    old = claim("Only Ukraine had the BUK", source="old.csv", summary="Long summary", key="text:old")
    upsert_claims(conn, [old])
    merged = claim(
        "Only Ukraine had the BUK…",
        source="new.csv",
        url="https://example.org/case",
        key="url:https://example.org/case",
        aliases=("text:old",),
    )
    merged = KnownClaim(**{**merged.__dict__, "provenance": (*merged.provenance, *old.provenance)})
    counts = upsert_claims(conn, [merged])
    assert (counts.imported, counts.updated) == (0, 1)
    assert count(conn) == 1
    stored = get(conn, counts.ids[0])
    assert stored is not None
    # The whole title beats the truncated one; the older record's summary survives; both keys find it.
    assert stored.title == "Only Ukraine had the BUK" and stored.summary == "Long summary"
    assert stored.url == "https://example.org/case"
    assert set(stored.all_keys()) == {"text:old", "url:https://example.org/case"}
    # Re-importing either part alone changes nothing.
    assert upsert_claims(conn, [old]).skipped == 1
    assert upsert_claims(conn, [merged]).skipped == 1


def test_reimport_of_the_only_source_updates_the_claim(conn: sqlite3.Connection) -> None:
    upsert_claims(conn, [claim("Re-rated claim", verdict="Unproven")])
    counts = upsert_claims(conn, [claim("Re-rated claim", verdict="False")])
    assert counts.updated == 1
    stored = get(conn, counts.ids[0])
    assert stored is not None and stored.verdict == "False"


def test_a_constraint_failure_mid_import_leaves_the_database_unchanged(conn: sqlite3.Connection) -> None:
    upsert_claims(conn, CLAIMS[:2])
    before = dump(conn)
    broken = claim("A bad date breaks the CHECK constraint", date="yesterday")
    with pytest.raises(sqlite3.IntegrityError):
        upsert_claims(conn, [*CLAIMS[2:4], broken, CLAIMS[4]])
    assert dump(conn) == before and count(conn) == 2
    assert not conn.in_transaction


def test_a_crash_mid_import_leaves_the_database_unchanged(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspin.claims import records as store_claims

    upsert_claims(conn, CLAIMS[:1])
    before = dump(conn)
    real_insert, calls = store_claims._insert, []

    def failing_insert(*args: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk on fire")
        return real_insert(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_claims, "_insert", failing_insert)
    with pytest.raises(OSError):
        upsert_claims(conn, CLAIMS[1:])
    assert dump(conn) == before


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "NEAR(", "NEAR(a b", "AND OR", "NOT", "a AND", "title:nato", "(((", ")", "-", "^x", "'",
     "nato*", "{title}: x", "Путин лжёт", "北约东扩", "🙂", "", "   ", "_", "a\x00b", "x" * 5000, "NATO " * 200],
)  # fmt: skip
def test_hostile_queries_never_raise(conn: sqlite3.Connection, query: str) -> None:
    upsert_claims(conn, CLAIMS)
    results = search_bm25(conn, query, 5)
    assert isinstance(results, list) and len(results) <= 5


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('NEAR( "nato" AND *') == '"NEAR" OR "nato"'  # "and": a stop word
    assert fts_query("AND OR not") == '"AND" OR "OR" OR "not"'  # only stop words: kept, quoted
    assert fts_query("The war in the east") == '"war" OR "east"'
    assert fts_query("  ") is None and fts_query("🙂 _") is None


def test_bm25_ranks_the_exact_title_first(conn: sqlite3.Connection) -> None:
    upsert_claims(conn, CLAIMS)
    for target in CLAIMS:
        results = search_bm25(conn, target.title, 5)
        assert results[0][0].title == target.title
        assert results == sorted(results, key=lambda r: -r[1])


def test_title_words_outrank_the_same_words_in_the_disproof(conn: sqlite3.Connection) -> None:
    upsert_claims(conn, CLAIMS)
    titles = [c.title for c, _ in search_bm25(conn, "NATO", 5)]
    assert titles.index("Vaccines contain microchips") > titles.index("NATO promised Russia not to expand")


def test_search_fuses_another_ranking_by_rank(conn: sqlite3.Connection) -> None:
    counts = upsert_claims(conn, CLAIMS)
    vaccine_id = counts.ids[2]

    def dense(_c: sqlite3.Connection, _q: str, _n: int) -> list[tuple[int, float]]:
        return [(vaccine_id, 0.99)]  # stands in for the later embedding ranker

    fused = search(conn, "NATO expansion", 3, rankers=(rank_bm25, dense))
    assert vaccine_id in [c.id for c, _ in fused]
    assert fuse([[(1, 9.0), (2, 8.0)], [(2, 0.5)]], 2)[0][0] == 2


def test_stats_and_get(conn: sqlite3.Connection) -> None:
    counts = upsert_claims(conn, [*CLAIMS, claim("Undated", date=None, languages=("English",))])
    data = stats(conn)
    assert data["claims"] == 6 and data["undated"] == 1
    assert data["with_disproof"] == 1 and data["without_disproof"] == 5
    assert data["first_date"] == data["last_date"] == "2020-01-02"
    assert data["by_source"] == {"a.csv": 6} and data["by_language"] == {"English": 1}
    stored = get(conn, counts.ids[3])
    assert stored is not None and stored.url == "https://example.org/nato-promise"
    assert get(conn, 10**9) is None


def test_bulk_load_indexes_once_and_leaves_triggers_on(conn: sqlite3.Connection) -> None:
    many = [claim(f"Bulk claim number {i} about topic{i}") for i in range(600)]
    assert upsert_claims(conn, many).imported == 600
    assert conn.execute("SELECT count(*) FROM claims_fts_bulk").fetchone()[0] == 0
    conn.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")
    assert search_bm25(conn, "topic599", 1)[0][0].title == "Bulk claim number 599 about topic599"
    upsert_claims(conn, [claim("A later claim about zeppelins")])  # row by row again
    assert search_bm25(conn, "zeppelins", 1)[0][0].title == "A later claim about zeppelins"


def test_bm25_budget_interrupts_and_answers_empty(conn: sqlite3.Connection) -> None:
    """A spent budget gives [] (the caller falls back to meaning), and the connection still works."""
    upsert_claims(conn, CLAIMS)
    found = rank_bm25(conn, "NATO expansion", 10)
    assert len(found) >= 2
    assert rank_bm25(conn, "NATO expansion", 10, budget_ms=-1.0) == []
    assert rank_bm25(conn, "NATO expansion", 10, budget_ms=10_000.0) == found
    assert rank_bm25(conn, "NATO expansion", 10) == found  # the handler is gone
