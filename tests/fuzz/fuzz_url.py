"""Fuzz target: URL validation, the SSRF guard (``check_url`` and redirect hops), with a fake resolver.

Nothing touches the network: ``socket.getaddrinfo`` is replaced by a resolver that answers every name
with loopback, with a public and a private address, or with a public one only (chosen by the first
byte). Beyond "no crash": while names resolve to a private address, no URL with a host name may pass
(only a literal public IP can), every address that passes is public, and a numeric host that both we
and ``inet_aton`` read as IPv4 means the same address to both.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import time

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from unspin.errors import UnspinError
    from unspin.ingest import addresses
    from unspin.ingest.url import _redirect_target

NAME = "url"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
PREFIXES = ("", "http://", "https://", "HTTP://", "http://user:pw@", "https://[", "http://0x", "//")
ANSWERS = (("127.0.0.1",), ("93.184.216.34", "10.1.2.3"), ("93.184.216.34",), ("::1", "93.184.216.34"))

_answer: tuple[str, ...] = ANSWERS[0]


def _fake_getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for ip in _answer:
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        out.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port)))
    return out


SEEDS = [
    b"\x01example.com/news/story?id=1#top",
    b"\x00127.0.0.1:8000/",
    b"\x012130706433/",
    b"\x010x7f.1/",
    b"\x01[::ffff:127.0.0.1]/",
    b"\x01[64:ff9b::a00:1]/",
    b"\x02169.254.169.254/latest/meta-data/\n//localhost/admin",
    b"\x02example.org/a\n../../b?c=d",
    b"\x00file:///etc/passwd",
    b"\x00gopher://127.0.0.1:70/_x",
    b"\x01xn--bcher-kva.example/",
    b"\x01localhost./",
]


def _is_public(ip: addresses.IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None and not inner.is_global:
            return False
    return ip.is_global and not ip.is_loopback and not ip.is_private


def _check_inet_aton(host: str) -> None:
    if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
        return
    try:
        ours = addresses._numeric_ipv4(host)
    except UnspinError:
        return
    try:
        theirs = ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return
    assert ours is None or ours == theirs, f"{host!r}: we read {ours}, inet_aton reads {theirs}"


def check(data: bytes) -> None:
    # Patched only while an input runs: pytest imports this module too, and other tests resolve for real.
    real = socket.getaddrinfo
    socket.getaddrinfo = _fake_getaddrinfo  # type: ignore[assignment]
    try:
        _check(data)
    finally:
        socket.getaddrinfo = real


def _check(data: bytes) -> None:
    global _answer
    if not data:
        return
    _answer = ANSWERS[data[0] % len(ANSWERS)]
    names_private = any(not _is_public(ipaddress.ip_address(ip)) for ip in _answer)
    text = data[1:].decode("utf-8", "replace")
    url, _, location = text.partition("\n")
    url = PREFIXES[data[0] // len(ANSWERS) % len(PREFIXES)] + url
    _check_inet_aton(url.split("//", 1)[-1].split("/", 1)[0])
    deadline = time.monotonic() + 5
    hops = [url]
    target = addresses._vet(url, False, deadline)
    if location:
        next_url = _redirect_target(target, location)
        hops.append(str(next_url))
        target = addresses._vet(next_url, False, deadline)
    # The last hop passed the guard: it must reach only public addresses.
    assert target.addresses and all(_is_public(ip) for ip in target.addresses), (hops, target.addresses)
    if names_private:
        assert addresses._literal_ip(target.host) is not None, f"a name resolving to {_answer} passed: {hops}"


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=512)
    sys.exit(0)
