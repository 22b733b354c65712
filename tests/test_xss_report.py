"""XSS through every rendered field of the static HTML report (`unspin analyze -o x.html`), checked in
Debian's chromium: article text, title, source URL, entity names, spotted and known-claim text (title,
summary, verdict, disproof, reviewer, link). No script runs (no ``window.__xss``, no dialog), no request
leaves the file (images, styles, frames, prefetches: every request is tracked), and every payload is
shown as text. The same hostile analysis goes through the web page in tests/test_xss_serve.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import chromium_or_skip
from unspin.analysis import Analysis

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
EVIL = "203.0.113.7"  # TEST-NET-3: any request to it is a leak (and never reaches anyone)

# Script execution, attribute breakouts, script-context breakouts (the report's JSON block), URL schemes,
# resource loads (a request is a leak even when no script runs), template syntax, and odd characters.
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss=2">',
    '"><svg onload="window.__xss=3">',
    "'><body onload='window.__xss=4'>",
    "</script><script>window.__xss=5</script>",
    "<!--<script>window.__xss=6</script>-->",
    "<iframe srcdoc='<script>parent.__xss=7</script>'></iframe>",
    "</textarea></title></style><script>window.__xss=8</script>",
    "{{constructor.constructor('window.__xss=9')()}} ${window.__xss=10}",
    '<a href="javascript:window.__xss=11">click</a>',
    f'<img src="http://{EVIL}/pixel.png"><link rel="stylesheet" href="http://{EVIL}/x.css">',
    f"<style>@import url(http://{EVIL}/y.css); body{{background:url(http://{EVIL}/z.png)}}</style>",
    f'<meta http-equiv="refresh" content="0;url=http://{EVIL}/"><base href="http://{EVIL}/">',
    f'<object data="http://{EVIL}/o"></object><embed src="http://{EVIL}/e"><video src="http://{EVIL}/v">',
    f'<link rel="prefetch" href="http://{EVIL}/p"><link rel="dns-prefetch" href="//{EVIL}">',
    "\u2028\u2029 </script\u2028> <\u0000script> \ufeff<scr\u200bipt>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=12">',
    "javascript:window.__xss=13",
    f"data:text/html,<script>window.__xss=14</script> http://{EVIL}/plain-text-url",
]
HOSTILE_URL = f"javascript:window.__xss=20//http://{EVIL}/?<script>window.__xss=21</script>"


def hostile_text() -> str:
    lines = [
        f"Paragraph {i}: the corrupt liars, spineless puppets of their vile masters, said {p} again and "
        "again in a savage, disgusting assault on everybody."
        for i, p in enumerate(PAYLOADS)
    ]
    return "\n".join(
        ["President Putin met NATO officials in Brussels, the so-called experts claimed.", *lines]
    )


def hostile_analysis(analyzer: Any) -> Analysis:
    """A real analysis of a text full of payloads, with payloads put into every other field too."""
    text = hostile_text()
    base = analyzer.analyze(text, title=PAYLOADS[0] + PAYLOADS[1]).model_dump(mode="json")
    base["source"] = {"kind": "url", "name": HOSTILE_URL, "url": HOSTILE_URL, "content_type": "text/html"}
    for i, entity in enumerate(base["entities"]):
        entity["name"] = PAYLOADS[i % len(PAYLOADS)]
    match = {
        "id": 1, "score": 0.9, "title": PAYLOADS[2], "summary": PAYLOADS[3], "verdict": PAYLOADS[4],
        "disproof": PAYLOADS[5] + " " + "long disproof " * 40, "reviewer": PAYLOADS[10], "date": "2020-01-02",
        "url": HOSTILE_URL,
    }  # fmt: skip
    second = {**match, "id": 2, "title": PAYLOADS[11], "url": f"http://{EVIL}/case", "disproof": PAYLOADS[12]}
    sentences = base["sentences"]
    base["claims"] = [
        {
            **{k: sentences[i][k] for k in ("start", "end", "text")},
            "sentence": i,
            "score": 0.8,
            "matches": [match, second],
        }
        for i in range(min(3, len(sentences)))
    ]
    base["known_claims"] = {"claims": 2, "min_score": 0.5}
    analysis = Analysis.model_validate(base)
    assert analysis.entities, "the text must yield entities for their names to be tested"
    return analysis


def launch_browser() -> Iterator[Any]:
    """Debian's chromium through Playwright (never a downloaded browser); a module fixture below."""
    chromium = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


browser = pytest.fixture(scope="module", name="browser")(launch_browser)


class Watched:
    """A page whose every request, dialog and script error is recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def poke(self, selectors: list[str]) -> None:
        """Hover, click and focus what a reader would: highlights, entities, details, links' text."""
        for sel in selectors:
            for i in range(min(5, self.page.locator(sel).count())):
                item = self.page.locator(sel).nth(i)
                if item.is_visible():
                    item.hover()
                    item.click(modifiers=["Alt"], no_wait_after=True)  # Alt: never follow a link
                    self.page.keyboard.press("Enter")
        self.page.wait_for_timeout(300)  # let any late script or load fire

    def ran_nothing(self) -> None:
        assert self.page.evaluate("window.__xss") is None and self.dialogs == []
        assert not [u for u in self.requests if EVIL in u], self.requests


def test_static_report_runs_no_payload_and_loads_nothing(analyzer: Any, browser: Any, tmp_path: Path) -> None:
    from unspin.render import render_html

    analysis = hostile_analysis(analyzer)
    path = tmp_path / "report.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    w = Watched(browser)
    w.page.goto(path.as_uri())
    w.poke(["mark.pc", "mark.ent", "details summary", "button", "input[type=checkbox]"])
    w.ran_nothing()
    assert set(w.requests) == {path.as_uri()}, w.requests  # a self-contained file: nothing else at all
    shown = w.page.inner_text("body")
    for payload in PAYLOADS:
        assert payload.replace("\u0000", "\ufffd").split("\u2028")[0][:20] in shown.replace(
            "\u0000", "\ufffd"
        )
    for tag in (
        "script:not([type])",
        "img",
        "iframe",
        "object",
        "embed",
        "video",
        "svg",
        "base",
        "link:not([rel=icon])",
    ):
        inline_ok = tag.startswith("script") and w.page.locator("script:not([type])").count() == 1
        assert w.page.locator(tag).count() == 0 or inline_ok, tag
    hrefs = w.page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs), hrefs  # no javascript: link
    json_block = w.page.eval_on_selector_all(
        'script[type="application/json"]', "s => s.map(x => x.textContent)"
    )
    for block in json_block:
        json.loads(block)  # the data block still parses: nothing closed it early
    w.context.close()


def test_the_harness_notices_a_payload_that_runs(browser: Any, tmp_path: Path) -> None:
    """Control: the same checks on an unescaped page catch both the script and the request."""
    path = tmp_path / "naive.html"
    path.write_text(f"<!doctype html><p>{PAYLOADS[1]}{PAYLOADS[10]}</p>", encoding="utf-8")
    w = Watched(browser)
    w.page.goto(path.as_uri())
    w.page.wait_for_timeout(300)
    with pytest.raises(AssertionError):
        w.ran_nothing()
    assert w.page.evaluate("window.__xss") == 2 and any(EVIL in u for u in w.requests)
    w.context.close()
