"""`unspin serve` as users run it: a real process from the CLI, killed without warning mid-analysis;
every analysis it acknowledged is still in the database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from serve_support import free_port
from unspin.store import analyses as store
from unspin.store.db import connect

TEXT = (
    "The so-called experts are lying to you. Everybody knows the truth.\n\nThey will pay for this betrayal."
)


def test_killed_server_loses_no_acknowledged_analysis(tmp_path: Path) -> None:
    db, port = tmp_path / "kill.db", free_port()
    env = {**os.environ, "UNSPIN_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "unspin", "serve", "--port", str(port), "--db", str(db), "--no-seed"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        assert "/api/analyze" in httpx.get(base + "/openapi.json").json()["paths"]
        assert httpx.get(base + "/docs").status_code == 200
        ids = [
            httpx.post(base + "/api/analyze", json={"text": f"{TEXT} {i}"}, timeout=30).json()["id"]
            for i in range(3)
        ]
        in_flight = threading.Thread(
            target=lambda: _quietly(
                lambda: httpx.post(base + "/api/analyze", json={"text": TEXT * 40}, timeout=30)
            )
        )
        in_flight.start()
        time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # no shutdown, no checkpoint
        proc.wait(timeout=10)
        in_flight.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    conn = connect(db)
    assert all(store.get(conn, i) is not None for i in ids)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _quietly(fn) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(httpx.HTTPError):  # the server was killed under it: that is the point
        fn()
