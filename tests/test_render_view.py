"""The reading view (issue 16) on hand-built analyses of schema 1.3: verdict first, warnings, strength in
words, undetectable techniques, uncertain roles, known-claims coverage, contradicting matches, folded
unmatched claims, analysts' reviews; the same words in the terminal summary."""

from __future__ import annotations

import json
import re

import pytest

from test_render import at, build_analysis, parse, recorded
from test_render_findings import findings_analysis, with_findings
from unspin.analysis import (
    Analysis,
    AnalysisWarning,
    Claim,
    ClaimMatch,
    KnownClaimsInfo,
    ModelInfo,
    TechniqueSpan,
)
from unspin.render import render_html
from unspin.render.facts import NO_CLAIMS_LOADED, Reviews, display_title, in_context, span_key
from unspin.render.html import view_html

TEXT = (
    "NATO is preparing an attack on Russia, the minister said on Tuesday.\n"
    "Russia never attacked anyone, and NATO is not preparing any attack, the experts said.\n"
    "The weather in Moscow was mild and the shops were open as usual."
)


def match(relation: str, title: str = "NATO is preparing to attack Russia", score: float = 0.8) -> ClaimMatch:
    return ClaimMatch(
        id=7, score=score, title=title, verdict="disinformation", reviewer="EUvsDisinfo", date="2020-01-23",
        url="https://euvsdisinfo.eu/report/7", disproof="No evidence.", relation=relation,  # type: ignore[arg-type]
    )  # fmt: skip


def claim(text: str, sentence: str, index: int, score: float, matches: list[ClaimMatch]) -> Claim:
    start, end = at(text, sentence)
    return Claim(start=start, end=end, text=sentence, sentence=index, score=score, matches=matches)


def with_claims(known: int | None, relation: str = "same") -> Analysis:
    """Three check-worthy sentences: one repeats (or contradicts) a known claim, two match nothing."""
    base = build_analysis(TEXT, [("Loaded_Language", *at(TEXT, "preparing an attack"), 0.7)])
    sentences = [s.text for s in base.sentences]
    claims = [
        claim(TEXT, sentences[0], 0, 0.9, [match(relation)] if known else []),
        claim(TEXT, sentences[1], 1, 0.8, []),
        claim(TEXT, sentences[2], 2, 0.4, []),
    ]
    info = KnownClaimsInfo(claims=known, min_score=0.6) if known is not None else None
    return with_findings(base, claims=claims, known_claims=info)


def between(document: str, start: str, end: str) -> str:
    return document.split(start, 1)[1].split(end, 1)[0]


def verdict_of(document: str) -> str:
    return between(document, '<section class="verdict"', "</section>")


# ---------------------------------------------------------------- layout and verdict


def test_the_verdict_and_the_article_come_before_the_panels() -> None:
    document = render_html(findings_analysis())
    order = [
        document.index(m) for m in ('class="skip"', 'class="verdict"', 'id="article"', 'id="narratives"')
    ]
    assert order == sorted(order)
    assert '<a class="skip" href="#article">Skip to the article</a>' in document
    assert '<article id="article" tabindex="-1"' in document  # the skip link's target takes focus


def test_the_verdict_quotes_the_strongest_span_of_each_technique_in_context() -> None:
    text = "They say the hard truth is that nobody fears the hard men of the north any more."
    spans = [
        ("Loaded_Language", *at(text, "hard", 1), 0.3),
        ("Loaded_Language", *at(text, "hard truth"), 0.4),
    ]
    analysis = build_analysis(text, spans)  # spans in text order: "hard truth", then "hard"
    strong = analysis.spans[1].model_copy(
        update={"strength": "strong"}
    )  # the lower number, the stronger word
    analysis = with_findings(analysis, spans=[analysis.spans[0], strong])
    verdict = verdict_of(render_html(analysis))
    assert verdict.count("<li>") == 1  # one technique: its strongest span only, by strength before number
    assert "<q>…is that nobody fears the <strong>hard</strong> men of the north any more.</q>" in verdict
    assert '<span class="st st-strong">strong</span>' in verdict
    assert "2 spans of 1 technique in 1 of 1 paragraph" in verdict
    assert in_context(analysis, analysis.spans[1], 10) == ("…the ", "hard", " men of…")


def test_titles_never_say_untitled_for_text() -> None:
    a = build_analysis("Just a few words here about nothing at all, really, honestly.", [])
    assert display_title(a) == "examples/khabarovsk-opinion.txt"  # the file name
    text_only = a.model_copy(update={"source": a.source.model_copy(update={"name": None})})
    assert display_title(text_only) == "Just a few words here about nothing at…"
    assert display_title(text_only.model_copy(update={"title": "  A  title "})) == "A title"


# ---------------------------------------------------------------- uncertainty in words


def test_strength_is_a_word_and_the_number_is_on_demand() -> None:
    analysis = findings_analysis()
    document = render_html(analysis)
    data = json.loads(parse(document).scripts[0][1])
    assert [s["s"] for s in data["spans"]] == [s.strength for s in analysis.spans]
    assert [s["c"] for s in data["spans"]] == [round(s.confidence, 4) for s in analysis.spans]
    assert re.search(r'<span class="st st-moderate">moderate</span> Words or phrases', document)  # the legend
    assert '<input type="checkbox" class="show-num">' in document  # numbers: one switch away
    assert ".view:has(.show-num:checked) .num{display:inline}" in document
    assert "the number" in verdict_of(document)


def test_undetectable_techniques_are_not_listed_as_not_found() -> None:
    base = build_analysis("A calm text.", [])
    model = ModelInfo(
        name="m", version="1", engine="e", precision="f32", undetectable=["Red_Herring", "Straw_Man"]
    )
    document = render_html(base.model_copy(update={"model": model}))
    not_found = between(document, "<summary>Not found (21)</summary>", "</details>")
    cannot = between(document, "<summary>This model cannot detect (2)</summary>", "</details>")
    assert "Red herring" not in not_found and "Red herring" in cannot and "Straw man" in cannot
    assert "says nothing about the text" in cannot
    out = recorded(base.model_copy(update={"model": model}), width=100)
    assert "Cannot detect" in out and "Straw man, Red herring" in out  # taxonomy order


def test_near_even_roles_are_marked_uncertain() -> None:
    analysis = findings_analysis()
    acme = analysis.entities[0].model_copy(update={"uncertain": True, "confidence": 0.5})
    analysis = with_findings(analysis, entities=[acme, *analysis.entities[1:]])
    document = render_html(analysis)
    assert 'class="role role-antagonist uncertain"' in document and "Antagonist (uncertain)" in document
    assert "Near-even between roles: a guess, not a finding." in document
    assert "Antagonist (uncertain) 50%" in recorded(analysis, width=120)


def test_warnings_are_rendered_where_nobody_can_miss_them() -> None:
    warnings = [
        AnalysisWarning(code="unsupported_language", message="The text is in <fr>: the model reads English."),
        AnalysisWarning(code="short_text", message="Only 12 words: too short to judge."),
    ]
    analysis = with_findings(with_claims(11007), warnings=warnings, language="fr")
    document = render_html(analysis)
    box = between(document, '<div class="warnings" role="note" aria-label="Warnings">', "</div>")
    assert document.index('class="warnings"') < document.index('class="verdict"')
    assert 'data-code="unsupported_language">The text is in &lt;fr&gt;: the model reads English.' in box
    assert 'data-code="short_text"' in box and "no_known_claims" not in box
    assert "language: fr" in document
    out = recorded(analysis, width=100)
    head = out.split("Techniques", 1)[0]
    assert "! The text is in <fr>: the model reads English." in head and "! Only 12 words" in head


def test_matching_switched_off_is_said_once() -> None:
    off = AnalysisWarning(
        code="claims_not_matched",
        message="3 check-worthy claims were spotted but not matched against known (fact-checked) claims: "
        "matching was switched off.",
    )
    analysis = with_findings(with_claims(None), warnings=[off])
    box = between(render_html(analysis), '<div class="warnings" role="note" aria-label="Warnings">', "</div>")
    assert "matching was switched off" in box and "Claims were not checked" not in box
    head = recorded(analysis, width=200).split("Techniques", 1)[0]
    assert "matching was switched off" in head and "Claims were not checked" not in head


# ---------------------------------------------------------------- known claims


def test_without_known_claims_every_output_says_none_were_loaded() -> None:
    for analysis in (with_claims(None), with_claims(0)):
        document = render_html(analysis)
        assert (
            "0 known claims loaded — run <code>unspin claims import --bundled</code>" in document
        )  # warning
        assert "0 known claims loaded" in verdict_of(document)
        panel = between(document, 'id="claims"', "</details>")
        assert (
            "<strong>0 known claims loaded — run <code>unspin claims import --bundled</code></strong>: no sentence was"
            in panel
        )
        assert "no known match" not in document.lower() and "No sentence matches" not in document
        out = recorded(analysis, width=120)
        assert NO_CLAIMS_LOADED in out.split("Techniques", 1)[0]  # a warning at the top
        assert f"Check-worthiness; {NO_CLAIMS_LOADED}" in out


def test_with_known_claims_the_count_is_said_and_repetitions_come_first() -> None:
    analysis = with_claims(11007)
    document = render_html(analysis)
    verdict = verdict_of(document)
    assert "1 sentence matches known false claims (11,007 known claims searched)" in verdict
    panel = between(document, 'id="claims"', '<details id="about"')
    assert "Sentences matched against 11,007 known claims (similarity ≥ 0.60)." in panel
    assert "Matches a known false claim" in panel
    shown, folded = panel.split('<details class="more">', 1)
    assert "NATO is preparing an attack" in shown and "The weather in Moscow" not in shown
    assert "2 check-worthy sentences without a known match, most check-worthy first" in folded
    assert folded.index("Russia never attacked") < folded.index("The weather in Moscow")
    out = recorded(analysis, width=120)
    assert "matched against 11,007 known claims" in out and "↳ matches (0.80)" in out
    assert "The weather in Moscow" not in out.split("Claims", 1)[1].split("Strongest", 1)[0]
    none = with_findings(analysis, claims=[c.model_copy(update={"matches": []}) for c in analysis.claims])
    assert "No sentence matches any of the 11,007 known claims" in verdict_of(render_html(none))


def test_a_contradicting_match_is_never_shown_as_a_repetition() -> None:
    analysis = with_claims(11007, relation="opposite")
    document = render_html(analysis)
    assert "Matches a known false claim" not in document
    assert (
        "Agrees with the fact-check:</span> this sentence says the contrary of a known false claim"
        in document
    )
    assert "No sentence matches any of the 11,007 known claims" in verdict_of(document)  # not a debunk
    out = recorded(analysis, width=120)
    assert "agrees with the fact-check: says the contrary of" in out and "↳ matches" not in out


# ---------------------------------------------------------------- analysts' reviews (the web app's view)


def test_reviews_show_in_the_view_and_only_in_the_app() -> None:
    analysis = findings_analysis()
    wrong = analysis.spans[3]  # "traitor to the nation": no other span covers it
    reviews = Reviews(
        verdicts={
            ("span", span_key(wrong.technique, wrong.start, wrong.end)): "wrong",
            ("narrative", analysis.narratives[0].label): "confirmed",
            ("entity", analysis.entities[0].name): "wrong",
        },
        missed=[("Doubt", 0, 5)],
    )
    view = view_html(analysis, reviews)
    report = parse(view)
    marks = [a for t, a in report.tags if t == "mark" and "pc" in (a.get("class") or "").split()]
    struck = [m for m in marks if "wrong" in (m.get("class") or "").split()]
    assert struck and all(m["data-s"] == "3" for m in struck)  # every piece of that span, and only those
    missed = [m for m in marks if "missed" in (m.get("class") or "").split()]
    assert missed and all(str(len(analysis.spans)) in (m["data-s"] or "").split() for m in missed)
    data = json.loads(next(s for a, s in report.scripts if a.get("type") == "application/json"))
    assert data["spans"][3]["w"] == 1 and data["spans"][-1] == {
        "t": "Doubt",
        "x": "Intro",
        "p": 0,
        "a": 0,
        "b": 5,
        "m": 1,
    }
    assert 'class="finding rv-confirmed"' in view and 'class="finding framed rv-wrong"' in view
    slots = re.findall(r'<div class="fb" data-target="(\w+)" data-key="[^"]*" data-q="([^"]*)"', view)
    assert ("narrative", "Does the article push this narrative?") in slots
    assert ("entity", "Is this role right?") in slots
    static = render_html(analysis)
    assert (
        'class="fb"' not in static
        and " wrong" not in static.split('id="article"', 1)[1].split("</article>")[0]
    )


@pytest.mark.parametrize("relation", ["same", "opposite"])
def test_claim_verdicts_say_what_they_are_about(relation: str) -> None:
    view = view_html(with_claims(11007, relation), Reviews())
    questions = re.findall(r'data-target="claim" data-key="([^"]*)" data-q="([^"]*)"', view)
    keys = dict(questions)
    sentence = next(k for k in keys if "/known:" not in k)
    assert keys[sentence] == "Is this sentence worth checking?"
    matched = next(k for k in keys if "/known:" in k)
    assert matched == f"{sentence}/known:7"
    assert keys[matched] == (
        "Is this the same claim as the known one?"
        if relation == "same"
        else "Does this sentence contradict that false claim?"
    )


def test_a_span_the_model_found_stays_valid_data() -> None:
    span = TechniqueSpan(technique="Doubt", start=0, end=5, text="Intro", confidence=0.5, paragraph=0)
    assert span.strength == "moderate"  # schema default until the heads fill it in
