"""The SSRF address policy: which hosts and addresses a URL fetch may reach.

A URL is vetted before anything connects to it:

* only ``http``/``https``; the host is parsed with httpx's own URL parser (the one that connects), so a
  second parser cannot disagree about which host is meant;
* numeric hosts are parsed the way browsers and ``inet_aton`` do (``2130706433``, ``0x7f.1``, ``127.1``),
  and an IPv4 address wrapped in IPv6 (IPv4-mapped, 6to4, NAT64) is judged by the IPv4 host it reaches;
* host names are resolved with a deadline, and every address they resolve to must be public (one private
  answer refuses the whole URL); ``localhost`` names are refused without asking a resolver.

The vetted addresses are what :mod:`unspin.ingest.url` then pins its connections to. httpx is imported
only when a URL is vetted, so importing this module stays cheap.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unspin.errors import BadInput, ForbiddenTarget, NetworkError, UnsupportedScheme

if TYPE_CHECKING:
    import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_DEFAULT_PORTS = {"http": 80, "https": 443}
_ALLOW_HINT = "pass --allow-private to fetch it anyway"
# A DNS name as httpx hands it over (IDNA already applied, lower case); anything else is not a host.
_HOSTNAME = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?:\.(?!-)[a-z0-9_-]{1,63})*\.?$")
# The NAT64 well-known prefix (RFC 6052): 64:ff9b::a.b.c.d reaches the IPv4 host a.b.c.d.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_NUMBER = re.compile(r"(?:0[xX])?[0-9a-fA-F]*")  # the characters a part of a numeric host may hold


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    host: str  # exactly as the connection layer will see it (httpx's raw_host)
    port: int
    addresses: tuple[IPAddress, ...]


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
    if not _IPV4_NUMBER.fullmatch(part):
        # int() also takes signs and underscores: "-9.254.160" crashed the guard (found by fuzzing).
        return None
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
    import httpx  # the parser that connects; imported here so this module does not need it up front

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise BadInput(f"{str(url)!r} is not a valid URL: {err}.") from None
    scheme = parsed.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise UnsupportedScheme(f"Refusing {shown}: unspin only fetches http and https URLs.")
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
        raise ForbiddenTarget(f"Refusing to fetch {host}: it is a loopback host name", _ALLOW_HINT)
    else:
        addresses = _resolve(host, port, deadline)
    if not allow_private:
        for ip in addresses:
            reason = _forbidden_reason(ip)
            if reason is not None:
                what = "the address is" if literal is not None else f"it resolves to {ip}, which is"
                raise ForbiddenTarget(f"Refusing to fetch {host}: {what} {reason}", _ALLOW_HINT)
    return _Target(url=parsed, host=host, port=port, addresses=addresses)


def check_url(url: str, *, allow_private: bool = False, timeout: float = 10.0) -> None:
    """Raise unless ``url`` is an http(s) URL whose host resolves only to public addresses.

    UnsupportedScheme: another scheme; ForbiddenTarget: a loopback, private, link-local, multicast or
    reserved address (unless ``allow_private``). BadInput: a malformed URL or host. NetworkError: the host does not resolve.
    """
    _vet(url, allow_private, time.monotonic() + timeout)
