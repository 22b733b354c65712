"""The shipped model on the demo article reads as a careful reader would (checked, never tuned on)."""

from __future__ import annotations

from unspin.analysis import Analysis


def test_the_bullying_paragraph_is_the_most_loaded(demo_analysis: Analysis) -> None:
    # Model 0.4.0 flags fewer techniques and more of them right: the paragraph that calls a neighbour a
    # bully is among the most loaded (ties allowed) and its loaded words are marked as such.
    bully = next(p for p in demo_analysis.paragraphs if "bullies the weak and fears the hard" in p.text)
    most = max(len(p.techniques) for p in demo_analysis.paragraphs)
    assert len(bully.techniques) == most >= 1
    assert "Loaded_Language" in bully.techniques
    assert any("bullies" in s.text for s in demo_analysis.spans if s.paragraph == bully.index)


def test_plain_factual_paragraphs_stay_nearly_clean(demo_analysis: Analysis) -> None:
    # The opening report of the visit and the paragraph of diplomatic facts (relations with neighbours).
    factual = [
        p
        for p in demo_analysis.paragraphs
        if p.text.startswith(("Vladimir Putin inspected", "In order to achieve"))
    ]
    assert len(factual) == 2
    assert all(len(p.techniques) <= 1 for p in factual)


def test_spans_carry_definitions_in_the_summary(demo_analysis: Analysis) -> None:
    assert demo_analysis.techniques
    for t in demo_analysis.techniques:
        assert t.definition and t.count == sum(1 for s in demo_analysis.spans if s.technique == t.technique)
