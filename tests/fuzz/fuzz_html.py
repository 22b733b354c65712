"""Fuzz target: HTML extraction (trafilatura, then the html.parser fallback) on hostile markup.

Beyond "no crash": the fallback's text is one non-empty, whitespace-collapsed line per block, the
title is collapsed too, and a script's code never comes out as article text.
"""

from __future__ import annotations

import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from unspin.errors import UnspinError
    from unspin.ingest.html import _fallback_extract, extract_html, looks_like_html, meta_charset

NAME = "html"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
MARKER = "zqxjscriptcode"  # planted in a <script> by the check: must never reach the text

SEEDS = [
    b"<!doctype html><html><head><title>Senate vote</title><meta charset=windows-1251></head>"
    b"<body><nav>Home | News</nav><article><h1>Senate vote</h1><p>The senate passed the bill on "
    b"Tuesday after a long debate.</p><p>Critics called it a disaster.</p></article>"
    b"<footer>(c) 2024</footer></body></html>",
    b"<html><body><p>Short <b>bold<i>nested</b> unclosed<p>Next<br>line<div hidden>gone</div>",
    b"<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'><p>x</p></html>",
    b"<html><svg><title>icon</title></svg><title>Real</title><template><p>t</p></template><p>y</p>",
    b"<html><table><tr><td>a</td><td>b</td></tr></table><pre>  keep\n  this</pre><noscript>js</noscript>",
    b"<html><p>&amp;&lt;&#x41;&#65;&nbsp;&bogus;</p><!-- comment --><![CDATA[x]]></html>",
]


def check(data: bytes) -> None:
    looks_like_html(data)
    meta_charset(data)
    html = data.decode("utf-8", "replace")
    looks_like_html(html)
    text, title = extract_html(data)
    assert isinstance(text, str) and (title is None or isinstance(title, str))
    # The fallback parser on its own, with a script planted in front of the page (at the end, an
    # unclosed "<tag " of the page would swallow "<script>" as an attribute, in a browser too).
    fallback, fallback_title = _fallback_extract(f"<script>var {MARKER} = 1;</script>" + html)
    for line in fallback.split("\n") if fallback else []:
        assert line and line == " ".join(line.split()), f"line not collapsed: {line!r}"
    assert fallback_title is None or fallback_title == " ".join(fallback_title.split())
    if MARKER not in html:
        assert MARKER not in fallback, "script code came out as text"


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=8192)
    sys.exit(0)
