"""The server's settings, shared by the CLI, the app factory and uvicorn's worker processes.

With ``--workers N`` uvicorn imports the app once per process, so the settings travel as JSON in an
environment variable (``SETTINGS_ENV``) rather than as Python objects.
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from unspin.options import RunOptions

SETTINGS_ENV = "UNSPIN_SERVE_SETTINGS"
TOKEN_ENV = "UNSPIN_TOKEN"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host.strip("[]") in ("localhost", "::1"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None  # required on every /api/ call when set; required to bind beyond loopback
    max_body_bytes: int = 2_000_000
    run: RunOptions = field(default_factory=RunOptions)  # precision, threads, max bytes: as `unspin analyze`
    rate_per_s: float = 10.0  # per-client sustained API requests per second; 0 turns the limit off
    rate_burst: int = 40
    max_queue: int = 16  # analyses waiting or running in one worker; more are answered 503
    max_wait_s: float = 1.0  # shed a request when the expected wait for the analyzer exceeds this
    allow_private_urls: bool = False  # let URL analysis reach loopback/private addresses (tests only)
    fetch_timeout_s: float = 10.0
    allowed_hosts: tuple[str, ...] = field(default=())  # Host headers accepted; () = derived from host

    def hosts(self) -> list[str]:
        """Host headers to accept. On loopback only loopback names: that stops DNS rebinding, where a web
        page re-points its own domain at 127.0.0.1 to reach this server from a browser."""
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        if is_loopback(self.host):
            names = [h for h in LOOPBACK_NAMES if not h.startswith("[")]
            return [*names, self.host.strip("[]")] if self.host.strip("[]") not in names else names
        return ["*"]

    def to_env(self) -> str:
        return json.dumps(asdict(self), default=str)

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(SETTINGS_ENV)
        if not raw:
            return cls(token=os.environ.get(TOKEN_ENV) or None)
        data = json.loads(raw)
        data["allowed_hosts"] = tuple(data.get("allowed_hosts") or ())
        run = data.get("run") or {}
        if run.get("db") is not None:
            run["db"] = Path(run["db"])
        data["run"] = RunOptions(**run)
        return cls(**data)
