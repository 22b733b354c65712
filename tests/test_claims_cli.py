"""`unspin claims import|search|stats` end to end, and the bundled EUvsDisinfo cases: seeding, counts,
search, and idempotence against the raw exports they were built from."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from unspin.claims import cli as claims_cli
from unspin.claims.bundle import BUNDLE_PATH, EXPORT_2018, EXPORT_2021, build, write
from unspin.claims.importers import files as importers
from unspin.cli import main
from unspin.data.semeval2023 import default_data_dir

EUVS = default_data_dir() / "euvsdisinfo"
needs_exports = pytest.mark.skipif(
    not (EUVS / EXPORT_2018).is_file() or not (EUVS / EXPORT_2021).is_file(),
    reason="the EUvsDisinfo exports are not in ../shared/data",
)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    """A database seeded the way a user's is: by the first command that needs the claims."""
    db = tmp_path_factory.mktemp("claims") / "unspin.db"
    code, out, err = run("claims", "stats", "--json", "--db", str(db))
    assert code == 0
    return db, json.loads(out), err


def bundle_records() -> list[dict[str, Any]]:
    with gzip.open(BUNDLE_PATH, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_first_use_seeds_every_unique_bundled_case(seeded: tuple[Path, dict[str, Any], str]) -> None:
    _, stats, err = seeded
    records = bundle_records()
    assert "first use" in err
    assert stats["claims"] == len(records) == len({r["key"] for r in records}) == 11_007
    both = {EXPORT_2018, EXPORT_2021}
    assert set(stats["by_source"]) == both
    old = sum(1 for r in records if any(p["source"] == EXPORT_2018 for p in r["provenance"]))
    assert stats["with_disproof"] == old
    assert stats["first_date"] == "2015-01-06" and stats["last_date"] == "2021-02-18"


def test_bundled_import_is_idempotent(seeded: tuple[Path, dict[str, Any], str]) -> None:
    db, _, _ = seeded
    code, out, _ = run("claims", "import", "--bundled", "--db", str(db))
    assert code == 0 and "0 imported, 0 updated, 11007 skipped" in out


def test_search_nato_expansion_finds_nato_cases(seeded: tuple[Path, dict[str, Any], str]) -> None:
    db, _, _ = seeded
    code, out, _ = run(
        "claims", "search", "NATO expansion", "--limit", "5", "--json", "--mode", "bm25", "--db", str(db)
    )
    results = json.loads(out)
    assert code == 0 and len(results) == 5
    for result in results:
        text = " ".join([result["title"], *result["keywords"]]).lower()
        assert "nato" in text
    assert "expan" in results[0]["title"].lower()
    assert results[0]["url"].startswith("https://euvsdisinfo.eu/report/")
    # The score shown is the meaning similarity analyses show (a cosine), not the ranker's BM25 or RRF score.
    assert all(isinstance(r["similarity"], float) and 0.0 <= r["similarity"] <= 1.0 for r in results)
    assert "score" not in results[0]


def test_search_table(seeded: tuple[Path, dict[str, Any], str]) -> None:
    db, _, _ = seeded
    code, out, _ = run(
        "claims", "search", 'NEAR( "MH17" AND *', "--limit", "3", "--mode", "bm25", "--db", str(db)
    )
    assert code == 0 and "MH17" in out and "similarity" in out


@needs_exports
def test_raw_exports_after_the_bundle_add_nothing(seeded: tuple[Path, dict[str, Any], str]) -> None:
    db, _, _ = seeded
    code, out, err = run(
        "claims", "import", str(EUVS / EXPORT_2018), str(EUVS / EXPORT_2021), "--db", str(db)
    )
    assert code == 0, err
    assert f"{EXPORT_2018}: 0 imported, 0 updated, 3071 skipped, 0 rejected (euvsdisinfo-2018)" in out
    assert f"{EXPORT_2021}: 0 imported, 0 updated, 10892 skipped, 0 rejected (euvsdisinfo-2021)" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 11_007


@needs_exports
def test_bundle_rebuilds_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "bundle.jsonl.gz"
    write(build(EUVS), out)
    assert out.read_bytes() == BUNDLE_PATH.read_bytes()


def test_import_prints_counts_and_bad_rows_by_line(tmp_path: Path) -> None:
    db, path = tmp_path / "u.db", tmp_path / "mine.csv"
    path.write_text("claim,verdict,url,date\nGood,False,,2020-01-01\n,False,,\nAlso good,True,,\n")
    code, out, err = run("claims", "import", str(path), "--db", str(db))
    assert code == 0
    assert f"{path}: 2 imported, 0 updated, 0 skipped, 1 rejected (csv)" in out
    assert f"{path}:3: empty claim" in err
    code, out, _ = run("claims", "import", str(path), "--db", str(db))
    assert code == 0 and "0 imported, 0 updated, 2 skipped" in out
    code, out, _ = run("claims", "search", "good", "--json", "--db", str(db))
    assert code == 0 and {r["title"] for r in json.loads(out)} == {
        "Good",
        "Also good",
    }  # no seeding: not empty


@pytest.mark.parametrize(
    ("content", "args", "code", "words"),
    [
        (b"\x00\x01\x02binary" * 100, [], 2, "binary"),
        (b"claim,verdict,url,date\nx,,,\n", [], 2, "nothing was imported"),
        (b"claim,verdict,url,date\n" + b"x,False,,\n" * 50, ["--max-bytes", "100"], 3, "limit"),
        (b"a,b\n1,2\n", [], 2, "unrecognised CSV header"),
    ],
)
def test_unusable_files_exit_with_their_code(
    tmp_path: Path, content: bytes, args: list[str], code: int, words: str
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    got, _, err = run("claims", "import", str(path), "--db", str(tmp_path / "u.db"), *args)
    assert got == code and words in err and "Traceback" not in err
    with sqlite3.connect(tmp_path / "u.db") as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("claim,verdict,url,date\nFine,False,,\n")
    code, out, err = run(
        "claims", "import", str(tmp_path / "missing.csv"), str(good), "--db", str(tmp_path / "u.db")
    )
    assert code == 2 and "no such file" in err and "1 imported" in out


def test_usage_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    assert run("claims", "import", "--db", db)[0] == 2
    code, _, err = run("claims", "search", "  *** ", "--db", db)
    assert code == 2 and "no words" in err
    assert run("claims", "search", "x", "--limit", "0", "--db", db)[0] == 2
    assert run("claims", "frobnicate")[0] == 2


def test_parser_constants_match_the_readers() -> None:
    assert claims_cli.FORMATS == importers.FORMATS
    assert claims_cli.DEFAULT_MAX_BYTES == importers.DEFAULT_MAX_BYTES


def test_stats_text(seeded: tuple[Path, dict[str, Any], str]) -> None:
    db, _, _ = seeded
    code, out, _ = run("claims", "stats", "--db", str(db))
    assert code == 0 and "11,007 known claims" in out and "Russian" in out
