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
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import httpcore
import httpx

from unspin.errors import BadInput, NetworkError, Refused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

from unspin.ingest.limits import URL_MAX_BYTES  # noqa: E402  (re-exported)

MAX_REDIRECTS = 5
# The whole fetch (DNS, every hop, the body) must finish within this many per-operation timeouts.
DEADLINE_FACTOR = 3.0
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ALLOW_HINT = "pass --allow-private to fetch it anyway"
# A DNS name as httpx hands it over (IDNA already applied, lower case); anything else is not a host.
_HOSTNAME = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?:\.(?!-)[a-z0-9_-]{1,63})*\.?$")
# The NAT64 well-known prefix (RFC 6052): 64:ff9b::a.b.c.d reaches the IPv4 host a.b.c.d.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class FetchResult:
    """A fetched response body and what the server said about it."""

    body: bytes
    url: str  # the final URL, after redirects
    content_type: str | None  # the media type only, lower case, e.g. "text/html"
    charset: str | None  # the charset parameter of Content-Type, if any


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    host: str  # exactly as the connection layer will see it (httpx's raw_host)
    port: int
    addresses: tuple[IPAddress, ...]


def _user_agent() -> str:
    try:
        version = metadata.version("unspin")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"unspin/{version} (+persuasion-technique analysis; one page per request)"


# --- Address policy -----------------------------------------------------------------------------------


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 IPv6 address leads to, if it is one of those."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _forbidden_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched by default ("loopback", "private" ...), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            # Judge the IPv4 host the packets end up at; the wrapper prefix itself is routable (NAT64).
            reason = _forbidden_reason(inner)
            return None if reason is None else f"{reason} (embedded in {ip})"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _parse_ipv4_number(part: str) -> int | None:
    """One part of a numeric IPv4 host, in decimal, octal (leading 0) or hex (0x), as inet_aton reads it."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError:
        return None


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """``host`` as an IPv4 address if it is written as numbers (``127.1``, ``0x7f.1``, ``2130706433``).

    Follows the WHATWG URL standard: a host whose last label is a number is an IPv4 address or invalid,
    never a DNS name. Raises BadInput for numeric hosts that are no valid address.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # one trailing dot is allowed: "127.0.0.1."
    last = parts[-1].lower()
    if not (last.isdigit() or re.fullmatch(r"0x[0-9a-f]*", last)):
        return None
    numbers = [_parse_ipv4_number(p) if p else None for p in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        raise BadInput(f"The URL host {host!r} is neither a valid IP address nor a host name.")
    values = [n for n in numbers if n is not None]
    *head, tail = values
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(values)):
        raise BadInput(f"The URL host {host!r} is not a valid IPv4 address.")
    value = tail
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _literal_ip(host: str) -> IPAddress | None:
    """The address a host written as an IP literal denotes, or None for a DNS name."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise BadInput(f"The URL host {host!r} is not a valid IPv6 address.") from None
    return _numeric_ipv4(host)


def _resolve(host: str, port: int, deadline: float) -> tuple[IPAddress, ...]:
    """Every address ``host`` resolves to, in the resolver's order; NetworkError on failure or timeout.

    ``getaddrinfo`` has no timeout of its own, so it runs in a daemon thread that we stop waiting for at
    the deadline (the thread ends when the system resolver gives up).
    """
    result: list[Any] = []

    def lookup() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP))
        except Exception as err:
            result.append(err)

    worker = threading.Thread(target=lookup, name=f"unspin-dns-{host}", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if not result:
        raise NetworkError(f"Could not resolve host {host}: the DNS lookup timed out.")
    answer = result[0]
    if isinstance(answer, socket.gaierror):
        raise NetworkError(f"Could not resolve host {host}: {answer.strerror or answer}.")
    if isinstance(answer, Exception):
        raise NetworkError(f"Could not resolve host {host}: {answer}.")
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in answer:
        ip = ipaddress.ip_address(str(sockaddr[0]))  # keeps an IPv6 zone ("%eth0"): needed to connect
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise NetworkError(f"Could not resolve host {host}: no addresses.")
    return tuple(addresses)


def _vet(url: str | httpx.URL, allow_private: bool, deadline: float) -> _Target:
    """Parse and check one URL, resolve its host, and refuse it if any address is off limits."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise BadInput(f"{str(url)!r} is not a valid URL: {err}.") from None
    scheme = parsed.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise Refused(f"Refusing {shown}: unspin only fetches http and https URLs.")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise BadInput(f"The URL {str(url)!r} has no host.")
    try:
        port = parsed.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        raise BadInput(f"The URL {str(url)!r} has an invalid port.") from None
    if not 0 < port < 65536:
        raise BadInput(f"The URL {str(url)!r} has an invalid port {port}.")

    literal = _literal_ip(host)
    if literal is not None:
        addresses: tuple[IPAddress, ...] = (literal,)
    elif not _HOSTNAME.match(host):
        raise BadInput(f"The URL host {host!r} is not a valid host name.")
    elif not allow_private and (host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost")):
        # RFC 6761: these names are loopback whatever a resolver says; refuse without asking one.
        raise Refused(f"Refusing to fetch {host}: it is a loopback host name; {_ALLOW_HINT}.")
    else:
        addresses = _resolve(host, port, deadline)
    if not allow_private:
        for ip in addresses:
            reason = _forbidden_reason(ip)
            if reason is not None:
                what = "the address is" if literal is not None else f"it resolves to {ip}, which is"
                raise Refused(f"Refusing to fetch {host}: {what} {reason}; {_ALLOW_HINT}.")
    return _Target(url=parsed, host=host, port=port, addresses=addresses)


def check_url(url: str, *, allow_private: bool = False, timeout: float = 10.0) -> None:
    """Raise unless ``url`` is an http(s) URL whose host resolves only to public addresses.

    Refused: another scheme, or a loopback/private/link-local/multicast/reserved address (unless
    ``allow_private``). BadInput: a malformed URL or host. NetworkError: the host does not resolve.
    """
    _vet(url, allow_private, time.monotonic() + timeout)


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


def _too_large(host: str, max_bytes: int) -> Refused:
    return Refused(
        f"The response from {host} is larger than {max_bytes:,} bytes, the download limit; "
        "pass a larger --max-bytes to raise it."
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
    ``DEADLINE_FACTOR * timeout``. Raises Refused (scheme, private address, body over ``max_bytes``),
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
