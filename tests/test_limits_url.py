"""Limits, proven for URLs: `unspin analyze URL` as users run it (the CLI's main, exit codes and one
sentence on stderr) against a hostile local server on 127.0.0.1. Redirects to private addresses, names
that resolve to loopback, file:// and gopher://, a silent server, a dripping one and an endless body each
end in the documented refusal (exit 3) or network error (exit 4) within a bounded time, and the private
target is never contacted."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest

from unspin.cli import main
from unspin.errors import EXIT_NETWORK, EXIT_REFUSED
from unspin.ingest import url as url_mod

PUBLIC_IP = "93.184.216.34"  # stands for "some public host"; connections to it go to the local server
_real_getaddrinfo = socket.getaddrinfo
STOP = threading.Event()
requested: list[str] = []  # every path the local server was asked for


class _Hostile(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        requested.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/silent":
            STOP.wait(30)  # accepts the connection, never answers
        elif parts.path in ("/drip", "/endless"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no length: the body ends when the connection does
            chunk, pause = (b"x", 0.05) if parts.path == "/drip" else (b"spin " * 4000, 0.0)
            try:
                while not STOP.wait(pause):
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except OSError:
                pass
        else:
            body = b"The secret admin page."
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1])
    STOP.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """news.example.com is public (its connections reach the local server); evil.example and
    rebind.example resolve to loopback and to a private address. Returns the IPs connected to."""
    connected: list[str] = []
    answers = {"news.example.com": PUBLIC_IP, "evil.example": "127.0.0.1", "rebind.example": "10.0.0.7"}
    real_open = url_mod._open_stream

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return _real_getaddrinfo(host, port, *args, **kwargs)

    def open_stream(ip: Any, port: int, timeout: float | None) -> httpcore.NetworkStream:
        connected.append(str(ip))
        target = ipaddress.IPv4Address("127.0.0.1") if str(ip) == PUBLIC_IP else ip
        return real_open(target, port, timeout)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(url_mod, "_open_stream", open_stream)
    return connected


def analyze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    code = main(["analyze", *args, "--no-known-claims", "--format", "json"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err  # one sentence, no traceback
    return code, err, time.monotonic() - started


@pytest.mark.parametrize(
    "private", ["127.0.0.1:{port}", "10.0.0.1", "169.254.169.254", "[::1]", "localhost:{port}"]
)
def test_redirect_to_a_private_address_is_refused(
    port: int, dns: list[str], capsys: pytest.CaptureFixture[str], private: str
) -> None:
    requested.clear()
    secret = f"http://{private.format(port=port)}/secret"
    code, err, _ = analyze(capsys, f"http://news.example.com:{port}/redirect?to={secret}")
    assert code == EXIT_REFUSED and "--allow-private" in err
    assert requested == [f"/redirect?to={secret}"] and dns == [PUBLIC_IP]  # the private hop never happened


@pytest.mark.parametrize("name", ["evil.example", "rebind.example", "localhost", "api.localhost"])
def test_names_that_resolve_to_private_addresses_are_refused_before_connecting(
    port: int, dns: list[str], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, err, _ = analyze(capsys, f"http://{name}:{port}/")
    assert code == EXIT_REFUSED and name in err and dns == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:70/_GET", "ftp://example.com/a"])
def test_other_schemes_are_refused(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, err, _ = analyze(capsys, url)
    assert code == EXIT_REFUSED and "only fetches http and https" in err


def test_a_silent_server_times_out(port: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, seconds = analyze(
        capsys, f"http://127.0.0.1:{port}/silent", "--allow-private", "--timeout", "0.5"
    )
    assert code == EXIT_NETWORK and "sent nothing for 0.5 seconds" in err
    assert seconds < 10  # bounded (loose: shared cores); without the timeout it would wait 30 s


def test_a_dripping_server_hits_the_total_deadline(port: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, seconds = analyze(
        capsys, f"http://127.0.0.1:{port}/drip", "--allow-private", "--timeout", "0.5"
    )
    assert code == EXIT_NETWORK and "did not finish within 1.5 seconds" in err
    assert seconds < 10  # each byte arrives well within the read timeout: only the deadline stops it


def test_an_endless_body_is_cut_at_the_download_limit(port: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, _ = analyze(
        capsys, f"http://127.0.0.1:{port}/endless", "--allow-private", "--max-bytes", "1000000"
    )
    assert code == EXIT_REFUSED and "larger than 5,000,000 bytes" in err
