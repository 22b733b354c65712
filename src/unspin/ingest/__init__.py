"""Input: text, files, standard input and URLs, decoded and bounded (``source``), HTML extracted
(``html``), URLs fetched safely (``url``, ``addresses``). The names below are the package's API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from unspin.ingest.charset import decode_bytes
from unspin.ingest.html import extract_html
from unspin.ingest.limits import URL_MAX_BYTES
from unspin.ingest.source import Source, load_source, source_from_text
from unspin.options import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from unspin.ingest.url import FetchResult, check_url, fetch_url


def __getattr__(name: str) -> Any:
    # httpx costs ~0.2 s to import: only URL sources pay for it.
    if name in ("FetchResult", "check_url", "fetch_url"):
        from unspin.ingest import url

        return getattr(url, name)
    raise AttributeError(name)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "URL_MAX_BYTES",
    "FetchResult",
    "Source",
    "check_url",
    "decode_bytes",
    "extract_html",
    "fetch_url",
    "load_source",
    "source_from_text",
]
