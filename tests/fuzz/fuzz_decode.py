"""Fuzz target: bytes to text (``decode_bytes``) and the whole file/stdin ingestion (``load_source``).

Beyond "no crash": a UTF-8 byte order mark is removed and the rest kept, valid UTF-8 without one is
kept exactly (unless it holds NUL bytes), and an accepted source is non-empty, not only whitespace, and within ``max_bytes``.
"""

from __future__ import annotations

import codecs
import io
import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from unspin.errors import UnspinError
    from unspin.ingest import load_source
    from unspin.ingest.charset import decode_bytes

NAME = "decode"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
# What senders declare: real charsets, aliases, junk, and the ones the decoder refuses to honour.
DECLARED = (
    None,
    "utf-8",
    "windows-1251",
    "latin-1",
    "utf-16",
    "utf-7",
    "base64",
    "x-junk",
    "koi8-r",
    "shift_jis",
)
MAX_BYTES = 2048

SEEDS = [
    b"The senator said the plan was a disaster.\n\nEveryone knows it.",
    "Сенат принял закон.".encode("cp1251"),
    codecs.BOM_UTF16_LE + "Émission spéciale".encode("utf-16-le"),
    "אבג — مرحبا e\u0301 👍🏽".encode(),
    "Ünïcödé".encode("utf-16-be"),
    b"\xef\xbb\xbf<!doctype html><html><title>T</title><p>Hello there, reader.</p></html>",
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b"line one\r\nline two\rline three\n",
    b"caf\xe9 cr\xe8me br\xfbl\xe9e",
]


def check(data: bytes) -> None:
    declared = DECLARED[data[0] % len(DECLARED)] if data else None
    try:
        text, encoding = decode_bytes(data, declared)
    except UnspinError:
        pass
    else:
        assert isinstance(text, str) and codecs.lookup(encoding)
        if data.startswith(codecs.BOM_UTF8):
            # One mark is removed, everything after it is kept (a bad byte becomes U+FFFD).
            assert text == data[3:].decode("utf-8", "replace"), "UTF-8 after the BOM was not kept"
        # NULs are valid UTF-8 but never text: they mean UTF-16/32 (or binary), so those are excluded.
        if not data.startswith(codecs.BOM_UTF8) and b"\x00" not in data:
            try:
                exact = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                assert text == exact, "valid UTF-8 was not kept exactly"
    source = load_source("-", stdin=io.BytesIO(data), max_bytes=MAX_BYTES)
    assert source.text.strip(), "an empty text was accepted"
    assert len(source.text.encode("utf-8")) <= MAX_BYTES, "the size limit was not enforced"


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=16384)
    sys.exit(0)
