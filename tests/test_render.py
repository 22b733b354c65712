"""Renderers: JSON round trip, the rich terminal summary, the self-contained HTML report."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from unspin.analysis import (
    Analysis,
    ModelInfo,
    SourceInfo,
    TechniqueSpan,
    TextSpan,
    paragraph_records,
    technique_summaries,
)
from unspin.document import Document
from unspin.render import render_html, render_text, to_json
from unspin.render.html import MAX_UNDERLINES, cut_pieces, piece_classes, technique_numbers
from unspin.render.pieces import layers
from unspin.render.text import bar, bar_cells, clean, trim
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, TECHNIQUES

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "khabarovsk-opinion.txt"
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = '"><img src=x onerror=alert(1)>'

# ---------------------------------------------------------------- fixtures


def build_analysis(
    text: str,
    spans: Sequence[tuple[str, int, int, float]],
    title: str | None = None,
    source: SourceInfo | None = None,
) -> Analysis:
    """An Analysis the way the analyzer would build it, from (technique, start, end, confidence) spans."""
    doc = Document.from_text(text, title)
    tspans = sorted(
        (
            TechniqueSpan(
                technique=t,
                start=s,
                end=e,
                text=text[s:e],
                confidence=c,
                paragraph=doc.segment_at(s, "paragraph") or 0,
            )
            for t, s, e, c in spans
        ),
        key=lambda x: (x.start, x.end),
    )
    by_para: dict[int, dict[str, float]] = defaultdict(dict)
    for sp in tspans:
        by_para[sp.paragraph][sp.technique] = max(sp.confidence, by_para[sp.paragraph].get(sp.technique, 0.0))
    return Analysis(
        unspin_version="0.1.0",
        model=ModelInfo(name="unspin-test", version="0", engine="none", precision="f32"),
        source=source or SourceInfo(kind="file", name="examples/khabarovsk-opinion.txt"),
        title=title,
        text=text,
        paragraphs=paragraph_records(doc, tspans, by_para),
        sentences=[TextSpan(start=s.start, end=s.end, text=doc.span_text(s)) for s in doc.sentences],
        spans=tspans,
        techniques=technique_summaries(tspans),
        timings_ms={"read": 1.0, "total": 1234.0},
    )


def at(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


@pytest.fixture(scope="module")
def demo() -> Analysis:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = [
        # A long span with a span of another technique nested inside it.
        (
            "Exaggeration-Minimisation",
            *at(text, "Japan suffered a crushing defeat from the Soviet Union"),
            0.71,
        ),
        ("Loaded_Language", *at(text, "crushing defeat"), 0.93),
        # Two techniques overlapping on "bullies the weak".
        ("Name_Calling-Labeling", *at(text, "Japan is a country that bullies the weak"), 0.88),
        ("Loaded_Language", *at(text, "bullies the weak and fears the hard"), 0.9),
        (
            "Causal_Oversimplification",
            *at(text, "The Russia-Ukraine conflict was triggered by NATO's eastward expansion"),
            0.64,
        ),
        ("Flag_Waving", *at(text, "Russia is a country with a backbone"), 0.77),
        ("Appeal_to_Fear-Prejudice", *at(text, "otherwise it will pay a heavy price"), 0.82),
        ("Loaded_Language", *at(text, "Japanese provocations"), 0.6),
    ]
    return build_analysis(text, spans, title="Putin in Khabarovsk")


def evil_analysis() -> Analysis:
    text = f"Intro {EVIL_SCRIPT} middle {EVIL_IMG} & [bold]end[/bold].\nSecond </script><!-- para </p> here."
    spans = [
        ("Loaded_Language", *at(text, EVIL_SCRIPT), 0.9),
        ("Doubt", *at(text, "middle " + EVIL_IMG), 0.5),
        ('Made_Up"><b>x</b>', *at(text, "</script><!--"), 0.4),  # a label outside the taxonomy, hostile too
    ]
    source = SourceInfo(kind="url", name=EVIL_IMG, url="https://example.com/x?a=<b>&c=" + EVIL_SCRIPT)
    return build_analysis(text, spans, title=EVIL_SCRIPT + EVIL_IMG, source=source)


# ---------------------------------------------------------------- HTML parsing helpers


Attrs = dict[str, str | None]


class Report(HTMLParser):
    """Collects start tags, the visible text of each paragraph as pieces, and the inline scripts/styles.

    A piece of paragraph text is ``(text, technique mark attributes or None, entity mark attributes or None)``:
    entity mentions (``mark.ent``) may wrap technique marks, never the other way round, and neither nests
    in itself.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, Attrs]] = []
        self.paragraphs: dict[int, list[tuple[str, Attrs | None, Attrs | None]]] = {}
        self.scripts: list[tuple[Attrs, str]] = []
        self.styles: list[str] = []
        self._para: int | None = None
        self._mark: Attrs | None = None
        self._ent: Attrs | None = None
        self._raw: str | None = None
        self._raw_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "p" and "ptext" in (a.get("class") or "").split():
            self._para = int(a["data-i"] or "")
            self.paragraphs[self._para] = []
        elif tag == "mark" and "ent" in (a.get("class") or "").split():
            assert self._para is not None, "mention outside a paragraph"
            assert self._ent is None and self._mark is None, "nested mention"
            self._ent = a
        elif tag == "mark":
            assert self._para is not None, "highlight outside a paragraph"
            assert self._mark is None, "nested highlight"
            self._mark = a
        elif tag in ("script", "style"):
            self._raw, self._raw_attrs = "", a
        elif tag == "span" and self._para is not None:
            assert self._mark is None and "data-o" in a, "a plain piece is a bare span with its offset"
        elif self._para is not None:
            raise AssertionError(f"unexpected <{tag}> inside article text")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._para = None
        elif tag == "mark" and self._mark is not None:
            self._mark = None
        elif tag == "mark":
            self._ent = None
        elif tag == "script":
            self.scripts.append((self._raw_attrs, self._raw or ""))
            self._raw = None
        elif tag == "style":
            self.styles.append(self._raw or "")
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw += data
        elif self._para is not None:
            self.paragraphs[self._para].append((data, self._mark, self._ent))

    def paragraph_text(self, index: int) -> str:
        return "".join(d for d, _, _ in self.paragraphs[index])


def parse(document: str) -> Report:
    report = Report()
    report.feed(document)
    report.close()
    return report


def covered_pieces(analysis: Analysis, report: Report) -> list[tuple[int, int, tuple[int, ...], str]]:
    """(start, end, span ids, classes) of every piece, with offsets recovered from the parsed text."""
    out: list[tuple[int, int, tuple[int, ...], str]] = []
    for p in analysis.paragraphs:
        offset = p.start
        for data, mark, _ in report.paragraphs[p.index]:
            mark = mark or {}
            ids = tuple(int(i) for i in (mark.get("data-s") or "").split())
            classes = mark.get("class") or ""
            if out and out[-1][1] == offset and out[-1][2] == ids and not ids:
                out[-1] = (out[-1][0], offset + len(data), ids, classes)  # parser may split plain text
            else:
                out.append((offset, offset + len(data), ids, classes))
            offset += len(data)
    return out


def assert_pieces_match_spans(analysis: Analysis, report: Report) -> None:
    """Every piece lists exactly the spans covering it, and each span's pieces spell its text in order."""
    pieces = covered_pieces(analysis, report)
    for a, b, ids, _ in pieces:
        expect = {i for i, s in enumerate(analysis.spans) if s.start <= a and b <= s.end and s.start < s.end}
        assert set(ids) == expect, (a, b, ids, expect)
    for i, s in enumerate(analysis.spans):
        inside_paragraph = any(p.start <= s.start and s.end <= p.end for p in analysis.paragraphs)
        if s.start < s.end and inside_paragraph:
            assert "".join(analysis.text[a:b] for a, b, ids, _ in pieces if i in ids) == s.text


# ---------------------------------------------------------------- JSON


def test_json_round_trips(demo: Analysis) -> None:
    out = to_json(demo)
    assert Analysis.model_validate_json(out) == demo
    assert "\n  " in out
    assert "\n" not in to_json(demo, indent=None)


# ---------------------------------------------------------------- HTML: structure and spans


def test_html_highlights_every_span_in_order(demo: Analysis) -> None:
    document = render_html(demo)
    report = parse(document)
    for p in demo.paragraphs:
        assert report.paragraph_text(p.index) == p.text
    assert_pieces_match_spans(demo, report)
    # Highlights appear in reading order: first piece of each span, sorted by span start.
    pieces = covered_pieces(demo, report)
    firsts = [min(a for a, _, ids, _ in pieces if i in ids) for i in range(len(demo.spans))]
    assert firsts == [s.start for s in demo.spans]


def test_html_piece_classes_and_data_attributes(demo: Analysis) -> None:
    report = parse(render_html(demo))
    numbers = technique_numbers(demo.spans)
    marks = [a for tag, a in report.tags if tag == "mark"]
    assert marks
    for m in marks:
        ids = [int(i) for i in (m["data-s"] or "").split()]
        techniques = [numbers[demo.spans[i].technique] for i in ids]
        assert [int(k) for k in (m["data-k"] or "").split()] == layers(
            techniques
        )  # what the script re-layers
        assert m["class"] == piece_classes(techniques)
        assert m["tabindex"] == "0"
        offset = int(m["data-o"] or "")  # where the piece starts: inside every span covering it
        assert all(demo.spans[i].start <= offset < demo.spans[i].end for i in ids)
        # Background: the shortest covering span.
        shortest = min(ids, key=lambda i: demo.spans[i].end - demo.spans[i].start)
        assert f"b{numbers[demo.spans[shortest].technique]}" in (m["class"] or "").split()


def test_html_nested_span_piece_is_covered_by_both(demo: Analysis) -> None:
    report = parse(render_html(demo))
    numbers = technique_numbers(demo.spans)
    inner = next(i for i, s in enumerate(demo.spans) if s.text == "crushing defeat")
    outer = next(i for i, s in enumerate(demo.spans) if s.technique == "Exaggeration-Minimisation")
    pieces = covered_pieces(demo, report)
    both = [p for p in pieces if set(p[2]) == {inner, outer}]
    assert [demo.text[a:b] for a, b, _, _ in both] == ["crushing defeat"]
    classes = both[0][3].split()
    # The nested (shorter) span gives the background, the outer one the first underline.
    assert f"b{numbers['Loaded_Language']}" in classes
    assert f"l1-{numbers['Exaggeration-Minimisation']}" in classes
    # The outer span's pieces around it carry only the outer span.
    around = [demo.text[a:b] for a, b, ids, _ in pieces if ids == (outer,)]
    assert around == ["Japan suffered a ", " from the Soviet Union"]


def test_html_overlapping_spans_share_a_piece(demo: Analysis) -> None:
    report = parse(render_html(demo))
    pieces = covered_pieces(demo, report)
    name = next(i for i, s in enumerate(demo.spans) if s.technique == "Name_Calling-Labeling")
    loaded = next(i for i, s in enumerate(demo.spans) if s.text.startswith("bullies"))
    texts = {tuple(sorted(ids)): demo.text[a:b] for a, b, ids, _ in pieces if {name, loaded} & set(ids)}
    assert texts == {
        (name,): "Japan is a country that ",
        tuple(sorted((name, loaded))): "bullies the weak",
        (loaded,): " and fears the hard",
    }


def test_cut_pieces_tiles_the_range_and_orders_by_length() -> None:
    text = "abcdefghij"
    spans = [
        TechniqueSpan(technique="Doubt", start=0, end=8, text=text[0:8], confidence=0.5, paragraph=0),
        TechniqueSpan(technique="Slogans", start=2, end=4, text=text[2:4], confidence=0.5, paragraph=0),
        TechniqueSpan(technique="Repetition", start=3, end=10, text=text[3:10], confidence=0.5, paragraph=0),
        TechniqueSpan(technique="Doubt", start=5, end=5, text="", confidence=0.5, paragraph=0),
    ]
    pieces = cut_pieces(0, 10, spans)
    assert [(p.start, p.end, p.spans) for p in pieces] == [
        (0, 2, (0,)),
        (2, 3, (1, 0)),
        (3, 4, (1, 2, 0)),  # lengths 2 < 7 < 8
        (4, 8, (2, 0)),
        (8, 10, (2,)),
    ]
    # Clipped to a sub-range, e.g. a paragraph.
    assert [(p.start, p.end) for p in cut_pieces(3, 6, spans)] == [(3, 4), (4, 6)]


def test_piece_classes_dedupe_and_cap_underlines() -> None:
    assert piece_classes([4]) == "pc b4"
    assert piece_classes([4, 4, 7]) == "pc b4 l1-7"
    many = piece_classes(list(range(10)))
    assert many.split() == ["pc", "b0", *(f"l{i}-{i}" for i in range(1, MAX_UNDERLINES + 1))]


def test_html_legend_and_badges(demo: Analysis) -> None:
    report = parse(render_html(demo))
    boxes = [a for tag, a in report.tags if tag == "input" and "data-t" in a]
    assert [b["data-t"] for b in boxes] == [t.technique for t in demo.techniques]
    assert all(b["type"] == "checkbox" and "checked" in b for b in boxes)
    badges = [a["data-t"] for tag, a in report.tags if tag == "li" and "badge" in (a.get("class") or "")]
    # One badge per (paragraph, technique).
    assert Counter(badges) == Counter(t for _, t in {(s.paragraph, s.technique) for s in demo.spans})
    # One distinct colour per technique of the taxonomy.
    css = report.styles[0]
    colours = {
        n: re.search(rf"mark\.b{n}\{{background:(#[0-9A-F]{{6}})", css) for n in range(len(TECHNIQUES))
    }
    found = {m.group(1) for m in colours.values() if m}
    assert len(found) == len(TECHNIQUES) == 23


def test_html_embeds_span_data_as_json(demo: Analysis) -> None:
    report = parse(render_html(demo))
    (attrs, raw), *_ = [(a, s) for a, s in report.scripts if a.get("type") == "application/json"]
    assert attrs["id"] == "unspin-data"
    data = json.loads(raw)
    assert [(s["t"], s["x"], s["p"]) for s in data["spans"]] == [
        (s.technique, s.text, s.paragraph) for s in demo.spans
    ]
    assert data["techniques"]["Loaded_Language"]["definition"] == TECHNIQUE_DEFINITIONS["Loaded_Language"]


def test_html_without_techniques_says_so() -> None:
    analysis = build_analysis("A calm report.\nNothing to see.", [])
    document = render_html(analysis)
    report = parse(document)
    assert "No persuasion techniques found" in document
    assert not [a for tag, a in report.tags if tag == "mark"]
    assert report.paragraph_text(1) == "Nothing to see."


def test_html_of_empty_text() -> None:
    analysis = build_analysis("", [])
    assert "The text is empty" in render_html(analysis)


# ---------------------------------------------------------------- HTML: safety


def test_html_escapes_everything() -> None:
    analysis = evil_analysis()
    document = render_html(analysis)
    report = parse(document)
    tags = Counter(tag for tag, _ in report.tags)
    assert tags["img"] == 0 and tags["b"] == 0
    assert tags["script"] == 2  # ours: the JSON data block and the inline script
    assert all(k != "onerror" for _, a in report.tags for k in a)
    assert "<script>alert" not in document and "<img" not in document and "<b>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in document
    # The text still reads back exactly, and the highlights still cover the right text.
    for p in analysis.paragraphs:
        assert report.paragraph_text(p.index) == p.text
    assert_pieces_match_spans(analysis, report)


def test_html_json_block_cannot_break_out() -> None:
    analysis = evil_analysis()
    report = parse(render_html(analysis))
    raw = next(s for a, s in report.scripts if a.get("type") == "application/json")
    assert not re.search(r"[<>&]", raw)
    assert json.loads(raw)["spans"][-1]["x"] == "</script><!--"


def test_html_makes_no_external_requests() -> None:
    document = render_html(evil_analysis())
    report = parse(document)
    for tag, attrs in report.tags:
        for key in ("src", "href", "action", "srcset", "poster", "data", "formaction", "background"):
            value = (attrs.get(key) or "").strip().lower()
            assert not re.match(r"(https?:)?//", value), (tag, key, value)
            assert not value.startswith(("http", "//", "javascript:")), (tag, key, value)
    assert {t for t, _ in report.tags} <= {
        "html", "head", "meta", "link", "title", "style", "body", "header", "p", "h1", "h2", "dl", "div",
        "dt", "dd", "main", "aside", "ul", "li", "label", "input", "span", "details", "summary", "article",
        "mark", "footer", "script", "section", "strong", "ol", "a", "button", "q", "code",
    }  # fmt: skip
    links = [a for t, a in report.tags if t == "link"]
    assert links == [{"rel": "icon", "href": "data:,"}]
    for css in report.styles:
        assert "url(" not in css and "@import" not in css
    assert all(not a.get("src") for t, a in report.tags if t == "script")


def test_html_content_security_policy_pins_inline_code() -> None:
    report = parse(render_html(evil_analysis()))
    csp = next(
        a["content"]
        for t, a in report.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in csp

    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    code = next(s for a, s in report.scripts if "type" not in a)
    assert directives["script-src"] == digest(code)
    assert directives["style-src"] == digest(report.styles[0])


# ---------------------------------------------------------------- HTML: property


_TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(" \n\n<>&\"'")),
    max_size=80,
)


@st.composite
def random_analyses(draw: st.DrawFn) -> Analysis:
    text = draw(_TEXT)
    n = len(text)
    bounds = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted)
    raw = draw(
        st.lists(
            st.tuples(st.sampled_from(TECHNIQUES), bounds, st.floats(0, 1, allow_nan=False)),
            max_size=8,
        )
    )
    return build_analysis(text, [(t, s, e, c) for t, (s, e), c in raw], title=draw(_TEXT) or None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_analyses())
def test_html_text_survives_any_spans(analysis: Analysis) -> None:
    report = parse(render_html(analysis))
    assert set(report.paragraphs) == {p.index for p in analysis.paragraphs}
    for p in analysis.paragraphs:
        assert report.paragraph_text(p.index) == p.text
    assert_pieces_match_spans(analysis, report)


# ---------------------------------------------------------------- terminal


def recorded(analysis: Analysis, width: int = 80, top: int = 8) -> str:
    console = Console(record=True, width=width, file=open("/dev/null", "w"))  # noqa: SIM115
    render_text(analysis, console, top=top)
    console.file.close()
    return console.export_text()


def test_text_summary(demo: Analysis) -> None:
    out = recorded(demo)
    assert "Putin in Khabarovsk" in out
    assert f"{len(demo.text.split())} words" in out
    assert f"{len(demo.paragraphs)} paragraphs" in out and "1.2 s" in out and "unspin-test" in out
    for heading in ("Techniques", "Strongest spans", "Most loaded paragraphs"):
        assert heading in out
    for t in demo.techniques:
        assert t.name in out
    assert "“crushing defeat”" in out
    assert "“bullies the weak and fears the hard”" in out
    # Loaded language (3 spans) is listed first and gets the longest bar.
    tech_lines = [line for line in out.splitlines() if "█" in line]
    assert "Loaded language" in tech_lines[0] and tech_lines[0].count("█") == bar_cells(80)
    assert "moderate" in tech_lines[0]  # the strength of its strongest span, in words
    assert all(cell_len(line) <= 80 for line in out.splitlines())


def test_text_strongest_span_first_with_paragraph_number(demo: Analysis) -> None:
    out = recorded(demo, top=1)
    best = max(demo.spans, key=lambda s: s.confidence)
    lines = out.splitlines()
    quote = next(i for i, line in enumerate(lines) if f"“{best.text}”" in line)
    head = lines[quote - 1].split()
    assert head == [best.strength, "Loaded", "language", "¶", str(best.paragraph + 1)]  # a word, not 93%
    assert "Japanese provocations" not in out  # only the top span is quoted


def test_text_loaded_paragraphs(demo: Analysis) -> None:
    out = recorded(demo)
    section = out.split("Most loaded paragraphs", 1)[1]
    # Paragraph 7 (Nomonhan: exaggeration + loaded language) and 11 (name calling, loaded, fear) have
    # the most distinct techniques; 11 has three.
    first = next(line for line in section.splitlines() if re.match(r"\s+\d+\s+\d+\s", line))
    assert first.split()[:2] == ["11", "3"] and "To deal with a country like Japan" in first


def test_text_escapes_markup_and_control_codes() -> None:
    text = "The [bold]truth[/bold] they hide [red]from you[/]. \x1b[31mRed\x1b[0m alert \u202eevil."
    analysis = build_analysis(
        text,
        [("Loaded_Language", *at(text, "[bold]truth[/bold]"), 0.9), ("Doubt", *at(text, "\x1b[31mRed"), 0.5)],
        title="[link=https://x]Title[/link]",
    )
    out = recorded(analysis)
    assert "[link=https://x]Title[/link]" in out
    assert "“[bold]truth[/bold]”" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert "“[31mRed”" in out


def test_text_no_techniques() -> None:
    out = recorded(build_analysis("Just the facts.", []))
    assert "No persuasion techniques found" in out
    assert "Strongest spans" not in out


@pytest.mark.parametrize("width", [40, 24])
def test_text_narrow_console(demo: Analysis, width: int) -> None:
    out = recorded(demo, width=width)
    assert "Strongest spans" in out
    assert all(cell_len(line) <= width for line in out.splitlines())


def test_text_long_quotes_are_trimmed() -> None:
    text = " ".join(["word"] * 60)
    out = recorded(build_analysis(text, [("Repetition", 0, len(text), 0.8)]))
    quote = re.search(r"“([^”]*)”", out.replace("\n", " "))
    assert quote is not None
    inner = re.sub(r"\s*│?\s+", " ", quote.group(1))
    assert inner.endswith("…") and len(inner) <= 101


def test_text_helpers() -> None:
    assert clean("a\n\tb\x1b[0m  c\u202e") == "a b [0m c"
    assert trim("short", 10) == "short"
    assert trim("one two three four", 16) == "one two three…"  # backs off to a near word boundary
    assert trim("one two thirteen", 12) == "one two thi…"  # but not far
    assert trim("abcdefghijklmnop", 6) == "abcde…"
    assert bar(10, 10, 20) == "█" * 20
    assert bar(1, 1000, 20) == "▏"  # never invisible
    assert bar(5, 10, 3) == "█▌"
    assert bar(0, 0, 10) == ""


def test_summary_row_without_spans_does_not_break_the_report(demo_analysis) -> None:  # type: ignore[no-untyped-def]
    from unspin.analysis import TechniqueSummary
    from unspin.render import render_html

    ghost = TechniqueSummary(
        technique="Straw_Man", name="Straw man", definition="d", count=1, paragraphs=1, max_confidence=0.9
    )
    odd = demo_analysis.model_copy(update={"spans": [], "techniques": [ghost]})
    html = render_html(odd)
    assert "No persuasion techniques found" in html
