"""`kill -9` of a real `unspin serve` while it writes analyses, at random moments, again and again on the
same database: after every kill the database passes ``PRAGMA integrity_check`` and the FTS check, holds
every analysis the server acknowledged, and no half-written one (each row's JSON loads as an
``Analysis`` quoting the row's own text); a restarted server then answers every text ever sent, each
stored once (a repeated text gets the stored analysis back, by the same id).

The suite kills at 1 random point (tests/test_serve_process.py kills once more); ``UNSPIN_KILL_POINTS=20``
(``make reliability``) at 20. Each kill point costs a server start (the model loads in ~2-5 s).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kill_support import save_report
from serve_support import free_port
from unspin.analysis import Analysis

BASE = "The so-called experts are lying to you again. Everybody knows the truth.\n\nThey will pay for this, number"


@dataclass
class KillReport:
    kills: int = 0
    survived: int = 0
    acknowledged: int = 0  # analyses the server answered before it was killed
    lost: int = 0  # acknowledged analyses missing afterwards
    duplicated: int = 0  # texts stored more than once
    writes_in_flight: int = 0  # kills that landed with a request in flight (sent, not answered)
    states: dict[str, int] = field(default_factory=dict)


class Server:
    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "unspin", "serve", "--port", str(self.port), "--db", str(db), "--rate-limit", "0", "--no-seed"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "UNSPIN_TOKEN": ""},
            start_new_session=True,  # the kill takes any worker processes with it
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("the server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def check_database(db: Path, acknowledged: dict[int, str]) -> int:
    """The invariants after a kill; returns how many analyses are stored."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO analyses_fts (analyses_fts) VALUES ('integrity-check')")
        rows = conn.execute("SELECT id, text, json FROM analyses").fetchall()
        for _id, text, js in rows:
            analysis = Analysis.model_validate_json(js)  # a half-written row would not load
            assert analysis.text == text
        stored = {r[0] for r in rows}
        missing = [k for k, i in acknowledged.items() if i not in stored]
        assert not missing, f"acknowledged analyses lost: {missing}"
        return len(rows)
    finally:
        conn.close()


def text_of(k: int) -> str:
    return f"{BASE} {k}."


def kill_points(folder: Path, points: int, seed: int = 11) -> KillReport:
    db = folder / "serve.db"
    rng = random.Random(seed)
    acknowledged: dict[int, str] = {}  # text number -> analysis id
    sent = 0
    report = KillReport()
    for _ in range(points):
        server = Server(db)
        stop = threading.Event()
        in_flight: list[int] = []

        def client(
            base: str = server.base, stop: threading.Event = stop, in_flight: list[int] = in_flight
        ) -> None:
            nonlocal sent
            with httpx.Client(timeout=30) as http:
                while not stop.is_set():
                    k = sent
                    sent += 1
                    in_flight.append(k)
                    try:
                        response = http.post(base + "/api/analyze", json={"text": text_of(k)})
                    except httpx.HTTPError:
                        return  # killed under us: the point
                    if response.status_code == 200:
                        acknowledged[k] = response.json()["id"]
                    in_flight.remove(k)

        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        time.sleep(rng.uniform(0.1, 2.5))
        server.kill()
        stop.set()
        thread.join(timeout=30)
        report.kills += 1
        report.writes_in_flight += bool(in_flight)
        stored = check_database(db, acknowledged)
        report.states["in flight" if in_flight else "idle"] = (
            report.states.get("in flight" if in_flight else "idle", 0) + 1
        )
        assert stored >= len(acknowledged)
        report.survived += 1
    # The rerun: every text ever sent, acknowledged or not, is answered; the acknowledged ones by the same id.
    server = Server(db)
    try:
        with httpx.Client(timeout=60) as http:
            for k in range(sent):
                response = http.post(server.base + "/api/analyze", json={"text": text_of(k)})
                assert response.status_code == 200, response.text
                if k in acknowledged:
                    assert response.json()["id"] == acknowledged[k] and response.json()["cached"]
    finally:
        server.kill()
    stored = check_database(db, acknowledged)
    conn = sqlite3.connect(db)
    texts = [t for (t,) in conn.execute("SELECT text FROM analyses")]
    conn.close()
    report.acknowledged = len(acknowledged)
    report.duplicated = len(texts) - len(set(texts))
    report.lost = len({text_of(k) for k in range(sent)} - set(texts))
    assert stored == sent == len(set(texts)), (stored, sent)
    return report


def test_kill_while_the_server_writes_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    points = int(os.environ.get("UNSPIN_KILL_POINTS", "1"))
    report = kill_points(tmp_path, points)
    print(f"\nserve: {report}")
    save_report("kill_serve", report)
    assert (report.lost, report.duplicated) == (0, 0) and report.survived == points
    assert report.acknowledged > 0
