"""XSS through every field of the web page (`unspin serve`), in Debian's chromium: the hostile analysis
of tests/test_xss_report.py (payloads in the article text, title, source URL, entity names and known-claim
text and links) is stored as the server stores analyses, then opened by its shareable link and in the
history. No script runs, no request leaves the server's own origin, every payload shows as text, and the
security headers are on the page and the API."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from serve_support import live_server, settings
from test_xss_report import PAYLOADS, Watched, hostile_analysis, launch_browser
from unspin.store import analyses as store
from unspin.store.db import connect

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
web_browser = pytest.fixture(scope="module", name="browser")(launch_browser)


def test_web_page_runs_no_payload_and_loads_nothing_foreign(
    analyzer: Any, browser: Any, tmp_path: Path
) -> None:
    analysis = hostile_analysis(analyzer)
    db = tmp_path / "xss.db"
    conn = connect(db)
    stored, _ = store.save(
        conn,
        digest=store.input_hash(analysis.text, analysis.title, analysis.source.name),
        model_version=analysis.model.version,
        title=analysis.title or "",
        source=analysis.source.name or "",
        text=analysis.text,
        spans=len(analysis.spans),
        analysis_json=analysis.model_dump_json(),
    )
    conn.close()
    with live_server(analyzer, settings(db, rate_per_s=0)) as base:
        for path in ("/", f"/a/{stored.id}", f"/api/analyses/{stored.id}"):
            headers = httpx.get(base + path).headers
            csp = headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert (
                headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
            )
        w = Watched(browser)
        w.page.goto(f"{base}/a/{stored.id}")
        w.page.wait_for_selector("#article mark.pc")
        w.poke(["#article mark.pc", "#entities .ent-btn", "#claims details summary", "#claims summary"])
        w.page.click("#history-btn")
        w.page.wait_for_selector("#history-list a")
        w.page.wait_for_timeout(300)
        w.ran_nothing()
        foreign = [u for u in w.requests if not u.startswith(base)]
        assert foreign == [], foreign
        for zone in ("#article", "#result .top", "#entities", "#claims", "#history-list"):
            for bad in (
                "script",
                "img",
                "svg",
                "iframe",
                "object",
                "embed",
                "video",
                "style",
                "link",
                "base",
                "meta",
            ):
                assert w.page.locator(f"{zone} {bad}").count() == 0, f"{zone} {bad}"
        hrefs = w.page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        assert all(h.startswith(("#", "/", "http://", "https://")) for h in hrefs), hrefs  # no javascript:
        article = w.page.inner_text("#article")
        for payload in PAYLOADS:
            assert payload.split("\u2028")[0].replace("\u0000", "")[:20] in article.replace("\u0000", "")
        assert w.page.inner_text("#result h1") == analysis.title
        entities = w.page.inner_text("#entities")
        assert any(e.name[:20] in entities for e in analysis.entities)
        claims = w.page.inner_text("#claims")
        assert PAYLOADS[2][:20] in claims  # the known claim's title, as text
        w.context.close()
