"""Helpers shared by the server's tests: an app on a temporary database, and a live uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from unspin.options import RunOptions
from unspin.serve.app import create_app
from unspin.serve.config import Settings


def settings(db: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "run": RunOptions(db=db),
        "allowed_hosts": ("testserver", "127.0.0.1", "localhost"),
    }
    base.update(overrides)
    return Settings(**base)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(analyzer: Any, config: Settings) -> Iterator[str]:
    """A real uvicorn on a free loopback port, in a thread, sharing the test session's analyzer."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(config, analyzer), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
