"""load_source / source_from_text: files, stdin, HTML files, limits, and refusals (no network)."""

from __future__ import annotations

import codecs
import io
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import unspin.ingest.source as ingest
from test_ingest_html import ARTICLE, PARAGRAPHS
from unspin.errors import BadInput, Refused
from unspin.ingest import DEFAULT_MAX_BYTES, Source, load_source, source_from_text

TEXT = "The Senate passed the bill.\r\n\r\nCritics called it a disaster — “a catastrophe”.\n"


def test_text_file_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode())
    src = load_source(str(path))
    assert isinstance(src, Source)
    assert src.text == TEXT  # BOM gone, \r\n kept
    assert src.title is None
    info = src.info
    assert (info.kind, info.name, info.encoding, info.bytes, info.extracted) == (
        "file",
        str(path),
        "utf-8",
        len(TEXT.encode()) + 3,
        False,
    )
    assert info.url is None and info.content_type is None


def test_legacy_encoded_file(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    text = "Сенат принял закон, который критики называют катастрофой для всей страны."
    path.write_bytes(text.encode("cp1251"))
    src = load_source(str(path), title="Закон")
    assert (src.text, src.title, src.info.encoding) == (text, "Закон", "cp1251")


def test_html_file_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(ARTICLE, encoding="utf-8")
    src = load_source(str(path))
    assert src.info.kind == "html" and src.info.extracted
    assert src.title == "Senate passes sweeping bill"
    assert all(p in src.text.split("\n") for p in PARAGRAPHS)
    assert load_source(str(path), title="Mine").title == "Mine"  # the argument wins


def test_html_content_is_sniffed_whatever_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text(ARTICLE, encoding="utf-16")  # with BOM: only the decoded text can be sniffed
    src = load_source(str(path))
    assert src.info.extracted and src.info.kind == "html" and src.info.encoding == "utf-16-le"
    assert PARAGRAPHS[0] in src.text


def test_markup_in_a_plain_text_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Use <b>bold</b> sparingly.\n", encoding="utf-8")
    src = load_source(str(path))
    assert src.text == "Use <b>bold</b> sparingly.\n" and not src.info.extracted


def test_stdin() -> None:
    src = load_source("-", stdin=io.BytesIO(TEXT.encode("utf-16")))
    assert src.text == TEXT
    assert (src.info.kind, src.info.name, src.info.encoding) == ("stdin", None, "utf-16-le")


def test_stdin_html() -> None:
    src = load_source("-", stdin=io.BytesIO(ARTICLE.encode()))
    assert src.info.kind == "stdin" and src.info.extracted
    assert src.title == "Senate passes sweeping bill"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(BadInput, match=r"nope\.txt"):
        load_source(missing)


def test_missing_file_that_looks_like_a_domain_hints_at_urls() -> None:
    with pytest.raises(BadInput, match="https://"):
        load_source("www.example.com/news/article-123")


def test_directory_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="folder"):
        load_source(str(tmp_path))


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, "\u3000\n".encode()])
def test_empty_or_whitespace_is_bad_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(BadInput, match="Nothing to analyze"):
        load_source(str(path))


def test_html_without_text_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>T</title><script>alert(1)</script></head><body> </body></html>")
    with pytest.raises(BadInput, match="No article text"):
        load_source(str(path))


def test_binary_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BadInput, match="looks like binary data"):
        load_source(str(path))


def test_text_over_max_bytes_is_refused_with_the_limit_and_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("я" * 600, encoding="utf-8")  # 600 characters, 1200 bytes of UTF-8
    with pytest.raises(Refused, match=r"1,000 bytes.*--max-bytes"):
        load_source(str(path), max_bytes=1000)
    assert len(load_source(str(path), max_bytes=1200).text) == 600  # the limit itself is allowed


def test_limit_counts_utf8_not_the_raw_encoding(tmp_path: Path) -> None:
    path = tmp_path / "utf32.txt"
    path.write_bytes(codecs.BOM_UTF32_LE + ("a" * 1000).encode("utf-32-le"))  # 4004 raw bytes
    assert load_source(str(path), max_bytes=1000).info.bytes == 4004


def test_utf32_text_at_the_limit_fits_the_raw_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "URL_MAX_BYTES", 100)  # make 4 * max_bytes (+ BOM) the binding cap
    path = tmp_path / "utf32.txt"
    path.write_bytes(codecs.BOM_UTF32_BE + ("b" * 1000).encode("utf-32-be"))
    assert load_source(str(path), max_bytes=1000).text == "b" * 1000


class _Endless(io.RawIOBase):
    """An unbounded stream (think `yes | unspin -`) that counts what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), 65536)
        buffer[:n] = b"y\n" * (n // 2) + b"y" * (n % 2)
        self.served += n
        return n


def test_unbounded_stdin_is_refused_after_a_bounded_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "URL_MAX_BYTES", 10_000)
    stream = _Endless()
    with pytest.raises(Refused, match=r"standard input.*10,000 bytes"):
        load_source("-", stdin=io.BufferedReader(stream), max_bytes=100)
    assert stream.served <= 10_001 + io.DEFAULT_BUFFER_SIZE


def test_raw_limit_follows_max_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "URL_MAX_BYTES", 1_000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)  # 5000 bytes
    with pytest.raises(Refused, match="--max-bytes"):
        load_source(str(path), max_bytes=1_000)  # raw limit max(1000, 4 * 1000 + 4) = 4004
    assert load_source(str(path), max_bytes=5_000).info.bytes == 5000


def test_max_bytes_must_be_positive() -> None:
    with pytest.raises(BadInput, match="--max-bytes"):
        load_source("-", stdin=io.BytesIO(b"x"), max_bytes=0)


@pytest.mark.parametrize(
    "source",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "ftp://example.com/article.txt",
        "gopher://example.com/",
        "data:text/plain,Hello%20world",
        "javascript:alert(1)",
        "ws://example.com/",
    ],
)
def test_other_schemes_are_refused(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("no network access expected")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    with pytest.raises(Refused, match="only fetches http and https"):
        load_source(source)


def test_a_file_named_like_an_opaque_scheme_is_still_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("data:2024.txt").write_text("Figures for 2024.")
    assert load_source("data:2024.txt").text == "Figures for 2024."


def test_source_from_text() -> None:
    src = source_from_text(TEXT, title="T")
    assert (src.text, src.title) == (TEXT, "T")
    assert (src.info.kind, src.info.bytes, src.info.encoding) == ("text", len(TEXT.encode()), None)
    assert source_from_text("\ufeffkept as given").text == "\ufeffkept as given"


@pytest.mark.parametrize(
    ("text", "error"),
    [("", BadInput), (" \n ", BadInput), ("x" * 11, Refused), ("bad \ud800 surrogate", BadInput)],
)
def test_source_from_text_checks(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        source_from_text(text, max_bytes=10)


def test_default_limit() -> None:
    assert DEFAULT_MAX_BYTES == 1_000_000 and ingest.URL_MAX_BYTES == 5_000_000
    source_from_text("x" * DEFAULT_MAX_BYTES)
    with pytest.raises(Refused):
        source_from_text("x" * (DEFAULT_MAX_BYTES + 1))


def test_import_does_no_network() -> None:
    code = (
        "import socket\n"
        "def boom(*a, **k): raise SystemExit('network access at import')\n"
        "socket.getaddrinfo = boom; socket.create_connection = boom; socket.socket.connect = boom\n"
        "import unspin.ingest, unspin.ingest.url, unspin.ingest.html\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
