"""End to end in Debian's chromium (Playwright, never a downloaded browser): paste the demo article,
see the verdict and the first highlight without scrolling, filter by one technique, open a span's details,
mark it wrong and see it struck, add a missed span, open the history; verdicts under claims say what they
are about; XSS payloads stay text; a phone-width window; timings printed (not asserted: shared CI cores).
Screenshots go to out/screenshots/."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from browser_support import chromium_or_skip
from serve_support import live_server, settings

SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


DB: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(analyzer: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "serve.db"
    DB["path"] = str(db)
    with live_server(analyzer, settings(db, rate_per_s=0)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()


def _visible_marks(page: Any) -> list[str]:
    return page.eval_on_selector_all("#article mark.pc:not(.off)", "ms => ms.map(m => m.className)")


# A paragraph of the quality gate the model tags with several techniques, after the demo article (whose
# words model 0.4.0 flags with one technique): the legend's filters need more than one to show anything.
FLAGS = (
    "This is the worst disaster in the history of mankind, a crisis a thousand times bigger than anything "
    "the world has ever seen."
)


def test_paste_analyze_filter_details_feedback_history(server: str, page: Any, demo_text: str) -> None:
    demo_text = demo_text.rstrip("\n") + "\n\n" + FLAGS
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready]")
    ready_ms = page.evaluate("performance.now()")
    page.fill("#input", demo_text)
    page.fill("#title-in", "Khabarovsk opinion")
    page.click("#analyze-btn")
    page.wait_for_selector("#article mark.pc")
    assert "/a/" in page.url
    analysis_id = page.url.rsplit("/", 1)[1]
    record = httpx.get(f"{server}/api/analyses/{analysis_id}").json()
    spans = record["analysis"]["spans"]
    # A first-time reader sees the verdict and the first highlighted paragraph without scrolling.
    first = min(s["paragraph"] for s in spans)
    for selector in ("section.verdict h2", f"#p{first + 1} mark.pc", "#result h1"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, selector
    assert not page.locator("#compose").is_visible()  # the form steps aside for the result
    page.reload()  # the shared link, opened afresh: the first Tab stop skips to the article, one more is a highlight
    page.wait_for_selector("#article mark.pc")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the article"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#article mark.pc')")
    page.keyboard.press("Escape")
    page.evaluate("window.scrollTo(0, 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "app-analysis-desktop.png"))
    techniques = sorted({s["technique"] for s in spans})
    assert len(techniques) >= 2  # the text has several; filtering must be visible
    # Every highlighted character is a span's: the marks' text joined equals the spans' union.
    marked = page.eval_on_selector_all(
        "#article mark.pc", "ms => ms.map(m => [Number(m.dataset.o), m.textContent])"
    )
    covered = {i for s in spans for i in range(s["start"], s["end"])}
    assert {o + k for o, text in marked for k in range(len(text))} == covered
    assert page.inner_text("#article").replace("\n", "").replace("¶ ", "")  # the text is there

    # Filter to one technique with "only": every visible highlight is now that technique's colour.
    meta = httpx.get(f"{server}/api/meta").json()
    number = {t["technique"]: t["number"] for t in meta["techniques"]}
    first = record["analysis"]["techniques"][0]
    page.click(f'.legend button[aria-label="Show only {first["name"]}"]')
    visible = _visible_marks(page)
    assert visible and all(f" b{number[first['technique']]}" in f" {c}" for c in visible)
    hidden_boxes = page.eval_on_selector_all(".legend input:not(:checked)", "bs => bs.length")
    assert hidden_boxes == len(record["analysis"]["techniques"]) - 1
    page.click(f'.legend button[aria-label="Show only {first["name"]}"]')  # again: all back
    assert len(_visible_marks(page)) == len(marked)

    # Keyboard: focus on a highlight shows its details (technique, definition, confidence); Enter goes in.
    page.focus("#article mark.pc")
    tip = page.locator("#tip")
    assert tip.is_visible()
    page.keyboard.press("Enter")
    text = tip.inner_text()
    assert any(t["name"] in text for t in record["analysis"]["techniques"])
    assert "Is this highlight right?" in text  # what Confirm / Mark wrong are about
    assert page.evaluate("document.activeElement.closest('#tip') !== null")  # focus went into the box
    page.keyboard.press("Tab")  # Confirm -> Mark wrong, by keyboard
    page.keyboard.press("Enter")
    page.locator("#status", has_text="marked wrong").wait_for()
    feedback = httpx.get(f"{server}/api/analyses/{analysis_id}").json()["feedback"]
    assert [f["verdict"] for f in feedback] == ["wrong"]
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    page.wait_for_selector("#article mark.pc.wrong")  # the article, rendered again: the span is struck
    assert "Marked wrong by an analyst." in tip.inner_text()
    page.screenshot(path=str(SHOTS / "app-marked-wrong-desktop.png"))
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.evaluate("document.activeElement.matches('mark.pc')")  # back on the highlight
    page.keyboard.press("Tab")  # the next highlight shows its details as it takes focus
    assert tip.is_visible()
    page.keyboard.press("Escape")

    # Add a missed span: select words of the first paragraph, choose a technique.
    page.evaluate(
        """() => { const node = document.createTreeWalker(document.querySelector('#p1 .ptext'), 4).nextNode();
        const r = document.createRange(); r.setStart(node, 0); r.setEnd(node, Math.min(12, node.length));
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.dispatch_event("#p1 .ptext", "mouseup")
    page.wait_for_selector("#adder:not([hidden])")
    page.select_option("#adder-tech", "Doubt")
    page.click("#adder-ok")
    page.wait_for_selector("#article mark.pc.missed")
    missed = [
        f
        for f in httpx.get(f"{server}/api/analyses/{analysis_id}").json()["feedback"]
        if f["verdict"] == "missed"
    ]
    assert len(missed) == 1 and missed[0]["technique"] == "Doubt"
    assert (
        demo_text[missed[0]["start"] : missed[0]["end"]].strip()
        == demo_text[missed[0]["start"] : missed[0]["end"]]
    )

    # History: the analysis is listed, and its link is the shareable one.
    page.click("#history-btn")
    page.wait_for_selector(f'#history-list a[href="/a/{analysis_id}"]')
    row = page.inner_text("#history-list li")
    assert (
        row.startswith("Khabarovsk opinion")
        and f"{len(demo_text.split())} words" in row
        and "reviewed (2 verdicts)" in row
    )
    assert "T" not in row.split("\n")[1][:12]  # a readable date, not an ISO timestamp
    assert page.input_value("#share").endswith(f"/a/{analysis_id}")
    page.screenshot(path=str(SHOTS / "app-history-desktop.png"))
    print(f"\n[browser] page ready {ready_ms:.0f} ms after navigation; "
          f"demo render {page.get_attribute('body', 'data-render-ms')} ms")  # fmt: skip
    assert page.errors == []


def test_shared_link_opens_the_analysis_and_narrative_evidence_scrolls(
    server: str, page: Any, demo_text: str
) -> None:
    rid = httpx.post(f"{server}/api/analyze", json={"text": demo_text}).json()["id"]
    page.goto(f"{server}/a/{rid}")
    page.wait_for_selector("#article mark.pc")
    links = page.locator("#narratives a[href^='#p']")
    if links.count():
        target = links.first.get_attribute("href")[1:]
        links.first.click()
        assert page.evaluate("document.activeElement.id") == target
        assert page.evaluate(
            f"document.getElementById('{target}').classList.contains('hit')"
        )  # shown, not just scrolled to
    assert page.locator("#claims").inner_text()  # a claims list, or 'no check-worthy sentences'
    assert page.locator("#entities li").count() >= 1
    # An entity's button marks its mentions in the article: the renderer wrapped them, the script shows them.
    first_entity = httpx.get(f"{server}/api/analyses/{rid}").json()["analysis"]["entities"][0]
    page.locator("#entities .ent-btn").first.click()
    assert page.get_attribute("#entities .ent-btn >> nth=0", "aria-pressed") == "true"
    marked = page.eval_on_selector_all("mark.ent.on", "ms => ms.map(m => m.textContent).join('|')")
    assert marked.split("|") == [m["text"] for m in first_entity["mentions"]]
    assert f"mentions of {first_entity['name']}" in page.inner_text("#entities .ent-status")
    assert page.errors == []


def test_claims_panel_lists_matches_and_links_only_http(server: str, page: Any, analyzer: Any) -> None:
    # The analysis schema is gaining a `claims` list; the page renders it whenever it is there.
    text = "NATO is preparing an attack on Russia, the minister said.\n\nNobody believes it."
    data = json.loads(analyzer.analyze(text).model_dump_json())
    data["claims"] = [{
        "start": 0, "end": 35, "text": text[:35], "sentence": 0, "score": 0.8,
        "matches": [
            {"id": 1, "title": "NATO plans to attack Russia", "summary": "S", "disproof": "D", "verdict": "disinformation",
             "reviewer": "EUvsDisinfo", "date": "2020-01-01", "url": "https://euvsdisinfo.eu/report/1", "score": 0.9},
            {"id": 2, "title": "<b>bold</b>", "summary": "", "disproof": "", "verdict": "", "reviewer": "", "date": None,
             "url": "javascript:alert(1)", "score": 0.5, "relation": "opposite"},
        ],
    }]  # fmt: skip
    from unspin.store import analyses as store
    from unspin.store.db import Database

    conns = Database(DB["path"])  # straight into the running server's database
    row, _ = store.save(
        conns.conn(), digest="claims-test", model_version="x", title="claims", source="text", text=text,
        spans=0, analysis_json=json.dumps(data),
    )  # fmt: skip
    conns.close()
    page.goto(f"{server}/a/{row.id}")
    page.wait_for_selector("#claims .claims")
    assert page.locator("#claims a[href='https://euvsdisinfo.eu/report/1']").count() == 1
    assert page.locator("#claims a[href^='javascript']").count() == 0
    claims = page.inner_text("#claims")
    assert "<b>bold</b>" in claims and page.locator("#claims b").count() == 0
    assert "Matches a known false claim" in claims and "Agrees with the fact-check" in claims
    # Each verdict says what it is about: the sentence, or the match.
    questions = page.eval_on_selector_all("#claims .fb-q", "qs => qs.map(q => q.textContent)")
    assert questions == [
        "Is this sentence worth checking?",
        "Is this the same claim as the known one?",
        "Does this sentence contradict that false claim?",
    ]
    page.locator("#claims .fb").nth(1).get_by_text("Mark wrong").click()
    page.locator("#status", has_text="marked wrong").wait_for()
    assert page.locator("#claims .matches li.rv-wrong").count() == 1  # that match, not the sentence
    feedback = httpx.get(f"{server}/api/analyses/{row.id}").json()["feedback"]
    assert [(f["target"], f["key"]) for f in feedback] == [("claim", "0:35/known:1")]
    page.screenshot(path=str(SHOTS / "app-claims-desktop.png"), full_page=True)
    assert page.errors == []


XSS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss=2">',
    '"><svg onload="window.__xss=3">',
    "javascript:window.__xss=4",
    "<iframe srcdoc='<script>parent.__xss=5</script>'></iframe>",
    "</textarea><script>window.__xss=6</script>",
    "{{constructor.constructor('window.__xss=7')()}}",
    '<a href="javascript:window.__xss=8">click</a> <style>body{display:none}</style>',
]


def test_xss_payloads_render_as_text_and_never_run(server: str, page: Any) -> None:
    text = "\n\n".join(f"Paragraph {i}: the evil liars said {p} again and again." for i, p in enumerate(XSS))
    rid = httpx.post(f"{server}/api/analyze", json={"text": text, "title": XSS[1] + XSS[0]}).json()["id"]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/a/{rid}")
    page.wait_for_selector("#p8")
    page.click("#history-btn")
    page.wait_for_selector("#history-list a")
    assert page.evaluate("window.__xss") is None and dialogs == []
    for bad in ("#article script", "#article img", "#article svg", "#article iframe", "#article style", "#article a",
                "#result h1 *", "#history-list img", "#history-list script"):  # fmt: skip
        assert page.locator(bad).count() == 0, bad
    article = page.inner_text("#article")
    for payload in XSS:
        assert payload in article  # shown verbatim, as text
    assert page.inner_text("#result h1") == XSS[1] + XSS[0]
    assert page.is_visible("body")


def test_phone_width_has_no_sideways_scroll(server: str, browser: Any, demo_text: str) -> None:
    rid = httpx.post(f"{server}/api/analyze", json={"text": demo_text}).json()["id"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/a/{rid}")
    page.wait_for_selector("#article mark.pc")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    box = page.locator("section.verdict h2").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # the verdict first, on a phone too
    page.screenshot(path=str(SHOTS / "app-analysis-phone.png"))
    page.tap("#article mark.pc")
    box = page.locator("#tip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391
    page.screenshot(path=str(SHOTS / "app-tip-phone.png"))
    context.close()


def test_a_5000_word_article_draws_and_reports_its_time(server: str, page: Any, demo_text: str) -> None:
    paragraphs = [p for p in demo_text.split("\n") if p.strip()]
    text, n = "", 0
    while len(text.split()) < 5000:
        text += paragraphs[n % len(paragraphs)] + f" ({n})\n\n"
        n += 1
    record = httpx.post(f"{server}/api/analyze", json={"text": text}, timeout=60).json()
    page.goto(f"{server}/a/{record['id']}")
    page.wait_for_selector("body[data-render-ms]")
    marks = page.locator("#article mark.pc").count()
    assert marks >= len(record["analysis"]["spans"]) > 0
    frame = page.evaluate(
        """() => new Promise(done => { const t = performance.now(); requestAnimationFrame(() =>
        requestAnimationFrame(() => done(performance.now() - t))); })"""
    )
    print(f"\n[browser] {len(text.split())} words, {len(record['analysis']['spans'])} spans, {marks} marks: "
          f"article built in {page.get_attribute('body', 'data-article-ms')} ms, painted in "
          f"{page.get_attribute('body', 'data-render-ms')} ms; next frames {frame:.0f} ms")  # fmt: skip
    assert json.loads(page.evaluate("JSON.stringify(document.title)"))


def test_api_docs_page_lists_the_operations(server: str, page: Any) -> None:
    page.goto(f"{server}/docs")
    page.wait_for_selector("section.panel h2")
    headings = page.eval_on_selector_all("section.panel h2", "hs => hs.map(h => h.textContent)")
    assert "POST /api/analyze" in headings and "GET /api/analyses/{analysis_id}/view" in headings
    assert page.locator("#AnalyzeRequest").count() == 1
    assert (
        "`" not in page.inner_text("#docs") and page.locator("#docs code").count() >= 1
    )  # code, not backticks
    one = page.locator(
        "section.panel", has=page.locator("h2", has_text="GET /api/analyses/{analysis_id}")
    ).first
    assert "413" not in one.inner_text() and "404" in one.inner_text()  # only the errors it can answer
    assert page.errors == []


def test_with_a_token_the_page_asks_for_it_and_then_works(analyzer: Any, page: Any, tmp_path: Path) -> None:
    with live_server(analyzer, settings(tmp_path / "token.db", token="open-sesame", rate_per_s=0)) as url:
        page.goto(url + "/")
        page.wait_for_selector("#token-row:not([hidden])")
        page.fill("#input", "The traitors lie, as traitors always do.")
        page.click("#analyze-btn")
        page.locator("#status.err").wait_for()  # refused without the token
        page.fill("#token-in", "open-sesame")
        page.dispatch_event("#token-in", "change")
        page.click("#analyze-btn")
        page.wait_for_url("**/a/*")
        assert httpx.get(url + "/api/analyses").status_code == 401
        auth = {"Authorization": "Bearer open-sesame"}
        assert httpx.get(url + "/api/analyses", headers=auth).json()["total"] == 1
        page.wait_for_selector(
            "#adder-tech option", state="attached"
        )  # the taxonomy, once the token was given
