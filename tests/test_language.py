"""Language in, language out: every analysis says which language it read and what it cannot know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from unspin.analysis import Analysis, AnalysisWarning, KnownClaimsInfo
from unspin.caveats import SHORT_TEXT_WORDS, claims_warnings, language_warnings, short_text_warning
from unspin.language import UNKNOWN, LanguageGuess, detect

GOLDEN = Path(__file__).parent / "golden"
SPANISH = (
    "El gobierno anunció ayer nuevas medidas para reducir la inflación, según fuentes oficiales del "
    "ministerio de economía. Los sindicatos criticaron la decisión y convocaron una huelga para la próxima "
    "semana. La oposición pidió la comparecencia del ministro en el parlamento. "
) * 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ((GOLDEN / "straight-news.txt").read_text(encoding="utf-8"), "en"),
        ((GOLDEN / "ru-news.txt").read_text(encoding="utf-8"), "ru"),
        (SPANISH, "es"),
        (
            "Die Regierung hat am Montag neue Maßnahmen gegen die Inflation angekündigt, teilte das Ministerium mit.",
            "de",
        ),
    ],
)
def test_detects_the_language(text: str, code: str) -> None:
    guess = detect(text)
    assert guess.code == code and guess.reliable and guess.share > 80


@pytest.mark.parametrize("text", ["hello", "ok 123", "", "\x00\x01", "x\ud800y"])
def test_a_few_characters_are_no_language(text: str) -> None:
    assert detect(text) == UNKNOWN  # and never an exception: bad bytes included


def codes(warnings: list[AnalysisWarning]) -> list[str]:
    return [w.code for w in warnings]


def test_warnings_say_what_the_model_cannot_read() -> None:
    trained = ("en", "ru")
    assert language_warnings(LanguageGuess("ru", "Russian", True, 99), trained) == []
    spanish = language_warnings(LanguageGuess("es", "Spanish", True, 99), trained)
    assert codes(spanish) == ["unsupported_language"] and "Spanish" in spanish[0].message
    assert "English, Russian" in spanish[0].message
    assert codes(language_warnings(LanguageGuess("en", "English", False, 60), trained)) == [
        "language_uncertain"
    ]
    assert codes(language_warnings(UNKNOWN, trained)) == ["language_uncertain"]


def test_short_text_and_claims_warnings() -> None:
    assert codes(short_text_warning(SHORT_TEXT_WORDS - 1)) == ["short_text"]
    assert short_text_warning(SHORT_TEXT_WORDS) == []
    assert codes(claims_warnings(None, 3)) == ["claims_not_matched"]
    empty = claims_warnings(KnownClaimsInfo(claims=0, min_score=0.6), 3)
    assert codes(empty) == ["no_known_claims"] and "unspin claims import --bundled" in empty[0].message
    assert claims_warnings(KnownClaimsInfo(claims=11007, min_score=0.6), 3) == []


def test_spanish_is_analyzed_with_a_warning(analyzer: Any) -> None:
    a: Analysis = analyzer.analyze(SPANISH)
    assert a.language == "es" and "unsupported_language" in codes(a.warnings)
    assert a.paragraphs and a.genre is not None  # analyzed all the same: the warning says how far to trust it


def test_an_english_article_has_no_language_warning(demo_analysis: Analysis) -> None:
    assert demo_analysis.language == "en"
    assert not {"unsupported_language", "language_uncertain", "short_text"} & set(
        codes(demo_analysis.warnings)
    )
    assert demo_analysis.model.languages == ["de", "en", "fr", "it", "pl", "ru"]


def test_a_tiny_text_says_what_it_cannot_know(analyzer: Any) -> None:
    a: Analysis = analyzer.analyze("hello")
    assert {"short_text", "language_uncertain"} <= set(codes(a.warnings))
    # No genre, frames or narrative read from one word.
    assert a.genre is None and a.frames == [] and a.narratives == []


def test_an_empty_database_is_said_not_searched(analyzer: Any, tmp_path: Path) -> None:
    from unspin.analyzer import Analyzer
    from unspin.claims.known import KnownClaims
    from unspin.options import RunOptions

    options = RunOptions(db=tmp_path / "none.db")
    with_missing = Analyzer(options=options, known_claims=KnownClaims.for_options(options))
    a = with_missing.analyze((GOLDEN / "straight-news.txt").read_text(encoding="utf-8"))
    assert a.known_claims is not None and a.known_claims.claims == 0
    assert "no_known_claims" in codes(a.warnings)
    assert not (tmp_path / "none.db").exists()  # an analysis never creates a database
