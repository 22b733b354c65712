"""Secure-by-default HTTP layer, as one ASGI middleware in front of the app.

On every response: a strict Content-Security-Policy (only this origin's own files; no inline script or
style, no framing), nosniff, no referrer. On every request: the Host header must be one the server
answers to (DNS-rebinding guard on loopback). On ``/api/`` requests: the API token when one is set, a
per-client token-bucket rate limit, JSON-only POST bodies (a cross-site form cannot send JSON without a
CORS preflight, which this server never grants) and a hard body-size limit, enforced while reading.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are dropped, so memory stays bounded


class TokenBuckets:
    """Per-client token buckets: ``rate`` tokens a second, up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, max(1, burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until a token is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
            return wait


def _host_allowed(host: str, allowed: list[str]) -> bool:
    if "*" in allowed:
        return True
    name = host[1 : host.index("]")] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
    return name.lower() in allowed or f"[{name.lower()}]" in allowed or (name == "::1" and "::1" in allowed)


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        max_body: int,
        rate: float,
        burst: int,
        hosts: list[str],
    ) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.buckets = TokenBuckets(rate, burst) if rate > 0 else None
        self.hosts = [h.lower() for h in hosts]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in _OURS]
                headers.extend(SECURITY_HEADERS)
                if scope["path"].startswith("/api/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1")
        if not _host_allowed(host, self.hosts):
            await _problem(send_secured, 400, "This server does not answer to that Host header.")
            return
        path: str = scope["path"]
        if path.startswith("/api/"):
            refusal = self._check_api(scope, headers)
            if refusal is not None:
                status, message, extra = refusal
                await _problem(send_secured, status, message, extra)
                return
            if scope["method"] in ("POST", "PUT", "PATCH"):
                body = await self._read_body(receive)
                if body is None:
                    message = f"The request body is over the limit of {self.max_body:,} bytes."
                    await _problem(send_secured, 413, message)
                    return
                receive = _replay(body, receive)
        await self.app(scope, receive, send_secured)

    def _check_api(
        self, scope: Scope, headers: dict[bytes, bytes]
    ) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        if self.token is not None:
            given = headers.get(b"authorization", b"").decode("latin-1")
            bearer = (
                given[7:]
                if given[:7].lower() == "bearer "
                else headers.get(b"x-unspin-token", b"").decode("latin-1")
            )
            if not secrets.compare_digest(bearer.encode(), self.token.encode()):
                return (
                    401,
                    "A valid API token is required: send 'Authorization: Bearer <token>'.",
                    [(b"www-authenticate", b"Bearer")],
                )
        if self.buckets is not None:
            client = scope.get("client")
            wait = self.buckets.take(client[0] if client else "?")
            if wait > 0:
                retry = str(max(1, math.ceil(wait))).encode()
                return 429, "Too many requests from this client; slow down.", [(b"retry-after", retry)]
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return 413, f"The request body is over the limit of {self.max_body:,} bytes.", []
        if scope["method"] == "POST":
            ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if ctype != b"application/json":
                return 415, "Send the request body as JSON (Content-Type: application/json).", []
        return None

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, counted as it arrives (a chunked body has no Content-Length to check up
        front); None as soon as it passes the limit. Bodies are small (2 MB by default), so buffering
        them here is cheaper than unwinding a half-read request inside the app."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


_OURS = {name for name, _ in SECURITY_HEADERS}


async def _problem(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"error": message, "status": status}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})
