"""Kill a real `unspin batch` process with SIGKILL mid-run, run the same command again: every article
ends up exactly once, and the output is the same as an uninterrupted run's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_batch_support import articles, stable_lines, write_jsonl
from unspin.batch import BatchOptions, run_batch
from unspin.options import RunOptions

N = 30


def command(feed: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "unspin",
        "batch",
        str(feed),
        "-o",
        str(out),
        "--workers",
        "1",
        "--threads",
        "1",
        "--chunk",
        "2",
        "--progress",
        "lines",
        "--no-tables",
        "--no-known-claims",
    ]


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_sigkill_then_resume_loses_and_repeats_nothing(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", articles(N, paragraphs=4))
    out = tmp_path / "out"
    # its own session, so the kill takes its worker processes too (as a killed terminal would)
    proc = subprocess.Popen(command(feed, out), stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while lines_in(out / "analyses.jsonl") < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = lines_in(out / "analyses.jsonl")
    assert proc.returncode == -signal.SIGKILL
    assert 0 < killed_at < N, "the kill must land mid-run for this test to mean anything"

    rerun = subprocess.run(command(feed, out), capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming" in rerun.stderr

    resumed = stable_lines(out)
    ids = [r["id"] for r in resumed]
    assert sorted(ids) == sorted({a["id"] for a in articles(N)}) and len(ids) == N

    clean = tmp_path / "clean"
    run_batch(
        BatchOptions(
            inputs=[str(feed)],
            outdir=clean,
            workers=1,
            run=RunOptions(threads=1, match_claims=False),
            progress="none",
            tables=False,
        )
    )
    assert resumed == stable_lines(clean)
