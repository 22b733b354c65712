"""Turning what the user gave (text, a file, standard input, a URL) into the one text that is analyzed.

``load_source`` is the CLI's entry point and ``source_from_text`` the Python API's. Both return a
``Source`` whose ``text`` is final: every offset of the analysis points into it, so nothing after this
module may normalize it. Limits are enforced here, before any model sees the text: raw input is read
only up to a bounded size, and the text itself may not exceed ``max_bytes`` of UTF-8.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from unspin.analysis import SourceInfo
from unspin.errors import BadInput, TooLarge, UnsupportedScheme
from unspin.ingest.charset import decode_bytes
from unspin.ingest.html import decode_html, extract_html, looks_like_html
from unspin.ingest.limits import URL_MAX_BYTES
from unspin.ingest.titles import first_line_title
from unspin.options import DEFAULT_MAX_BYTES

# URL_MAX_BYTES (5 MB, from .url) caps downloaded and raw bytes; a larger max_bytes raises that cap.

# Any UTF-8 text of max_bytes fits in 4 * max_bytes raw bytes whatever its encoding (UTF-32 is the worst
# case), so reading more than that can only end in a refusal. HTML needs room for markup, hence the floor.
_RAW_PER_TEXT_BYTE = 4

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Schemes without "//" that still clearly name a URL rather than a file.
_OPAQUE_SCHEMES = frozenset(
    {"data", "javascript", "mailto", "about", "blob", "file", "news", "tel", "view-source"}
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Media types that may carry analyzable text; "application/octet-stream" and none at all get sniffed.
_TEXT_TYPES = frozenset(
    {"application/json", "application/xml", "application/javascript", "application/x-empty"}
)
_LOOKS_LIKE_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+(?:/|$)")


@dataclass(frozen=True)
class Source:
    """The text to analyze, its title, and where it came from."""

    text: str  # decoded, BOM removed, otherwise exactly as read: offsets point into it
    title: str | None
    info: SourceInfo


def _raw_limit(max_bytes: int) -> int:
    return max(URL_MAX_BYTES, _RAW_PER_TEXT_BYTE * max_bytes + 4)  # + 4: room for a UTF-32 BOM


def _check_text(text: str, what: str, max_bytes: int) -> None:
    """Refuse empty, whitespace-only and oversized text (UTF-8 size against ``max_bytes``)."""
    if not text:
        raise BadInput(f"Nothing to analyze: {what} is empty.")
    if not text.strip():
        raise BadInput(f"Nothing to analyze: {what} contains only whitespace.")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise BadInput(
            f"The text from {what} contains unpaired surrogates, so it is not valid Unicode."
        ) from None
    if size > max_bytes:
        raise TooLarge(
            f"The text is {size:,} bytes (UTF-8), over the limit of {max_bytes:,} bytes",
            f"pass --max-bytes {size} or more to analyze it",
        )


def _too_large(what: str, limit: int) -> TooLarge:
    return TooLarge(
        f"Refusing {what}: it is larger than {limit:,} bytes, the most unspin reads "
        f"(4 × --max-bytes, at least {URL_MAX_BYTES:,})",
        "pass a larger --max-bytes to raise it",
    )


def _read_bounded(stream: BinaryIO, limit: int, what: str) -> bytes:
    """Read at most ``limit`` bytes; refuse (without reading further) if there is more."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise _too_large(what, limit)
    return b"".join(chunks)


def _text_and_title(
    raw: bytes, *, what: str, html: bool, declared: str | None = None, url: str | None = None
) -> tuple[str, str | None, str, bool]:
    """Decode ``raw`` and, for HTML, extract the article: ``(text, page title, encoding, extracted)``."""
    html = html or looks_like_html(raw)
    if html:
        text, encoding = decode_html(raw, declared)
    else:
        text, encoding = decode_bytes(raw, declared)
        html = looks_like_html(text)  # e.g. UTF-16 HTML, which the byte sniffer cannot see
    if not html:
        return text, None, encoding, False
    if not text.strip():
        return text, None, encoding, False  # let the empty-input check word it
    article, page_title = extract_html(text, url)
    if not article.strip():
        raise BadInput(f"No article text could be extracted from {what}: the page has no visible text.")
    return article, page_title, encoding, True


def source_from_text(text: str, *, title: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """A ``Source`` for text given directly (the Python API): checked, never modified. Without a
    ``title``, a headline-like first line is taken as one (it stays in the text)."""
    _check_text(text, "the text", max_bytes)
    info = SourceInfo(kind="text", bytes=len(text.encode("utf-8")))
    return Source(text=text, title=title if title is not None else first_line_title(text), info=info)


def _is_http_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _refuse_other_schemes(source: str) -> None:
    """Refuse URLs of schemes we never fetch (file:, ftp:, data: ...) before treating SOURCE as a path."""
    m = _SCHEME.match(source)
    if m is None or len(m.group(1)) == 1:  # "C:\\..." is a Windows drive, not a scheme
        return
    scheme = m.group(1).lower()
    rest = source[m.end() :]
    # An opaque-scheme look-alike that is an existing file ("data:2024.txt") is read as the file.
    if rest.startswith("//") or (scheme in _OPAQUE_SCHEMES and not Path(source).exists()):
        raise UnsupportedScheme(f"Refusing {scheme}: URLs; unspin only fetches http and https URLs.")


def _load_url(
    source: str, *, title: str | None, max_bytes: int, allow_private: bool, timeout: float
) -> Source:
    from unspin.ingest.url import fetch_url

    result = fetch_url(source, allow_private=allow_private, timeout=timeout, max_bytes=_raw_limit(max_bytes))
    media = result.content_type
    is_html = media in _HTML_TYPES
    if not (
        is_html
        or media is None
        or media == "application/octet-stream"
        or media.startswith("text/")
        or media in _TEXT_TYPES
        or media.endswith(("+xml", "+json"))
    ):
        raise BadInput(f"{source} is {media}, not text or HTML.")
    text, page_title, encoding, extracted = _text_and_title(
        result.body, what=source, html=is_html, declared=result.charset, url=result.url
    )
    _check_text(text, f"the page at {source}", max_bytes)
    if page_title is None:
        page_title = first_line_title(text)  # a page without <title>: its first line, if a headline
    info = SourceInfo(
        kind="url",
        name=source,
        url=result.url,
        content_type=media,
        encoding=encoding,
        bytes=len(result.body),
        extracted=extracted,
    )
    return Source(text=text, title=title if title is not None else page_title, info=info)


def _read_file(path: str, limit: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return _read_bounded(f, limit, path)
    except FileNotFoundError:
        web = _LOOKS_LIKE_DOMAIN.match(path)
        hint = " (for a web page, give the full http:// or https:// URL)" if web else ""
        raise BadInput(f"File not found: {path}{hint}.") from None
    except IsADirectoryError:
        raise BadInput(
            f"{path} is a folder, not a file",
            f"to analyze every file in it, run `unspin batch {path} -o OUTDIR`",
        ) from None
    except PermissionError:
        raise BadInput(f"Cannot read {path}: permission denied.") from None
    except OSError as err:
        raise BadInput(f"Cannot read {path}: {err.strerror or err}.") from None


def load_source(
    source: str,
    *,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    timeout: float = 10.0,
    stdin: BinaryIO | None = None,
) -> Source:
    """Read SOURCE: ``-`` for standard input, an ``http(s)://`` URL, or a file path.

    HTML (``.html``/``.htm`` files, pages that start like HTML, URL responses with an HTML media type)
    goes through article extraction; everything else is plain text. ``title`` overrides the page title.

    Raises BadInput (missing file, binary, empty, no article text), UnsupportedScheme (another URL
    scheme), ForbiddenTarget (a private address), TooLarge (input over the limits) or NetworkError (the
    URL could not be fetched).
    """
    if max_bytes <= 0:
        raise BadInput(f"--max-bytes must be a positive number of bytes, not {max_bytes}.")
    if _is_http_url(source):
        return _load_url(
            source, title=title, max_bytes=max_bytes, allow_private=allow_private, timeout=timeout
        )

    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        raw = _read_bounded(stream, _raw_limit(max_bytes), "standard input")
        name, what, html = None, "standard input", False
    else:
        _refuse_other_schemes(source)
        raw = _read_file(source, _raw_limit(max_bytes))
        name, what, html = source, source, source.lower().endswith(_HTML_SUFFIXES)

    text, page_title, encoding, extracted = _text_and_title(raw, what=what, html=html)
    _check_text(text, what, max_bytes)
    if page_title is None:
        page_title = first_line_title(text)
    kind: Literal["stdin", "file", "html"] = "stdin" if name is None else "html" if extracted else "file"
    info = SourceInfo(kind=kind, name=name, encoding=encoding, bytes=len(raw), extracted=extracted)
    return Source(text=text, title=title if title is not None else page_title, info=info)
