"""The static report of the demo article in Debian's chromium (Playwright, never a downloaded browser),
as a first-time reader meets it on a 1400×900 screen and on a phone: the verdict and the first highlighted
paragraph without scrolling, a skip link to the article, the details box in words, the filter re-layering
exactly like Python, entity marks, evidence links that show the paragraph they jump to, and not one
console error (the favicon used to break the report's own CSP). Screenshots go to out/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_render_view import with_claims
from test_xss_report import launch_browser
from unspin.analysis import Analysis, AnalysisWarning, ModelInfo
from unspin.render import render_html
from unspin.render.palette import technique_numbers
from unspin.render.pieces import piece_classes

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
report_browser = pytest.fixture(scope="module", name="browser")(launch_browser)


@pytest.fixture(scope="module")
def demo_report(demo_analysis: Analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "khabarovsk-opinion.html"
    path.write_text(render_html(demo_analysis), encoding="utf-8")
    return path


def open_page(browser: Any, path: Path, viewport: dict[str, int], **context: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=viewport, **context)
    page = ctx.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    yield page
    ctx.close()


@pytest.fixture()
def desktop(browser: Any, demo_report: Path) -> Iterator[Any]:
    yield from open_page(browser, demo_report, DESKTOP)


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def test_a_first_time_reader_sees_the_verdict_and_the_first_highlight(
    desktop: Any, demo_analysis: Analysis
) -> None:
    first = min(s.paragraph for s in demo_analysis.spans)
    assert in_view(desktop, "section.verdict h2") and in_view(desktop, ".verdict dd")
    assert in_view(desktop, f"#p{first + 1} mark.pc")  # the first highlighted paragraph's highlight
    assert in_view(
        desktop, "#p1"
    )  # and the article starts at the top: nothing above it but title and warnings
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(path=str(SHOTS / "report-desktop.png"))
    desktop.screenshot(path=str(SHOTS / "report-desktop-full.png"), full_page=True)
    assert desktop.errors == []  # the favicon no longer breaks the CSP; the script runs clean


def test_on_a_phone_the_verdict_comes_first_and_panels_fold(browser: Any, demo_report: Path) -> None:
    for page in open_page(browser, demo_report, PHONE, is_mobile=True, has_touch=True):
        assert in_view(page, "section.verdict h2")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
        assert page.evaluate("[...document.querySelectorAll('.side details.fold')].every(d => !d.open)")
        page.screenshot(path=str(SHOTS / "report-phone.png"))
        page.tap("#article mark.pc")
        box = page.locator("#tip").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
        page.screenshot(path=str(SHOTS / "report-phone-tip.png"))
        assert page.errors == []


def test_the_skip_link_reaches_the_first_highlight_in_three_keys(desktop: Any) -> None:
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.textContent") == "Skip to the article"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "article"
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.matches('#article mark.pc')")
    tip = desktop.locator("#tip")
    assert tip.is_visible()  # focus shows the details box


def test_the_details_box_says_strength_in_words_and_names_the_paragraph(
    desktop: Any, demo_analysis: Analysis
) -> None:
    mark = desktop.locator("#article mark.pc").first
    mark.click()
    text = desktop.inner_text("#tip")
    first = demo_analysis.spans[int((mark.get_attribute("data-s") or "").split()[0])]
    assert first.strength in text.lower() and f"¶ {first.paragraph + 1}" in text
    assert "\\u00b6" not in text  # the literal escape the report used to show
    desktop.keyboard.press("Escape")
    assert not desktop.locator("#tip").is_visible()


def test_hiding_a_technique_relayers_pieces_exactly_like_python(
    desktop: Any, demo_analysis: Analysis
) -> None:
    numbers = technique_numbers(demo_analysis.spans)
    hide = demo_analysis.techniques[0].technique
    desktop.uncheck(f'input[data-t="{hide}"]')
    marks = desktop.eval_on_selector_all("#article mark.pc", "ms => ms.map(m => [m.dataset.s, m.className])")
    assert marks
    for ids, classes in marks:
        kept = [numbers[demo_analysis.spans[int(i)].technique] for i in ids.split()]
        kept = [n for n in kept if n != numbers[hide]]
        assert classes == (piece_classes(kept) if kept else "pc off"), (ids, classes)
    assert desktop.locator(f'.badge.off[data-t="{hide}"]').count() >= 1
    desktop.click(f'button[data-only="{hide}"]')  # "only": just that technique
    visible = desktop.eval_on_selector_all("#article mark.pc:not(.off)", "ms => ms.map(m => m.className)")
    assert visible and all(c.split()[1] == f"b{numbers[hide]}" for c in visible)
    assert desktop.eval_on_selector_all("input[data-t]:checked", "bs => bs.map(b => b.dataset.t)") == [hide]


def test_entities_and_evidence_links_show_what_they_point_at(desktop: Any, demo_analysis: Analysis) -> None:
    first = next(i for i, e in enumerate(demo_analysis.entities) if e.mentions)
    desktop.click(f'button[data-entity="{first}"]')
    marked = desktop.eval_on_selector_all("mark.ent.on", "ms => ms.map(m => m.textContent).join('|')")
    assert marked.split("|") == [m.text for m in demo_analysis.entities[first].mentions]
    assert "mentions of" in desktop.inner_text(".ent-status")
    link = desktop.locator("#narratives a.pref").first
    target = (link.get_attribute("href") or "#")[1:]
    link.click()
    assert desktop.evaluate("document.activeElement.id") == target
    assert desktop.evaluate(f"document.getElementById('{target}').classList.contains('hit')")
    assert in_view(desktop, f"#{target}")


def test_warnings_uncertainty_and_contradictions_in_the_browser(browser: Any, tmp_path: Path) -> None:
    base = with_claims(11007, relation="opposite")
    model = ModelInfo(name="m", version="1", engine="e", precision="f32", undetectable=["Red_Herring"])
    warned = base.model_copy(
        update={
            "warnings": [
                AnalysisWarning(code="short_text", message="Only 30 words: too short to judge much.")
            ],
            "model": model,
        }
    )
    path = tmp_path / "warned.html"
    path.write_text(render_html(warned), encoding="utf-8")
    for page in open_page(browser, path, DESKTOP):
        assert in_view(page, ".warnings") and "too short" in page.inner_text(".warnings")
        page.click("#claims .more > summary")
        assert "Agrees with the fact-check" in page.inner_text("#claims")
        assert page.locator("#claims .num").first.is_hidden()  # numbers on demand ...
        page.check(".show-num")
        assert page.locator("#claims .num").first.is_visible()  # ... one switch away
        page.screenshot(path=str(SHOTS / "report-warnings-desktop.png"), full_page=True)
        assert page.errors == []
    for page in open_page(browser, path, PHONE, is_mobile=True):
        page.screenshot(path=str(SHOTS / "report-warnings-phone.png"))


def test_the_corpus_report_opens_with_the_outlets_side_by_side_and_drills_down(
    browser: Any, demo_analysis: Analysis, tmp_path: Path
) -> None:
    import json

    from unspin.batch.output import ANALYSES, HTML_DIR, html_name
    from unspin.batch.tables import build_tables
    from unspin.cli import main

    full = demo_analysis.model_dump(mode="json")
    recs = [
        {"id": f"corpus/{o}/{n}.html", "outlet": o, "date": f"2024-0{1 + n % 3}-1{n % 9}", "origin": "x",
         "analysis": {**full, "title": f"{o} story {n}"}}
        for n in range(12) for o in ("rt", "tass")
    ]  # fmt: skip
    out = tmp_path / "run"
    out.mkdir()
    (out / ANALYSES).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    build_tables(out)
    (out / HTML_DIR).mkdir()
    (out / HTML_DIR / html_name(recs[0]["id"])).write_text(render_html(demo_analysis), encoding="utf-8")
    assert main(["report", str(out), "-q"]) == 0
    for page in open_page(browser, out / "report.html", DESKTOP):
        assert page.locator("h2").first.inner_text().startswith("At a glance")
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        page.screenshot(path=str(SHOTS / "corpus-report-desktop.png"))
        assert page.errors == []
        page.click("text=rt story 0")  # drill down: the article's own report
        page.wait_for_selector("section.verdict")
        assert page.url.endswith(f"{HTML_DIR}/{html_name(recs[0]['id'])}")
    for page in open_page(browser, out / "report.html", PHONE, is_mobile=True):
        page.screenshot(path=str(SHOTS / "corpus-report-phone.png"))
