"""Fetching a URL without becoming a proxy into the user's network (the SSRF guard).

A URL given to unspin may come from anyone (a chat message, a web form in front of the tool), so it must
not reach loopback, private, link-local or cloud-metadata addresses unless the user allows it. The guard:

* only ``http``/``https``; the host is parsed with httpx's own URL parser (the one that connects), so a
  second parser cannot disagree about which host is meant;
* every address the host resolves to must be public (one private answer refuses the whole URL), and
  numeric hosts are parsed the way browsers and ``inet_aton`` do (``2130706433``, ``0x7f.1``, ``127.1``);
* the connection goes to exactly the addresses that were checked: a network backend pinned to them opens
  the socket, so a DNS answer that changes between check and connect (DNS rebinding) cannot slip through;
* redirects are followed by hand, at most ``MAX_REDIRECTS``, each hop checked again;
* the body is streamed and cut off above ``max_bytes`` (after gzip decoding, so a compression bomb is
  cut too), and every socket operation is bounded by both the per-operation timeout and a total deadline,
  so a server that drips one byte a second cannot hold us forever.

The first two points (which hosts and addresses are allowed) live in :mod:`unspin.ingest.addresses`;
this module is the pinned transport and the fetch itself.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import httpcore
import httpx

from unspin.errors import NetworkError, TooLarge
from unspin.ingest.addresses import IPAddress, _Target, _vet, check_url
from unspin.ingest.limits import URL_MAX_BYTES  # re-exported

__all__ = ["DEADLINE_FACTOR", "MAX_REDIRECTS", "URL_MAX_BYTES", "FetchResult", "check_url", "fetch_url"]

MAX_REDIRECTS = 5
# The whole fetch (DNS, every hop, the body) must finish within this many per-operation timeouts.
DEADLINE_FACTOR = 3.0


@dataclass(frozen=True)
class FetchResult:
    """A fetched response body and what the server said about it."""

    body: bytes
    url: str  # the final URL, after redirects
    content_type: str | None  # the media type only, lower case, e.g. "text/html"
    charset: str | None  # the charset parameter of Content-Type, if any


def _user_agent() -> str:
    try:
        version = metadata.version("unspin")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"unspin/{version} (+persuasion-technique analysis; one page per request)"


# --- Pinned, deadline-bounded connections ------------------------------------------------------------


class _DeadlineExceeded(httpcore.TimeoutException):
    """The total deadline passed (as opposed to one read or connect timing out)."""


def _remaining(deadline: float, timeout: float | None) -> float:
    """The timeout for the next socket operation: the operation's own, cut short by the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlineExceeded("the total time limit for the download ran out")
    return left if timeout is None else min(timeout, left)


@contextmanager
def _deadline_guard(deadline: float) -> Iterator[None]:
    """Report a timeout that happened because the deadline cut it short as the deadline's."""
    try:
        yield
    except httpcore.TimeoutException as err:
        if isinstance(err, _DeadlineExceeded) or time.monotonic() < deadline:
            raise
        raise _DeadlineExceeded("the total time limit for the download ran out") from err


def _ssl_context() -> ssl.SSLContext:
    """Certificate verification as httpx does it by default (a module function so tests can trust a CA)."""
    return httpx.create_ssl_context()


def _open_stream(ip: IPAddress, port: int, timeout: float | None) -> httpcore.NetworkStream:
    """Open a TCP connection to exactly ``ip`` (a module function so tests can redirect it)."""
    return httpcore.SyncBackend().connect_tcp(str(ip), port, timeout=timeout)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation also ends by the overall deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _deadline_guard(self._deadline):
            return self._inner.read(max_bytes, _remaining(self._deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _deadline_guard(self._deadline):
            self._inner.write(buffer, _remaining(self._deadline, timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        with _deadline_guard(self._deadline):
            inner = self._inner.start_tls(ssl_context, server_hostname, _remaining(self._deadline, timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects a vetted host name only to the addresses vetted for it; anything else is an error."""

    def __init__(self, deadline: float) -> None:
        self._deadline = deadline
        self._pins: dict[tuple[str, int], tuple[IPAddress, ...]] = {}

    def pin(self, target: _Target) -> None:
        self._pins[(target.host, target.port)] = target.addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host.lower(), port))
        if not addresses:
            # Never happens when the URL came through _vet; refusing is the safe answer if it does.
            raise httpcore.ConnectError(f"{host}:{port} was not checked before connecting")
        error: Exception | None = None
        for ip in addresses:  # like a browser, try the next address when one does not answer
            try:
                with _deadline_guard(self._deadline):
                    stream = _open_stream(ip, port, _remaining(self._deadline, timeout))
                return _DeadlineStream(stream, self._deadline)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                error = err
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class _PinnedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool that uses the pinned backend (HTTP/1.1 only)."""

    def __init__(self, backend: _PinnedBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=backend,
            http1=True,
            http2=False,
            retries=0,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- Fetching ----------------------------------------------------------------------------------------


def _too_large(host: str, max_bytes: int) -> TooLarge:
    return TooLarge(
        f"The response from {host} is larger than {max_bytes:,} bytes, the download limit",
        "pass a larger --max-bytes to raise it",
    )


def _failure(host: str, err: Exception, timeout: float, deadline_s: float) -> NetworkError:
    """One sentence naming the host and why the request failed."""
    if isinstance(err, _DeadlineExceeded):
        reason = f"the download did not finish within {deadline_s:g} seconds"
    elif isinstance(err, httpcore.ConnectTimeout | httpx.ConnectTimeout):
        reason = f"the connection timed out after {timeout:g} seconds"
    elif isinstance(err, httpcore.TimeoutException | httpx.TimeoutException):
        reason = f"the server sent nothing for {timeout:g} seconds"
    elif isinstance(err, httpcore.ConnectError | httpx.ConnectError):
        reason = f"could not connect ({err or 'connection failed'})"
    elif isinstance(err, httpcore.ProtocolError | httpx.ProtocolError):
        reason = f"the server broke the HTTP protocol ({err})"
    elif isinstance(err, httpx.DecodingError):
        reason = f"the response could not be decompressed ({err})"
    else:
        reason = str(err) or type(err).__name__
    return NetworkError(f"Could not fetch from {host}: {reason}.")


def _read_body(response: httpx.Response, host: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(host, max_bytes)  # no need to download what we would refuse
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decoded (gunzipped) bytes: the cap applies to what we keep
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(host, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _redirect_target(target: _Target, location: str) -> httpx.URL:
    try:
        return target.url.join(location)
    except (httpx.InvalidURL, ValueError) as err:
        raise NetworkError(
            f"Could not fetch from {target.host}: it redirected to a bad URL ({err})."
        ) from None


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = URL_MAX_BYTES,
) -> FetchResult:
    """GET ``url`` with the SSRF guard (see the module docstring); return the body and its metadata.

    ``timeout`` bounds each connect/read/write; the whole fetch, redirects included, must finish within
    ``DEADLINE_FACTOR * timeout``. Raises Refused (UnsupportedScheme, ForbiddenTarget, TooLarge: body over ``max_bytes``),
    BadInput (malformed URL) or NetworkError (DNS, connection, timeout, HTTP status >= 400, too many
    redirects).
    """
    deadline_s = DEADLINE_FACTOR * timeout
    deadline = time.monotonic() + deadline_s
    backend = _PinnedBackend(deadline)
    headers = {
        "User-Agent": _user_agent(),
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    }
    with httpx.Client(
        transport=_PinnedTransport(backend),
        headers=headers,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,  # each hop is vetted below
        trust_env=False,  # no proxies or .netrc credentials from the environment for arbitrary URLs
    ) as client:
        current: str | httpx.URL = url
        for _hop in range(MAX_REDIRECTS + 1):
            target = _vet(current, allow_private, deadline)
            backend.pin(target)
            host = target.host
            try:
                with client.stream("GET", target.url) as response:
                    if response.is_redirect:
                        current = _redirect_target(target, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                        raise NetworkError(f"Could not fetch from {host}: the server answered {status}.")
                    if not response.is_success:
                        raise NetworkError(
                            f"Could not fetch from {host}: unexpected HTTP status {response.status_code}."
                        )
                    body = _read_body(response, host, max_bytes)
                    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    return FetchResult(
                        body=body,
                        url=str(target.url),
                        content_type=media_type or None,
                        charset=response.charset_encoding,
                    )
            except (httpcore.TimeoutException, httpx.TimeoutException) as err:
                raise _failure(host, err, timeout, deadline_s) from None
            except (httpcore.NetworkError, httpcore.ProtocolError, httpx.TransportError) as err:
                raise _failure(host, err, timeout, deadline_s) from None
            except (httpx.DecodingError, httpx.StreamError) as err:
                raise _failure(host, err, timeout, deadline_s) from None
    raise NetworkError(f"Could not fetch {url}: more than {MAX_REDIRECTS} redirects.")
