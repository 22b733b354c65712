"""`kill -9` during `unspin claims import`, at random moments: afterwards the database passes
``PRAGMA integrity_check`` (and the FTS index its own check), holds each file's claims all or none (one
transaction per file, logged in ``imports`` in that same transaction), and the same command run again
finishes the work with nothing duplicated: the same claims as a clean import, key for key.

The suite kills at 2 random points; ``UNSPIN_KILL_POINTS=20`` (``make reliability``) at 20. Embedding for
meaning search is switched off here (``UNSPIN_SIMILARITY_DIR`` pointing at an empty folder): it writes in
transactions of its own after the import, and would make each run ~10x longer.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kill_support import save_report

ROWS_PER_FILE = 1500
FILES = ("a.csv", "b.csv")


@dataclass
class KillReport:
    kills: int = 0  # processes really killed mid-run (not finished before the signal)
    survived: int = 0  # kills after which every check passed
    lost: int = 0  # records missing after the rerun
    duplicated: int = 0  # records present twice after the rerun
    states: dict[str, int] = field(default_factory=dict)  # what each kill left behind


def write_files(folder: Path) -> list[Path]:
    paths = []
    for n, name in enumerate(FILES):
        lines = ["claim,verdict,url,date"]
        for i in range(n * ROWS_PER_FILE, (n + 1) * ROWS_PER_FILE):
            lines.append(
                f"Claim {i}: the moon is made of cheese {i * 7919 % 10007},False,https://fc.example/review/{i},2020-01-{i % 28 + 1:02d}"
            )
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def command(files: list[Path], db: Path) -> list[str]:
    return [sys.executable, "-m", "unspin", "claims", "import", *map(str, files), "--db", str(db)]


def environment(folder: Path) -> dict[str, str]:
    empty = folder / "no-similarity-model"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "UNSPIN_SIMILARITY_DIR": str(empty)}


def check_consistent(db: Path) -> str:
    """Every invariant a killed import must leave; returns which files' claims are in ("", "a", "a+b")."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "claims" not in tables:
            return "no schema"  # killed before the first migration committed
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO claims_fts (claims_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT count(*) FROM claims_fts_bulk").fetchone()[0] == 0  # no bulk flag left
        numbers = [int(url.rsplit("/", 1)[1]) for (url,) in conn.execute("SELECT url FROM claims")]
        per_file = []
        for n, name in enumerate(FILES):
            have = sum(1 for i in numbers if n * ROWS_PER_FILE <= i < (n + 1) * ROWS_PER_FILE)
            logged = conn.execute("SELECT count(*) FROM imports WHERE source = ?", (name,)).fetchone()[0]
            assert have in (0, ROWS_PER_FILE), (
                f"{name}: {have} of {ROWS_PER_FILE} claims: a half-written file"
            )
            assert (have > 0) == (logged > 0), f"{name}: claims and the import log disagree"
            per_file.append(have > 0)
        total = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert total == ROWS_PER_FILE * sum(per_file)
        # No half-written record: every claim has its key, and every key its claim.
        orphans = conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_keys k WHERE k.claim_id = c.id)"
        ).fetchone()[0]
        assert orphans == 0
        return "+".join(name[0] for name, done in zip(FILES, per_file, strict=True) if done) or "none"
    finally:
        conn.close()


def wait_for(db: Path, proc: subprocess.Popen[bytes]) -> float:
    """Wait until the import has created the database file (or ended); return that moment."""
    while not db.exists() and proc.poll() is None:
        time.sleep(0.005)
    return time.monotonic()


def claim_rows(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT key, title, url FROM claims ORDER BY key").fetchall()
    finally:
        conn.close()


def kill_points(folder: Path, points: int, seed: int = 7) -> KillReport:
    files = write_files(folder)
    env = environment(folder)
    clean = folder / "clean.db"
    started = time.monotonic()
    proc = subprocess.Popen(
        command(files, clean), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    opened_s = wait_for(clean, proc) - started
    assert proc.wait(timeout=300) == 0
    # Kill points are drawn over the time the process has the database open (interpreter start-up, which
    # touches nothing, would only waste them): from migrations through both files' transactions.
    work_s = time.monotonic() - started - opened_s
    expected = claim_rows(clean)
    assert len(expected) == len(FILES) * ROWS_PER_FILE
    rng = random.Random(seed)
    report = KillReport()
    point = 0
    while report.kills < points and point < 2 * points:  # a run that finished first is no kill point
        point += 1
        db = folder / f"kill{point}.db"
        proc = subprocess.Popen(
            command(files, db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(db, proc)
        time.sleep(rng.uniform(0.0, 0.9) * work_s)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if not finished:
            report.kills += 1
        state = check_consistent(db) if db.exists() else "no file"
        report.states[state] = report.states.get(state, 0) + 1
        rerun = subprocess.run(command(files, db), env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        check_consistent(db)
        got = claim_rows(db)
        keys = [k for k, _, _ in got]
        report.duplicated += len(keys) - len(set(keys))
        report.lost += len({k for k, _, _ in expected} - set(keys))
        assert got == expected, f"kill point {point}: the rerun's claims differ from a clean import"
        report.survived += 0 if finished else 1
        db.unlink()
    return report


def test_kill_during_claims_import_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    points = int(os.environ.get("UNSPIN_KILL_POINTS", "2"))
    report = kill_points(tmp_path, points)
    print(f"\nclaims import: {report}")
    save_report("kill_claims_import", report)
    assert (report.lost, report.duplicated) == (0, 0)
    assert report.kills >= max(1, points // 2), f"too few kills landed mid-run: {report}"
