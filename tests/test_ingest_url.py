"""The SSRF guard and real fetches from a local server (127.0.0.1 only; no outside network needed)."""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from test_ingest_html import ARTICLE, PARAGRAPHS
from unspin.errors import BadInput, NetworkError, Refused
from unspin.ingest import addresses as addresses_mod
from unspin.ingest import check_url, fetch_url, load_source
from unspin.ingest import url as url_mod

PUBLIC_IP = "93.184.216.34"  # globally routable; never actually contacted (tests redirect the socket)
_real_getaddrinfo = socket.getaddrinfo


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# --- A local test server ------------------------------------------------------------------------------


@dataclass
class Server:
    base: str
    port: int
    paths: list[str] = field(default_factory=list)  # every path requested, in order
    stop: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server_state: Server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        state = self.server_state
        state.paths.append(self.path)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        route = parts.path
        if route == "/page":
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif route == "/cp1251":
            body = "Сенат принял закон, который критики называют катастрофой.".encode("cp1251")
            self._send(200, body, "text/plain; charset=windows-1251")
        elif route == "/redirect":
            self._send(302, b"", Location=query["to"][0])
        elif route == "/loop":
            self._send(301, b"", Location="/loop")
        elif route == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif route == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the body ends when the connection does, i.e. never
            chunk = b"spin " * 2000
            try:
                while not state.stop.is_set():
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif route == "/huge-length":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "10000000000")
            self.end_headers()
            self.wfile.write(b"a few bytes")
        elif route == "/gzip-bomb":
            body = gzip.compress(b" " * 20_000_000)  # ~20 kB on the wire, 20 MB unpacked
            self._send(200, body, "text/plain", Content_Encoding="gzip")
        elif route == "/slow":
            state.stop.wait(10)  # accepts, then never answers
        elif route == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                while not state.stop.wait(0.05):  # one byte every 50 ms: no read ever times out
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
        else:
            self._send(404, b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False  # a hung handler must not block teardown
    port = httpd.server_address[1]
    state = Server(base=f"http://127.0.0.1:{port}", port=port)
    _Handler.server_state = state
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()


@dataclass
class TLSServer:
    port: int
    cert: Path


class _TLSHandler(_Handler):
    pass


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for news.example.com."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=news.example.com",
         "-addext", "subjectAltName=DNS:news.example.com"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _TLSHandler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    _TLSHandler.server_state = Server(base=f"https://127.0.0.1:{port}", port=port)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield TLSServer(port=port, cert=cert)
    _TLSHandler.server_state.stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def fake_public_dns(monkeypatch: pytest.MonkeyPatch, server: Server) -> list[str]:
    """Make news.example.com resolve to a public IP, and send connections for that IP to the local server.

    Returns the list of IPs the guard actually connected to.
    """
    connected: list[str] = []
    real_open = url_mod._open_stream

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if _is_ip(host):  # socket.create_connection "resolves" the pinned IP itself: no DNS involved
            return _real_getaddrinfo(host, port, *args, **kwargs)
        if host == "news.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def open_stream(ip: addresses_mod.IPAddress, port: int, timeout: float | None) -> httpcore.NetworkStream:
        connected.append(str(ip))
        if str(ip) == PUBLIC_IP:
            ip = ipaddress.IPv4Address("127.0.0.1")
        return real_open(ip, port, timeout)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(url_mod, "_open_stream", open_stream)
    return connected


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the guard must refuse before any DNS lookup or connection")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    monkeypatch.setattr(url_mod, "_open_stream", fail)


# --- The guard, without fetching ----------------------------------------------------------------------


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1.:8080/",
        "http://127.1/",
        "http://2130706433/",  # decimal
        "http://0x7f.1/",  # hex
        "http://0x7f000001/",
        "http://017700000001/",  # octal
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:7f00:1]/",
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[::127.0.0.1]/",  # IPv4-compatible (deprecated)
        "http://0.0.0.0/",
        "http://0/",
        "http://[::]/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fe80::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://[fc00::1]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "http://192.0.2.1/",  # documentation range
        "https://evil.example@127.0.0.1/",  # userinfo does not change the host
        "http://localhost/",
        "http://LOCALHOST./admin",
        "http://api.localhost:8000/",
    ],
)
def test_private_literals_and_names_are_refused_without_any_lookup(url: str) -> None:
    with pytest.raises(Refused, match="--allow-private"):
        check_url(url)
    with pytest.raises(Refused):
        fetch_url(url)


@pytest.mark.usefixtures("no_network")
def test_dotted_octal_is_refused_or_rejected() -> None:
    # httpx itself rejects zero-padded dotted quads, so this never reaches a resolver either way.
    with pytest.raises((Refused, BadInput)):
        check_url("http://0177.0.0.1/")


def test_any_private_answer_refuses_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fd00::5", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(Refused, match=r"rebind\.example: it resolves to fd00::5, which is private"):
        check_url("https://rebind.example/")
    check_url("https://rebind.example/", allow_private=True)


@pytest.mark.parametrize("address", [PUBLIC_IP, "2606:4700::1111", "64:ff9b::5db8:d822"])  # last: NAT64
def test_public_addresses_pass(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, port))],
    )
    check_url("https://news.example.com/story")


def test_allow_private_lets_literals_through() -> None:
    check_url("http://127.0.0.1:9/", allow_private=True)
    check_url("http://[::1]/", allow_private=True)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "gopher://x/", "ws://x/"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(Refused, match="only fetches http and https"):
        check_url(url)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(
    "url",
    [
        "http:///path",
        "http://999.1.1.1/",
        "http://1.2.3.4.5/",
        "http://a b/",
        "http://host:99999/",
        "http://x..1/",
    ],
)
def test_malformed_urls_are_bad_input(url: str) -> None:
    with pytest.raises(BadInput):
        check_url(url)


def test_dns_failure_is_a_network_error_naming_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: Any, **kwargs: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(NetworkError, match=r"no-such-host\.example.*Name or service not known"):
        fetch_url("https://no-such-host.example/")


def test_slow_dns_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: release.wait(10) and [])
    started = time.monotonic()
    with pytest.raises(NetworkError, match="timed out"):
        check_url("https://slow-dns.example/", timeout=0.3)
    release.set()
    assert time.monotonic() - started < 2


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_numeric_hosts_parse_like_inet_aton(value: int) -> None:
    ip = ipaddress.IPv4Address(value)
    a, b, c, d = ip.packed
    assert addresses_mod._numeric_ipv4(str(value)) == ip
    assert addresses_mod._numeric_ipv4(hex(value)) == ip
    assert addresses_mod._numeric_ipv4(f"{a}.{(b << 16) | (c << 8) | d}") == ip
    assert addresses_mod._numeric_ipv4(f"0{a:o}.0x{b:x}.{c}.{d}") == ip


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv6_wrappers_are_judged_by_their_ipv4_host(value: int) -> None:
    v4 = ipaddress.IPv4Address(value)
    public = addresses_mod._forbidden_reason(v4) is None
    for wrapped in (f"::ffff:{v4}", f"64:ff9b::{v4}", f"2002:{value >> 16:x}:{value & 0xFFFF:x}::1"):
        assert (addresses_mod._forbidden_reason(ipaddress.IPv6Address(wrapped)) is None) == public, wrapped


# --- Real fetches from the local server ---------------------------------------------------------------


def test_fetch_a_page(server: Server) -> None:
    result = fetch_url(f"{server.base}/page", allow_private=True)
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert result.url == f"{server.base}/page"
    assert result.body == ARTICLE.encode()


def test_load_a_page(server: Server) -> None:
    src = load_source(f"{server.base}/page", allow_private=True)
    assert src.title == "Senate passes sweeping bill"
    assert all(p in src.text.split("\n") for p in PARAGRAPHS)
    info = src.info
    assert (info.kind, info.name, info.url, info.content_type, info.encoding, info.extracted) == (
        "url",
        f"{server.base}/page",
        f"{server.base}/page",
        "text/html",
        "utf-8",
        True,
    )
    assert info.bytes == len(ARTICLE.encode())


def test_load_plain_text_with_declared_charset(server: Server) -> None:
    src = load_source(f"{server.base}/cp1251", allow_private=True)
    assert src.text == "Сенат принял закон, который критики называют катастрофой."
    assert (src.info.encoding, src.info.extracted) == ("cp1251", False)


def test_local_server_is_refused_by_default(server: Server) -> None:
    before = len(server.paths)
    with pytest.raises(Refused, match=r"127\.0\.0\.1.*loopback"):
        load_source(f"{server.base}/page")
    assert len(server.paths) == before  # no request was made


def test_redirects_are_followed_and_reported(server: Server) -> None:
    result = fetch_url(f"{server.base}/redirect?to=/page", allow_private=True)
    assert result.url == f"{server.base}/page"


def test_redirect_to_a_private_address_is_refused(server: Server, fake_public_dns: list[str]) -> None:
    secret = f"http://127.0.0.1:{server.port}/secret"
    with pytest.raises(Refused, match=r"127\.0\.0\.1.*loopback"):
        fetch_url(f"http://news.example.com:{server.port}/redirect?to={secret}")
    assert server.paths[-1].startswith("/redirect")  # the first hop was fetched ...
    assert "/secret" not in server.paths  # ... the private hop never was
    assert fake_public_dns == [PUBLIC_IP]


def test_redirect_to_localhost_by_name_is_refused(server: Server, fake_public_dns: list[str]) -> None:
    with pytest.raises(Refused, match="localhost"):
        fetch_url(f"http://news.example.com:{server.port}/redirect?to=http://localhost:{server.port}/secret")
    assert "/secret" not in server.paths


def test_redirect_to_another_scheme_is_refused(server: Server, fake_public_dns: list[str]) -> None:
    with pytest.raises(Refused, match="only fetches http and https"):
        fetch_url(f"http://news.example.com:{server.port}/redirect?to=file:///etc/passwd")


def test_connection_is_pinned_to_the_checked_address(
    server: Server, fake_public_dns: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rebinding resolver: public on the first lookup, loopback on any later one.
    calls: list[str] = []

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if _is_ip(host):
            return _real_getaddrinfo(host, port, *args, **kwargs)
        calls.append(host)
        ip = PUBLIC_IP if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    result = fetch_url(f"http://news.example.com:{server.port}/page")
    assert result.body == ARTICLE.encode()
    assert calls == ["news.example.com"]  # resolved once, by the guard; httpx never resolves by itself
    assert fake_public_dns == [PUBLIC_IP]  # and connected to exactly the address that was checked


def test_too_many_redirects(server: Server) -> None:
    with pytest.raises(NetworkError, match="redirects"):
        fetch_url(f"{server.base}/loop", allow_private=True)


def test_http_404_is_a_network_error(server: Server) -> None:
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1.*HTTP 404 Not Found"):
        load_source(f"{server.base}/missing", allow_private=True)


def test_non_text_content_type_is_bad_input(server: Server) -> None:
    with pytest.raises(BadInput, match="image/png"):
        load_source(f"{server.base}/png", allow_private=True)


def test_endless_body_is_cut_at_the_cap(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(Refused, match=r"larger than 100,000 bytes"):
        fetch_url(f"{server.base}/endless", allow_private=True, max_bytes=100_000)
    assert time.monotonic() - started < 5


def test_declared_huge_length_is_refused_up_front(server: Server) -> None:
    with pytest.raises(Refused, match="larger than"):
        fetch_url(f"{server.base}/huge-length", allow_private=True, max_bytes=100_000)


def test_gzip_bomb_is_cut_after_decompression(server: Server) -> None:
    with pytest.raises(Refused, match="larger than"):
        fetch_url(f"{server.base}/gzip-bomb", allow_private=True, max_bytes=1_000_000)


def test_silent_server_times_out(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1.*sent nothing for 0\.5 seconds"):
        fetch_url(f"{server.base}/slow", allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 3


def test_dripping_server_hits_the_total_deadline(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"did not finish within 1\.5 seconds"):
        fetch_url(f"{server.base}/drip", allow_private=True, timeout=0.5)  # deadline: 3 x 0.5 s
    assert time.monotonic() - started < 3


def test_connection_refused_is_a_network_error() -> None:
    with socket.socket() as s:  # find a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1.*could not connect"):
        fetch_url(f"http://127.0.0.1:{port}/", allow_private=True, timeout=2)


def test_https_is_pinned_and_still_verifies_the_host_name(
    tls_server: TLSServer, fake_public_dns: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(url_mod, "_ssl_context", lambda: ssl.create_default_context(cafile=tls_server.cert))
    result = fetch_url(f"https://news.example.com:{tls_server.port}/page")
    assert result.body == ARTICLE.encode()
    assert fake_public_dns == [PUBLIC_IP]  # TLS went to the pinned address, verified as news.example.com


def test_https_with_an_untrusted_certificate_is_a_network_error(tls_server: TLSServer) -> None:
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1.*(certificate|CERTIFICATE)"):
        fetch_url(f"https://127.0.0.1:{tls_server.port}/page", allow_private=True, timeout=5)
