"""The article heads on the shipped model: narratives, entities and roles, genre, frames — consistent with
the taxonomy and with the text, and free (they never change what the technique pass found)."""

from __future__ import annotations

from typing import Any

from unspin.analysis import Analysis
from unspin.taxonomy import frames as frame_tax
from unspin.taxonomy import narratives as narr_tax
from unspin.taxonomy import roles as role_tax


def test_shipped_model_has_every_head(analyzer: Any) -> None:
    assert list(analyzer.heads) == ["techniques", "narratives", "entities", "genre", "frames", "checkworthy"]
    assert analyzer.needs_hidden


def test_demo_gets_genre_frames_narratives_entities(demo_analysis: Analysis) -> None:
    a = demo_analysis
    assert a.genre is not None and a.genre.label in frame_tax.GENRES
    assert abs(sum(a.genre.scores.values()) - 1.0) < 0.01
    assert a.genre.confidence == max(a.genre.scores.values())
    # The demo is an op-ed (the expectation; also what a reader sees in its first line).
    assert a.genre.label == "opinion"
    assert a.frames and all(f.frame in frame_tax.FRAMES and f.definition for f in a.frames)
    assert [f.confidence for f in a.frames] == sorted((f.confidence for f in a.frames), reverse=True)
    assert a.narratives, "the demo pushes known war narratives"
    assert a.entities


def test_narratives_agree_with_the_taxonomy_and_point_at_paragraphs(demo_analysis: Analysis) -> None:
    a = demo_analysis
    domains = {n.domain for n in a.narratives}
    assert len(domains) == 1, "one article, one domain"
    for n in a.narratives:
        assert n.label in narr_tax.NARRATIVES and n.definition
        assert narr_tax.domain(n.label) == n.domain
        assert n.subnarratives, "each narrative has a subnarrative (its ': Other' at least)"
        for s in n.subnarratives:
            assert s.label in narr_tax.SUBNARRATIVES and narr_tax.parent(s.label) == n.label
        for ev in [*n.evidence, *(e for s in n.subnarratives for e in s.evidence)]:
            p = a.paragraphs[ev.paragraph]
            assert (ev.start, ev.end, ev.text) == (p.start, p.end, p.text)
    assert [n.confidence for n in a.narratives] == sorted((n.confidence for n in a.narratives), reverse=True)


def test_entities_mentions_and_roles_are_consistent(demo_analysis: Analysis) -> None:
    a = demo_analysis
    seen: set[tuple[int, int]] = set()
    framed_done = False
    for e in a.entities:
        assert e.mentions and e.kind in ("PERSON", "ORG", "GPE", "NORP", "LOC")
        for m in e.mentions:
            assert (m.start, m.end) not in seen, "a mention belongs to one entity"
            seen.add((m.start, m.end))
            assert m.text == a.text[m.start : m.end] and m.text == m.text.strip()
            s = a.sentences[m.sentence]
            assert s.start <= m.start < s.end
            assert m.role is None or m.role in role_tax.MAIN_ROLES
        if e.main_role is None:
            framed_done = True  # framed entities come first
            assert not e.fine_roles and e.evidence is None
            continue
        assert not framed_done, "framed entities are listed before unframed ones"
        assert e.main_role in role_tax.MAIN_ROLES
        assert e.fine_roles and all(role_tax.FINE_ROLES[f.role] == e.main_role for f in e.fine_roles)
        assert e.evidence is not None and any(
            e.evidence.start <= m.start < e.evidence.end for m in e.mentions
        ), "the evidence sentence contains a mention of the entity"


def test_heads_do_not_change_the_technique_pass(
    analyzer: Any, demo_text: str, demo_analysis: Analysis
) -> None:
    heads = analyzer.heads
    analyzer.heads = {"techniques": heads["techniques"]}
    try:
        bare = analyzer.analyze(demo_text)
    finally:
        analyzer.heads = heads
    assert bare.narratives == [] and bare.entities == [] and bare.genre is None and bare.frames == []
    assert [(s.start, s.end, s.technique) for s in bare.spans] == [
        (s.start, s.end, s.technique) for s in demo_analysis.spans
    ]


def test_json_round_trip_keeps_the_findings(demo_analysis: Analysis) -> None:
    again = Analysis.model_validate_json(demo_analysis.model_dump_json())
    assert again.narratives == demo_analysis.narratives
    assert again.entities == demo_analysis.entities
    assert again.genre == demo_analysis.genre and again.frames == demo_analysis.frames


def test_a_text_without_names_or_narratives_is_answered(analyzer: Any) -> None:
    a = analyzer.analyze("the weather was mild and the bread was fresh.\n\nwe walked home slowly. " * 5)
    assert a.genre is not None and a.narratives == []
    assert all(m.text == a.text[m.start : m.end] for e in a.entities for m in e.mentions)
