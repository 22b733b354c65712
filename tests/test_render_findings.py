"""Renderers of the article-level findings (schema 1.1): genre, frames, narratives, entities and roles."""

from __future__ import annotations

import base64
import hashlib
import re
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
from unspin.render.text_findings import MAX_ENTITIES

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
        strength="weak",
        evidence=[evidence(base, 1, 0.7)],
    )
    narrative = NarrativeFinding(
        label="URW: Discrediting the West, Diplomacy",
        name="Discrediting the West, Diplomacy",
        domain="URW",
        definition="Portrays the West as weak, divided or self-serving, and diplomacy as pointless.",
        confidence=0.8,
        strength="strong",
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
    assert head.split()[0] == "strong" and "Ukraine-Russia war" in head  # strength in words, not 80%
    assert "¶2, ¶1" in head  # evidence paragraphs, numbered from 1, best first
    assert "“Bob Smith said" in section  # an excerpt of the best evidence paragraph
    sub = next(line for line in lines if "↳" in line)
    assert sub.split()[0] == "weak" and "The West is [bold]weak[/bold]" in sub and "¶2" in sub
    assert sub.index("↳") > head.index("Discrediting")  # indented under its narrative


def test_text_entities_table(findings: Analysis) -> None:
    out = recorded(findings, width=100)
    section = out.split("Entities", 1)[1].split("Claims", 1)[0]
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
    assert {"narratives", "entities", "claims", "about"} <= ids
    verdict = document.split('<section class="verdict"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Genre</dt>" in verdict and ">opinion</strong>" in verdict
    assert 'title="Argues the author&#x27;s views, aiming to &lt;persuade&gt; the reader."' in verdict
    about = document.split('id="about"', 1)[1].split("</details>", 1)[0]
    assert "Security and defense" in about and "91%" in about  # frames, with the number on demand
    narratives = document.split('id="narratives"', 1)[1].split("</details>", 1)[0]
    assert "Discrediting the West, Diplomacy" in narratives and "Ukraine-Russia war" in narratives
    assert "The West is [bold]weak[/bold]" in narratives  # square brackets mean nothing in HTML
    assert '<span class="st st-strong">strong</span>' in narratives  # strength in words ...
    assert '<span class="num" title="model probability">80%</span>' in narratives  # ... the number on demand
    assert '<span class="st st-weak">weak</span>' in narratives
    assert "No known narrative" not in document


def test_html_evidence_links_point_at_paragraphs(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    ids = {a.get("id") for _, a in report.tags}
    hrefs = [a.get("href") or "" for t, a in report.tags if t == "a"]
    assert hrefs and all(h.startswith("#") for h in hrefs)  # every link stays in the report
    for href in hrefs:
        assert href[1:] in ids
        target = next(a for t, a in report.tags if a.get("id") == href[1:])
        if href.startswith("#p"):
            assert (target.get("class") or "").startswith("para")
    # The narrative's evidence, best first, then the subnarrative's.
    narratives = document.split('id="narratives"', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'href="#p(\d+)"', narratives) == ["2", "1", "2"]
    entities = document.split('id="entities"', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'href="#p(\d+)"', entities) == ["2"]  # the framed entity's sentence


def test_html_entity_list(findings: Analysis) -> None:
    document = render_html(findings)
    report = parse(document)
    buttons = [a for t, a in report.tags if t == "button" and "data-entity" in a]
    assert [b["data-entity"] for b in buttons] == ["0", "1"]
    assert all(b["type"] == "button" and b["aria-pressed"] == "false" for b in buttons)
    rows = [a["class"] for t, a in report.tags if t == "li" and "finding" in (a.get("class") or "")]
    assert [r for r in rows if "framed" in r] == ["finding framed", "finding unframed"]
    assert "&quot;Acme&quot; &amp; [bold]Co[/bold]</button>" in document
    assert 'title="Betrays &lt;their&gt; own &amp; country."' in document  # fine role definition on hover
    assert ">Antagonist</span>" in document and "Traitor" in document
    assert ">2 mentions</span>" in document and ">1 mention</span>" in document
    assert (
        "<q>Bob Smith said &quot;Acme&quot; &amp; [bold]Co[/bold] is a traitor to the nation.</q>" in document
    )
    assert "more, no role</summary>" not in document


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
    assert tags["script"] == 2 and tags["b"] == 0 and tags["i"] == 0  # ours: the data block and the script
    assert_csp_pins_inline_code(report)
    for _, attrs in report.tags:
        assert not (attrs.get("href") or "#").startswith(("http", "//", "javascript:"))


def test_html_no_narrative_is_other(findings: Analysis) -> None:
    document = render_html(with_findings(findings, narratives=[], genre=None, frames=[]))
    assert "No known narrative (Other)" in document and "<dt>Genre</dt>" not in document
    assert "None of the known narratives (Other)" in document  # the verdict says so too


def test_html_entities_beyond_the_cap_are_collapsed() -> None:
    n = MAX_ENTITY_ROWS + 3
    analysis = many_entities(n)
    document = render_html(analysis)
    report = parse(document)
    assert [a["data-entity"] for t, a in report.tags if t == "button" and "data-entity" in a] == [
        str(i) for i in range(n)
    ]
    assert "<summary>3 more, no role</summary>" in document
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
