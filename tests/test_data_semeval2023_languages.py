"""The SemEval-2023 reader in all six languages: offsets, paragraphs and the English default."""

from __future__ import annotations

import pytest

from unspin.data import semeval2023 as sd

ROOT = sd.default_data_dir() / "semeval2023-task3"
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="needs ../shared/data")


@pytest.mark.parametrize("lang", sd.LANGUAGES)
def test_every_gold_span_slices_its_article(lang: str) -> None:
    arts = sd.load_articles(lang=lang)
    assert arts and all(a.lang == lang for a in arts)
    n_spans = 0
    for art in arts:
        for span in art.spans:
            n_spans += 1
            assert 0 <= span.start < span.end <= len(art.text), (art.key, span)
            piece = art.text[span.start : span.end]
            assert piece.strip(), (art.key, span)
        # Paragraph labels name lines of the file, and every labelled line is a paragraph the scorer reads.
        numbers = {num for num, _, _ in sd.iter_paragraphs(art)}
        assert set(art.paragraph_labels) <= numbers, art.key
    assert n_spans > 1000


def test_crlf_offsets_count_the_carriage_return() -> None:
    """Most non-English files end lines with CRLF; offsets point at word starts only if the CR is kept."""
    arts = [a for a in sd.load_articles(lang="ru") if "\r\n" in a.text]
    starts = [(a.text, s.start) for a in arts for s in a.spans]
    assert len(starts) > 500
    at_word = sum(1 for text, i in starts if i == 0 or not text[i - 1].isalnum())
    assert at_word / len(starts) > 0.98


def test_english_default_and_folder_names() -> None:
    default = sd.load_articles()
    assert len(default) == 446 and default[0].lang == "en"
    assert [a.id for a in sd.load_articles(ROOT / "en")] == [a.id for a in default]
    german = sd.load_articles(ROOT / "ge")
    assert german and german[0].lang == "de" and german[0].key.startswith("de/")
    assert [a.key for a in sd.load_articles(lang="de")] == [a.key for a in german]


def test_all_languages_have_unique_keys_and_the_missing_english_techniques() -> None:
    arts = sd.load_all()
    assert len(arts) == 1251 and len({a.key for a in arts}) == 1251
    english = {s.technique for a in arts if a.lang == "en" for s in a.spans}
    others = {s.technique for a in arts if a.lang != "en" for s in a.spans}
    assert len(others - english) == 4
