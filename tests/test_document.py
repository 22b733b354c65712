from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.document import Document, Segment, split_paragraphs

LINE_BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n"]


def test_paragraphs_are_trimmed_nonblank_lines() -> None:
    text = "  Title here \n\nFirst para. Second sentence.\r\n\t\nLast\u2028one"
    doc = Document.from_text(text)
    assert [doc.span_text(p) for p in doc.paragraphs] == [
        "Title here",
        "First para. Second sentence.",
        "Last",
        "one",
    ]


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "Mr. Smith met Dr. J. Doe of the U.S. Army in St. Petersburg. They talked! Then e.g. nothing happened?"
    doc = Document.from_text(text)
    assert [doc.span_text(s) for s in doc.sentences] == [
        "Mr. Smith met Dr. J. Doe of the U.S. Army in St. Petersburg.",
        "They talked!",
        "Then e.g. nothing happened?",
    ]


def test_segment_rejects_inverted_range() -> None:
    try:
        Segment(5, 2)
    except ValueError:
        return
    raise AssertionError("Segment(5, 2) was accepted")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.text(min_size=0, max_size=40), st.sampled_from(LINE_BREAKS)), max_size=20).map(
        "".join
    ),
    st.sampled_from([None, "ru"]),
)
def test_structure_is_offsets_into_the_text(text: str, language: str | None) -> None:
    doc = Document.from_text(text, language=language)  # the rules, and razdel for Russian
    prev_end = 0
    for p in doc.paragraphs:
        piece = doc.span_text(p)
        assert piece and piece == piece.strip()
        assert p.start >= prev_end
        prev_end = p.end
        assert not any(c in piece for c in "\n\r\u2028\u2029")
    for s in doc.sentences:
        piece = doc.span_text(s)
        assert piece and piece == piece.strip()
        assert any(p.start <= s.start and s.end <= p.end for p in doc.paragraphs)
    # Every non-space character belongs to exactly one paragraph.
    covered = sum(len(p) for p in doc.paragraphs)
    assert covered <= len(text)
    assert "".join(c for c in text if not c.isspace()) == "".join(
        c for p in doc.paragraphs for c in doc.span_text(p) if not c.isspace()
    )
    assert list(doc.paragraphs) == split_paragraphs(text)


RU = (
    "Президент В. В. Путин заявил, что т.е. всё идёт по плану. Он добавил: «Мы победим!» "
    "В 2022 г. началась война, погибли 15 тыс. человек.\nЕщё одно предложение."
)


def test_russian_sentences_keep_abbreviations_and_initials() -> None:
    doc = Document.from_text(RU, language="ru")
    got = [doc.span_text(s) for s in doc.sentences]
    assert got == [
        "Президент В. В. Путин заявил, что т.е. всё идёт по плану.",
        "Он добавил: «Мы победим!»",
        "В 2022 г. началась война, погибли 15 тыс. человек.",
        "Ещё одно предложение.",
    ]
    # The rules alone split at the Cyrillic initials: the reason Russian goes to razdel.
    rules = Document.from_text(RU)
    assert len(rules.sentences) > len(doc.sentences)
    assert all(doc.text[s.start : s.end].strip() == doc.text[s.start : s.end] for s in doc.sentences)


def test_the_analysis_splits_russian_with_razdel(analyzer) -> None:  # type: ignore[no-untyped-def]
    a = analyzer.analyze(RU)
    assert a.language == "ru"
    assert a.sentences[0].text == "Президент В. В. Путин заявил, что т.е. всё идёт по плану."
    assert all(a.text[s.start : s.end] == s.text for s in a.sentences)
