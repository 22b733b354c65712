"""What an analysis cannot know, said in words: the ``warnings`` every output renders.

A confident answer on input the model cannot read is a defect, so these are not footnotes: a text in a
language no head was trained on, a text too short to carry an article's genre or narrative, a known-claims
database that is empty or was not searched.
"""

from __future__ import annotations

from collections.abc import Sequence

from unspin.analysis import AnalysisWarning, KnownClaimsInfo
from unspin.language import LanguageGuess

# Under this many words a text is not an article: genre, frames and narratives are not assessed.
SHORT_TEXT_WORDS = 50

LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "fr": "French", "de": "German", "it": "Italian", "pl": "Polish",
    "bg": "Bulgarian", "pt": "Portuguese", "hi": "Hindi", "uk": "Ukrainian",
}  # fmt: skip


def _names(codes: Sequence[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(c, c) for c in codes)


def language_warnings(guess: LanguageGuess, trained: Sequence[str]) -> list[AnalysisWarning]:
    if guess.code is None:
        return [
            AnalysisWarning(
                code="language_uncertain",
                message="The language of this text could not be determined (too little text, or mixed). "
                f"The model reads {_names(trained)}; findings on other text may be missing or wrong.",
            )
        ]
    out = []
    if guess.code not in trained:
        out.append(
            AnalysisWarning(
                code="unsupported_language",
                message=f"This text is in {guess.name or guess.code}, which the model was not trained on "
                f"(it reads {_names(trained)}). It was analyzed anyway: techniques, narratives and roles "
                "may be missing or wrong, and an empty result does not mean the text has none.",
            )
        )
    elif not guess.reliable:
        out.append(
            AnalysisWarning(
                code="language_uncertain",
                message=f"The text looks {guess.name or guess.code} ({guess.share}% of it), but mixed or too "
                "short to be sure; findings on passages in other languages may be missing or wrong.",
            )
        )
    return out


def short_text_warning(words: int) -> list[AnalysisWarning]:
    if words >= SHORT_TEXT_WORDS:
        return []
    return [
        AnalysisWarning(
            code="short_text",
            message=f"A short text ({words} word{'s' if words != 1 else ''}): persuasion techniques were "
            f"looked for phrase by phrase, but genre, frames and narratives need an article (at least "
            f"{SHORT_TEXT_WORDS} words) and were not assessed.",
        )
    ]


def claims_warnings(info: KnownClaimsInfo | None, spotted: int) -> list[AnalysisWarning]:
    if info is None:
        return [
            AnalysisWarning(
                code="claims_not_matched",
                message=f"{spotted} check-worthy claim{'s were' if spotted != 1 else ' was'} spotted but not "
                "matched against known (fact-checked) claims: matching was switched off.",
            )
        ]
    if info.claims == 0:
        return [
            AnalysisWarning(
                code="no_known_claims",
                message="0 known claims loaded — run `unspin claims import --bundled` to match claims "
                "against the EUvsDisinfo cases. No match below means nothing was searched.",
            )
        ]
    return []
