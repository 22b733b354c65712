"""What every output says the same way: titles, strength in words, the known-claims coverage, reviews.

The terminal summary, the HTML report and the web app word these from here, so that no surface says
"no match" where another says "nothing was searched", and none shows a bare probability where the
others say how strong the finding is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from unspin.analysis import Analysis, Claim, ClaimMatch, Entity, Strength, TechniqueSpan
from unspin.taxonomy import TECHNIQUES

STRENGTHS: tuple[Strength, ...] = ("strong", "moderate", "weak")
STRENGTH_NOTE = (
    "Strength is the model's confidence relative to that label's own threshold (strong, moderate or weak): "
    "the probabilities of different labels are not comparable, their margins are."
)
NO_CLAIMS_LOADED = "0 known claims loaded — run `unspin claims import --bundled`"
UNTITLED_WORDS = 8  # a text without a title is named by its first words


def strength_rank(strength: str) -> int:
    """0 for strong, 1 moderate, 2 weak (unknown words last)."""
    return STRENGTHS.index(strength) if strength in STRENGTHS else len(STRENGTHS)


def strongest(strengths: Iterable[str]) -> Strength:
    ranked = sorted(strengths, key=strength_rank)
    return ranked[0] if ranked and ranked[0] in STRENGTHS else "weak"


def display_title(analysis: Analysis) -> str:
    """The title; else the file name or URL; else the text's first words (never "Untitled" for text)."""
    if analysis.title and analysis.title.strip():
        return " ".join(analysis.title.split())
    if analysis.source.name or analysis.source.url:
        return str(analysis.source.name or analysis.source.url)
    words = analysis.text.split()
    if not words:
        return "Untitled text"
    return " ".join(words[:UNTITLED_WORDS]) + ("…" if len(words) > UNTITLED_WORDS else "")


# ---------------------------------------------------------------- techniques


def technique_strengths(spans: Sequence[TechniqueSpan]) -> dict[str, Strength]:
    """Per technique, the strength of its strongest span."""
    out: dict[str, list[str]] = {}
    for s in spans:
        out.setdefault(s.technique, []).append(s.strength)
    return {t: strongest(v) for t, v in out.items()}


def strength_order(spans: Sequence[TechniqueSpan]) -> list[TechniqueSpan]:
    """Spans strongest first: by strength word, then confidence, then reading order."""
    return sorted(spans, key=lambda s: (strength_rank(s.strength), -s.confidence, s.start, s.end))


def telling_spans(analysis: Analysis, top: int) -> list[TechniqueSpan]:
    """The most telling span of each technique (its strongest), for the ``top`` strongest techniques."""
    best: dict[str, TechniqueSpan] = {}
    for s in strength_order(analysis.spans):
        best.setdefault(s.technique, s)
    return list(best.values())[: max(top, 0)]


def in_context(analysis: Analysis, span: TechniqueSpan, chars: int = 40) -> tuple[str, str, str]:
    """``(before, span text, after)``: a few words either side of the span, within its paragraph, so a
    one-word flag ("hard") reads as what it is ("…fears the hard, and only…")."""
    par = next((p for p in analysis.paragraphs if p.start <= span.start <= p.end), None)
    lo, hi = (par.start, par.end) if par is not None else (0, len(analysis.text))
    before = analysis.text[max(lo, span.start - chars) : span.start]
    after = analysis.text[span.end : min(hi, span.end + chars)]
    if span.start - chars > lo and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if span.end + chars < hi and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return " ".join(before.split("\n")), span.text, " ".join(after.split("\n"))


def undetectable(analysis: Analysis) -> list[str]:
    """Techniques this model cannot detect, in taxonomy order (unknown labels last)."""
    rank = {t: i for i, t in enumerate(TECHNIQUES)}
    return sorted(set(analysis.model.undetectable), key=lambda t: (rank.get(t, len(rank)), t))


def not_found(analysis: Analysis) -> list[str]:
    """Techniques the model can detect and did not find here."""
    found = {s.technique for s in analysis.spans}
    cannot = set(analysis.model.undetectable)
    return [t for t in TECHNIQUES if t not in found and t not in cannot]


# ---------------------------------------------------------------- entities


def role_words(e: Entity) -> str:
    """``Antagonist``, ``Antagonist (uncertain)``, or ``no clear role``."""
    if e.main_role is None:
        return "no clear role"
    return f"{e.main_role} (uncertain)" if e.uncertain else e.main_role


# ---------------------------------------------------------------- claims


def known_claims_searched(analysis: Analysis) -> int:
    return analysis.known_claims.claims if analysis.known_claims is not None else 0


def says_claims_unchecked(analysis: Analysis) -> bool:
    """Whether the warnings must add that no known claims were searched: nothing was searched and no
    warning of the analysis already says so (no database, or matching switched off) — said once."""
    return known_claims_searched(analysis) == 0 and not any(
        w.code in ("no_known_claims", "claims_not_matched") for w in analysis.warnings
    )


def known_claims_note(analysis: Analysis) -> str:
    """How many known claims the sentences were matched against: said by every output."""
    k = analysis.known_claims
    if k is None or k.claims == 0:
        return NO_CLAIMS_LOADED
    return f"matched against {k.claims:,} known claims (similarity ≥ {k.min_score:.2f})"


def repeats(claim: Claim) -> list[ClaimMatch]:
    """The known claims this sentence repeats (never those it contradicts)."""
    return [m for m in claim.matches if m.relation == "same"]


def contradicts(claim: Claim) -> list[ClaimMatch]:
    """Known false claims this sentence states the contrary of: it agrees with the fact-check."""
    return [m for m in claim.matches if m.relation == "opposite"]


def claim_order(claims: Sequence[Claim]) -> list[Claim]:
    """Sentences repeating a known claim first, then by check-worthiness."""
    return sorted(claims, key=lambda c: (not repeats(c), -c.score, c.start))


def debunk_summary(analysis: Analysis) -> str:
    """One line for the verdict: how many sentences repeat known false claims, out of what was searched."""
    if known_claims_searched(analysis) == 0:
        return NO_CLAIMS_LOADED
    n = sum(1 for c in analysis.claims if repeats(c))
    searched = f"{known_claims_searched(analysis):,} known claims"
    if n == 0:
        return f"No sentence matches any of the {searched}"
    return f"{n} sentence{'s' if n > 1 else ''} match{'' if n > 1 else 'es'} known false claims ({searched} searched)"


# ---------------------------------------------------------------- analysts' reviews (web app)


def span_key(technique: str, start: int, end: int) -> str:
    """How feedback names a technique span: ``technique:start:end``."""
    return f"{technique}:{start}:{end}"


def match_key(claim: Claim, match: ClaimMatch) -> str:
    """How feedback names one known-claim match of a sentence (the sentence itself is ``start:end``)."""
    return f"{claim.start}:{claim.end}/known:{match.id}"


@dataclass(frozen=True)
class Reviews:
    """Analysts' verdicts, as the web app shows them: ``(target, key) -> confirmed | wrong`` and the spans
    they added as missed ``(technique, start, end)``. The static report has none."""

    verdicts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    missed: Sequence[tuple[str, int, int]] = ()

    def of(self, target: str, key: str) -> str | None:
        return self.verdicts.get((target, key))
