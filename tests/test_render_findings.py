"""Renderers of the article-level findings (schema 1.1): genre, frames, narratives, entities and roles."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from test_render import (
    EVIL_SCRIPT,
    Report,
    assert_pieces_match_spans,
    at,
    build_analysis,
    parse,
    random_analyses,
    recorded,
)
from unspin.analysis import (
    Analysis,
    Entity,
    EntityMention,
    Evidence,
    FrameFinding,
    Genre,
    NarrativeFinding,
    RoleScore,
    SubnarrativeFinding,
    TextSpan,
)
from unspin.render import render_html
from unspin.render.panels import MAX_ENTITY_ROWS
from unspin.render.text import MAX_ENTITIES

ACME = '"Acme" & [bold]Co[/bold]'  # an entity whose name is rich markup, with quotes and an ampersand
TEXT = (
    f"Intro {EVIL_SCRIPT} from {ACME} today.\n"
    f"Bob Smith said {ACME} is a traitor to the nation. He meant it.\n"
    "Nothing else happened."
)

# ---------------------------------------------------------------- fixtures


def with_findings(base: Analysis, **findings: object) -> Analysis:
    """``base`` with the findings replaced, validated again (so every quoted span is checked)."""
    return Analysis(**(dict(base) | findings))


def span(text: str, phrase: str, occurrence: int = 0) -> TextSpan:
    start, end = at(text, phrase, occurrence)
    return TextSpan(start=start, end=end, text=phrase)


def evidence(analysis: Analysis, paragraph: int, score: float) -> Evidence:
    p = analysis.paragraphs[paragraph]
    return Evidence(start=p.start, end=p.end, text=p.text, paragraph=paragraph, score=score)


def mention(text: str, phrase: str, occurrence: int, sentence: int, role: str | None = None) -> EntityMention:
    start, end = at(text, phrase, occurrence)
    return EntityMention(start=start, end=end, text=phrase, sentence=sentence, role=role, confidence=0.8)


def findings_analysis() -> Analysis:
    """One narrative with a subnarrative, a framed and an unframed entity whose mentions technique spans
    cross, a genre and frames; hostile markup in the text, the names and the definitions."""
    spans = [
        ("Loaded_Language", *at(TEXT, f'{EVIL_SCRIPT} from "Acme"'), 0.9),  # runs into a mention
        ("Doubt", *at(TEXT, 'Smith said "Acme"'), 0.5),  # leaves one mention, enters another
        ("Name_Calling-Labeling", *at(TEXT, "[bold]Co[/bold] is a traitor"), 0.8),  # leaves a mention
        ("Loaded_Language", *at(TEXT, "traitor to the nation"), 0.7),
    ]
    base = build_analysis(TEXT, spans, title="Findings <b>test</b>")
    sub = SubnarrativeFinding(
        label="URW: Discrediting the West, Diplomacy: The West is weak",
        name="The West is [bold]weak[/bold]",
        definition='Portrays <i>the West</i> as "weak" & unable to act.',
        confidence=0.6,
        evidence=[evidence(base, 1, 0.7)],
    )
    narrative = NarrativeFinding(
        label="URW: Discrediting the West, Diplomacy",
        name="Discrediting the West, Diplomacy",
        domain="URW",
        definition="Portrays the West as weak, divided or self-serving, and diplomacy as pointless.",
        confidence=0.8,
        evidence=[evidence(base, 1, 0.9), evidence(base, 0, 0.4)],
        subnarratives=[sub],
    )
    acme = Entity(
        name=ACME,
        kind="ORG",
        mentions=[mention(TEXT, ACME, 0, 0), mention(TEXT, ACME, 1, 1, "Antagonist")],
        main_role="Antagonist",
        confidence=0.8,
        role_scores={"Protagonist": 0.1, "Antagonist": 0.8, "Innocent": 0.05},
        fine_roles=[RoleScore(role="Traitor", confidence=0.7, definition="Betrays <their> own & country.")],
        evidence=span(TEXT, f"Bob Smith said {ACME} is a traitor to the nation."),
    )
    bob = Entity(
        name="Bob Smith",
        kind="PERSON",
        mentions=[mention(TEXT, "Bob Smith", 0, 1)],
        confidence=0.2,
        role_scores={"Protagonist": 0.1, "Antagonist": 0.2, "Innocent": 0.05},
    )
    return with_findings(
        base,
        narratives=[narrative],
        entities=[acme, bob],
        genre=Genre(
            label="opinion",
            confidence=0.93,
            scores={"opinion": 0.93, "reporting": 0.05, "satire": 0.02},
            definition="Argues the author's views, aiming to <persuade> the reader.",
        ),
        frames=[
            FrameFinding(
                frame="Security_and_defense", name="Security and defense", confidence=0.91, definition="x"
            ),
            FrameFinding(frame="Economic", name="Economic", confidence=0.5, definition="Costs & benefits."),
        ],
    )


@pytest.fixture(scope="module")
def findings() -> Analysis:
    return findings_analysis()


def many_entities(n: int) -> Analysis:
    text = " ".join(f"Name{i}" for i in range(n))
    entities = [
        Entity(
            name=f"Name{i}\x1b[31m",
            kind="PERSON",
            mentions=[mention(text, f"Name{i}", 0, 0)],
            main_role="Innocent" if i < 2 else None,
            confidence=0.5,
        )
        for i in range(n)
    ]
    return with_findings(build_analysis(text, []), entities=entities)


# ---------------------------------------------------------------- terminal


def test_text_genre_frames_and_narratives(findings: Analysis) -> None:
    out = recorded(findings, width=100)
    assert "Genre: opinion (93%)" in out
    assert "Frames: Security and defense 91%, Economic 50%" in out
    section = out.split("Narratives", 1)[1].split("Entities", 1)[0]
    lines = section.splitlines()
    head = next(line for line in lines if "Discrediting the West, Diplomacy" in line)
    assert head.split()[0] == "80%" and "Ukraine-Russia war" in head
    assert "¶2, ¶1" in head  # evidence paragraphs, numbered from 1, best first
    assert "“Bob Smith said" in section  # an excerpt of the best evidence paragraph
    sub = next(line for line in lines if "↳" in line)
    assert sub.split()[0] == "60%" and "The West is [bold]weak[/bold]" in sub and "¶2" in sub
    assert sub.index("↳") > head.index("Discrediting")  # indented under its narrative


def test_text_entities_table(findings: Analysis) -> None:
    out = recorded(findings, width=100)
    section = out.split("Entities", 1)[1].split("Strongest spans", 1)[0]
    # Row lines start in the first column; continuation lines (the evidence quote) are indented further.
    rows = [line for line in section.splitlines() if re.match(r"  \S", line) and "Entity" not in line]
    assert len(rows) == 2
    assert ACME in rows[0] and "Bob Smith" in rows[1]  # framed first
    acme = rows[0].split()
    assert acme[acme.index("ORG") + 1] == "2"  # mentions
    assert "Antagonist 80% · Traitor 70%" in rows[0]
    assert rows[1].split()[-2:] == ["1", "—"]  # unframed
    assert "“Bob Smith said" in section and "traitor to the nation.”" in section  # the evidence sentence


def test_text_does_not_interpret_markup(findings: Analysis) -> None:
    out = recorded(findings, width=100)
    assert out.count(ACME) >= 3  # the entity's name, its evidence, the narrative's excerpt: all literal
    assert "The West is [bold]weak[/bold]" in out
    assert "Findings <b>test</b>" in out and EVIL_SCRIPT in out


def test_text_no_narrative_is_other(findings: Analysis) -> None:
    out = recorded(with_findings(findings, narratives=[]))
    assert "No known narrative (Other)" in out
    assert "Discrediting" not in out


def test_text_entities_are_capped() -> None:
    out = recorded(many_entities(MAX_ENTITIES + 3))
    names = re.findall(r"Name\d+", out.split("Entities", 1)[1])
    assert names == [f"Name{i}" for i in range(MAX_ENTITIES)]
    assert "+3 more" in out and "\x1b" not in out


def test_text_no_entities_and_no_findings() -> None:
    out = recorded(build_analysis("Just the facts.", []))
    assert "No named entities found" in out and "Genre" not in out and "Frames" not in out


@pytest.mark.parametrize("width", [40, 24])
def test_text_findings_fit_a_narrow_console(findings: Analysis, width: int) -> None:
    out = recorded(findings, width=width)
    assert "Narratives" in out and "Entities" in out
    assert all(cell_len(line) <= width for line in out.splitlines())


# ---------------------------------------------------------------- HTML helpers


def mention_offsets(analysis: Analysis, report: Report) -> dict[int, set[int]]:
    """Entity index -> the text offsets its ``mark.ent`` elements cover, recovered from the parsed text."""
    covered: dict[int, set[int]] = {}
    for p in analysis.paragraphs:
        offset = p.start
        for data, _, ent in report.paragraphs[p.index]:
            for i in (ent.get("data-entity") or "").split() if ent else []:
                covered.setdefault(int(i), set()).update(range(offset, offset + len(data)))
            offset += len(data)
    return covered


def assert_mentions_marked(analysis: Analysis, report: Report) -> None:
    """Every entity's marks cover exactly its mentions (inside paragraphs), and only real entities."""
    covered = mention_offsets(analysis, report)
    in_paragraphs = {o for p in analysis.paragraphs for o in range(p.start, p.end)}
    assert set(covered) <= set(range(len(analysis.entities)))
    for i, e in enumerate(analysis.entities):
        expect = {o for m in e.mentions for o in range(m.start, m.end)} & in_paragraphs
        assert covered.get(i, set()) == expect, (i, e.name)


def assert_csp_pins_inline_code(report: Report) -> None:
    csp = next(
        a["content"]
        for t, a in report.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "unsafe" not in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))

    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    assert directives["script-src"] == digest(next(s for a, s in report.scripts if "type" not in a))
    assert directives["style-src"] == digest(report.styles[0])


# ---------------------------------------------------------------- HTML


def test_html_findings_panels(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    ids = {a.get("id") for _, a in report.tags}
    assert {"narratives", "entities"} <= ids
    gist = re.search(r'<dl class="meta gist">(.*?)</dl>', document)
    assert (
        gist and "<dt>Genre</dt>" in gist.group(1) and "opinion" in gist.group(1) and "93%" in gist.group(1)
    )
    assert "Security and defense" in gist.group(1) and "91%" in gist.group(1)
    assert "Discrediting the West, Diplomacy" in document and "Ukraine-Russia war" in document
    assert "The West is [bold]weak[/bold]" in document  # square brackets mean nothing in HTML
    assert 'title="Argues the author&#x27;s views, aiming to &lt;persuade&gt; the reader."' in document
    assert "No known narrative" not in document


def test_html_evidence_links_point_at_paragraphs(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    ids = {a.get("id") for _, a in report.tags}
    links = re.findall(r'<a href="#([^"]*)"[^>]*>¶(\d+)</a>', document)
    hrefs = [a.get("href") for t, a in report.tags if t == "a"]
    assert len(links) == len(hrefs) and links  # every link is a ¶ link
    for target, number in links:
        assert target == f"p{number}" and target in ids
        div = next(a for t, a in report.tags if a.get("id") == target)
        assert div.get("class") == "para"
    # The narrative's evidence, best first, then the subnarrative's, then the framed entity's sentence.
    assert [n for _, n in links] == ["2", "1", "2", "2"]


def test_html_entity_table(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    buttons = [a for t, a in report.tags if t == "button"]
    assert [b["data-entity"] for b in buttons] == ["0", "1"]
    assert all(b["type"] == "button" and b["aria-pressed"] == "false" for b in buttons)
    rows = [a["class"] for t, a in report.tags if t == "tr" and a.get("class")]
    assert rows == ["framed", "unframed"]
    assert "&quot;Acme&quot; &amp; [bold]Co[/bold]</button>" in document
    assert 'title="Betrays &lt;their&gt; own &amp; country."' in document  # fine role definition on hover
    assert "Antagonist</span>" in document and "Traitor" in document
    assert '<td data-label="Mentions">2</td>' in document and '<td data-label="Mentions">1</td>' in document
    assert (
        "<q>Bob Smith said &quot;Acme&quot; &amp; [bold]Co[/bold] is a traitor to the nation.</q>" in document
    )
    assert "more</summary>" not in document


def test_html_mentions_marked_without_breaking_spans(findings: Analysis) -> None:
    report = parse(render_html(findings))
    for p in findings.paragraphs:
        assert report.paragraph_text(p.index) == p.text
    assert_pieces_match_spans(findings, report)
    assert_mentions_marked(findings, report)
    marks = [a for t, a in report.tags if t == "mark" and "ent" in (a.get("class") or "").split()]
    assert Counter(m["data-entity"] for m in marks) == {"0": 2, "1": 1}  # one mark per mention here


def test_html_escapes_findings_and_keeps_csp(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    assert "<script>alert" not in document and "<b>" not in document and "<i>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    tags = Counter(tag for tag, _ in report.tags)
    assert tags["script"] == 2 and tags["b"] == 0 and tags["i"] == 0
    assert_csp_pins_inline_code(report)
    for _, attrs in report.tags:
        assert not (attrs.get("href") or "#").startswith(("http", "//", "javascript:"))


def test_html_no_narrative_is_other(findings: Analysis) -> None:
    document = render_html(with_findings(findings, narratives=[], genre=None, frames=[]))
    assert "No known narrative (Other)" in document and 'class="meta gist"' not in document


def test_html_entities_beyond_the_cap_are_collapsed() -> None:
    n = MAX_ENTITY_ROWS + 3
    analysis = many_entities(n)
    document = render_html(analysis)
    report = parse(document)
    assert [a["data-entity"] for t, a in report.tags if t == "button"] == [str(i) for i in range(n)]
    assert "<summary>3 more</summary>" in document
    assert_mentions_marked(analysis, report)


def test_html_without_entities() -> None:
    assert "No named entities found" in render_html(build_analysis("Just the facts.", []))


_BOUNDS = st.tuples(st.integers(0, 80), st.integers(0, 80)).map(sorted)


@st.composite
def analyses_with_mentions(draw: st.DrawFn) -> Analysis:
    base = draw(random_analyses())
    n = len(base.text)
    raw = draw(st.lists(st.lists(_BOUNDS, min_size=1, max_size=3), max_size=4))
    entities = [
        Entity(
            name=f"E{i}",
            kind="ORG",
            mentions=[
                EntityMention(
                    start=min(s, n),
                    end=min(e, n),
                    text=base.text[min(s, n) : min(e, n)],
                    sentence=0,
                    confidence=0.5,
                )
                for s, e in bounds
            ],
            confidence=0.5,
        )
        for i, bounds in enumerate(raw)
    ]
    return with_findings(base, entities=entities)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses_with_mentions())
def test_html_text_survives_any_mentions(analysis: Analysis) -> None:
    report = parse(render_html(analysis))
    for p in analysis.paragraphs:
        assert report.paragraph_text(p.index) == p.text
    assert_pieces_match_spans(analysis, report)
    assert_mentions_marked(analysis, report)


# ---------------------------------------------------------------- the inline script: entity buttons

_ENTITY_STUB = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
function node(attrs) {
  const el = {
    attrs: attrs, className: attrs["class"] || "", listeners: {}, textContent: attrs.text || "", scrolled: 0,
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
    setAttribute(k, v) { this.attrs[k] = v; },
    addEventListener(type, f) { this.listeners[type] = f; },
    getBoundingClientRect() { return { top: 5000, bottom: 5020, left: 0 }; },
    scrollIntoView() { this.scrolled += 1; },
  };
  const names = () => el.className.split(" ").filter(Boolean);
  el.classList = {
    add(c) { if (!names().includes(c)) { el.className = names().concat([c]).join(" "); } },
    remove(c) { el.className = names().filter((n) => n !== c).join(" "); },
    contains(c) { return names().includes(c); },
  };
  return el;
}
const marks = input.marks.map(node), buttons = input.buttons.map(node);
const status = node({}), root = node({ class: "nojs" });
global.window = { scrollX: 0, scrollY: 0, innerHeight: 800 };
global.document = {
  documentElement: root,
  getElementById(id) {
    return { "unspin-data": { textContent: input.data }, "ent-status": status }[id] || node({});
  },
  querySelectorAll(sel) {
    if (sel === "button[data-entity]") { return buttons; }
    if (sel === "mark.ent.on") { return marks.filter((m) => m.classList.contains("on")); }
    const m = /^mark\.ent\[data-entity~="(\d+)"\]$/.exec(sel);
    if (m) { return marks.filter((x) => x.attrs["data-entity"].split(" ").includes(m[1])); }
    return [];
  },
  addEventListener() {},
  createElement() { return node({}); },
};
eval(input.script);
const snap = () => ({
  on: marks.filter((m) => m.classList.contains("on")).map((m) => m.attrs["data-entity"]),
  pressed: buttons.map((b) => b.attrs["aria-pressed"]),
  status: status.textContent,
  scrolled: marks.map((m) => m.scrolled).reduce((a, b) => a + b, 0),
});
const out = [];
buttons[0].listeners.click(); out.push(snap());
buttons[1].listeners.click(); out.push(snap());
buttons[1].listeners.click(); out.push(snap());
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the report's script")
def test_inline_script_highlights_entity_mentions(findings: Analysis) -> None:
    report = parse(render_html(findings))
    buttons = [
        dict(a, text=findings.entities[int(a["data-entity"] or 0)].name)
        for t, a in report.tags
        if t == "button"
    ]
    stdin = json.dumps(
        {
            "script": next(s for a, s in report.scripts if "type" not in a),
            "data": next(s for a, s in report.scripts if a.get("type") == "application/json"),
            "marks": [a for t, a in report.tags if t == "mark" and "ent" in (a.get("class") or "").split()],
            "buttons": buttons,
        }
    )
    run = subprocess.run(
        ["node", "-e", _ENTITY_STUB], input=stdin, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    first, second, cleared = json.loads(run.stdout)
    assert first["on"] == ["0", "0"] and first["pressed"] == ["true", "false"]
    assert ACME in first["status"] and first["scrolled"] == 1  # off screen: scrolled to the first mention
    assert second["on"] == ["1"] and second["pressed"] == ["false", "true"]  # one entity at a time
    assert cleared["on"] == [] and cleared["pressed"] == ["false", "false"] and cleared["status"] == ""
