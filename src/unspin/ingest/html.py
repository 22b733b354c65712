"""HTML to article text: trafilatura for the main content, a plain parser as a safety net.

trafilatura drops navigation, footers, scripts and other boilerplate and returns one paragraph per line.
It gives up on pages it finds too short or too odd; then a small ``html.parser`` walk returns the visible
text of the page minus scripts, styles and navigation, so a short but valid page still yields its words.
Neither path ever runs or returns script code: scripts are dropped as elements, never read as text.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from unspin.ingest.charset import decode_bytes

_log = logging.getLogger(__name__)

# Sniffing: a document that starts (after whitespace, an XML declaration or comments) like an HTML page.
_HTML_START = r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]"
_HTML_START_STR = re.compile(_HTML_START, re.IGNORECASE | re.DOTALL)
_HTML_START_BYTES = re.compile(_HTML_START.encode(), re.IGNORECASE | re.DOTALL)
_SNIFF_BYTES = 4096

# <meta charset=x>, <meta http-equiv=Content-Type content="text/html; charset=x">, <?xml encoding="x"?>.
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# The HTML standard's pre-scan looks at the first 1024 bytes; some pages put the meta tag a little later.
_META_SCAN_BYTES = 4096

# Elements whose content is never article text. Scripts and styles matter most: their text is code.
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
        "head", "nav", "footer", "aside", "form", "select", "button", "textarea", "dialog",
    }
)  # fmt: skip
# Never article text, but trafilatura keeps them: "enable JavaScript" notices, inert templates, and
# elements the page itself hides.
_PRUNE_XPATH = ["//noscript", "//template", "//*[@hidden]"]
# Elements that end a line of text.
_BLOCK = frozenset(
    {
        "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
        "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Elements without an end tag: never pushed on the skip stack.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def looks_like_html(data: str | bytes) -> bool:
    """True when ``data`` starts like an HTML document (``<!doctype html`` or ``<html`` after whitespace)."""
    if isinstance(data, bytes):
        return _HTML_START_BYTES.match(data[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")) is not None
    return _HTML_START_STR.match(data[:_SNIFF_BYTES].removeprefix("\ufeff")) is not None


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag or XML declaration near its start, if any."""
    m = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode("ascii")


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page: like ``decode_bytes``, with the page's own meta charset as a fallback hint."""
    return decode_bytes(data, declared or meta_charset(data))


class _VisibleText(HTMLParser):
    """Collects the visible text and the <title> of a page, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skipping: list[str] = []  # open elements inside a skipped subtree, outermost first
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._title_done and self._skipping in ([], ["head"]):
            # Only the document's own title: an <svg> icon can carry a <title> of its own.
            self._in_title = True
            return
        hidden = any(name == "hidden" for name, _value in attrs)
        if tag not in _VOID and (self._skipping or tag in _SKIP or hidden):
            # Inside a skipped subtree every element is tracked, so its end tag finds the right match.
            self._skipping.append(tag)
        if tag in _BLOCK:
            self.parts.append("\n")

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            # Python < 3.13 asserts on "<![" not followed by CDATA, if, endif ... (found by fuzzing:
            # "<![C[x]]>" crashed `unspin analyze`); browsers read it as a bogus comment up to ">".
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
            return
        if tag in self._skipping:
            # Close the element and anything left unclosed inside it (browsers do the same).
            while self._skipping and self._skipping.pop() != tag:
                pass
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skipping:
            # Source line breaks are just spaces in HTML; only block elements break lines (below).
            self.parts.append(" ".join(data.split("\n")))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _fallback_extract(html: str) -> tuple[str, str | None]:
    """Visible text (one non-empty line per block, whitespace collapsed) and title, without trafilatura."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (_collapse(line) for line in "".join(parser.parts).split("\n"))
    title = _collapse("".join(parser.title_parts))
    return "\n".join(line for line in lines if line), title or None


def _trafilatura_extract(html: str, url: str | None) -> tuple[str | None, str | None]:
    """Main text and title from trafilatura; ``(None, None)`` when it finds nothing or fails."""
    import trafilatura  # imported lazily: it pulls in lxml, htmldate, justext (~0.3 s)

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,  # reader comments are not the article
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            prune_xpath=_PRUNE_XPATH,
        )
    except Exception as err:  # trafilatura and lxml raise many types on malformed markup
        _log.debug("trafilatura failed: %s", err)
        return None, None
    if doc is None:
        return None, None
    text = getattr(doc, "text", None)
    title = getattr(doc, "title", None)
    clean_title = _collapse(title) if isinstance(title, str) else ""
    return (text if isinstance(text, str) else None), (clean_title or None)


def extract_html(html: str | bytes, url: str | None = None) -> tuple[str, str | None]:
    """The main text of an HTML page, one paragraph per line, and its title (or None).

    Bytes are decoded first (BOM, UTF-8, the page's meta charset, detection). Returns an empty text when
    the page has no visible text at all; the caller decides whether that is an error.
    """
    if isinstance(html, bytes):
        html = decode_html(html)[0]
    # lxml rejects str input that carries an XML encoding declaration; the text is already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html, count=1)
    text, title = _trafilatura_extract(html, url)
    # trafilatura leaves stray spaces at line ends; the extracted text is ours to shape, the input is not.
    text = "\n".join(line.strip() for line in (text or "").split("\n") if line.strip())
    if not text:
        text, fallback_title = _fallback_extract(html)
        title = title or fallback_title
    elif title is None:
        title = _fallback_extract(html)[1]
    return text, title
