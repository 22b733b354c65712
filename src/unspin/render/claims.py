"""The claims panel of the HTML view: check-worthy sentences and the known false claims they repeat.

Every string goes through ``esc``; a known claim's URL becomes a link only when it is http(s) (a database
row could hold ``javascript:``), opened with ``rel="noopener noreferrer nofollow"``; the full disproof sits
in a ``<details>`` element, one click away without any script.

Sentences that repeat a known claim come first, then the others by check-worthiness, folded away. A
match of relation ``opposite`` (the sentence states the contrary of a known false claim) is never shown
as a repetition: it is said plainly that the sentence agrees with the fact-check.
"""

from __future__ import annotations

from unspin.analysis import Analysis, Claim, ClaimMatch
from unspin.render.facts import (
    NO_CLAIMS_LOADED,
    Reviews,
    claim_order,
    contradicts,
    known_claims_note,
    known_claims_searched,
    match_key,
    repeats,
)
from unspin.render.panels import esc, num, panel, paragraph_at, paragraph_ref, prose, review_hook, reviewed
from unspin.render.text import trim

DISPROOF_CHARS = 160  # the trimmed disproof shown before "more"


def safe_url(url: str) -> str | None:
    u = url.strip()
    return u if u.lower().startswith(("https://", "http://")) else None


def _known(m: ClaimMatch) -> str:
    """The known claim: title (a link to its review when http), reviewer, date, verdict, disproof."""
    meta = " · ".join(esc(x) for x in (m.reviewer, m.date or "", m.verdict) if x)
    link = safe_url(m.url)
    title = esc(m.title)
    if link:
        title = f'<a href="{esc(link)}" rel="noopener noreferrer nofollow" target="_blank">{title}</a>'
    disproof = ""
    if m.disproof:
        short = esc(trim(m.disproof, DISPROOF_CHARS))
        disproof = (
            f'<p class="disproof">{short}</p>'
            if len(m.disproof) <= DISPROOF_CHARS
            else f'<details class="disproof"><summary>{short}</summary><p>{esc(m.disproof)}</p></details>'
        )
    return f"“{title}”{f' <span class=meta>{meta}</span>' if meta else ''}{disproof}"


def _match_html(c: Claim, m: ClaimMatch, reviews: Reviews | None) -> str:
    key = match_key(c, m)
    if m.relation == "opposite":
        lead = (
            '<span class="rel rel-opposite">Agrees with the fact-check:</span> this sentence says the contrary '
            "of a known false claim"
        )
        question = "Does this sentence contradict that false claim?"
    else:
        lead = '<span class="rel rel-same">Matches a known false claim</span>'
        question = "Is this the same claim as the known one?"
    return (
        f'<li class="finding{reviewed(reviews, "claim", key)}">{lead}{num(m.score, "meaning similarity")} '
        f"{_known(m)}{review_hook(reviews, 'claim', key, question)}</li>"
    )


def _claim_html(analysis: Analysis, c: Claim, reviews: Reviews | None) -> str:
    par = paragraph_at(analysis.paragraphs, c.start)
    where = f" {paragraph_ref(analysis, par)}" if par is not None else ""
    matches = [*repeats(c), *contradicts(c)]
    listed = "".join(_match_html(c, m, reviews) for m in matches)
    known = f'<ul class="matches" aria-label="Known claims">{listed}</ul>' if matches else ""
    key = f"{c.start}:{c.end}"
    hook = review_hook(reviews, "claim", key, "Is this sentence worth checking?")
    return (
        f'<li class="finding{reviewed(reviews, "claim", key)}"><div class="ch">“{esc(c.text)}”{where}'
        f"{num(c.score, 'check-worthiness')}</div>{hook}{known}</li>"
    )


def claims_html(analysis: Analysis, reviews: Reviews | None = None) -> str:
    """Sentences repeating known false claims first; the other check-worthy sentences folded below."""
    note = known_claims_note(analysis)
    if known_claims_searched(analysis) == 0:
        head = (
            f'<p class="warn-inline"><strong>{prose(NO_CLAIMS_LOADED)}</strong>: no sentence was checked.</p>'
        )
    else:
        head = f'<p class="hint">Sentences {esc(note)}.</p>'
    ordered = claim_order(analysis.claims)
    flagged = [c for c in ordered if c.matches]
    rest = [c for c in ordered if not c.matches]
    parts = [head]
    if flagged:
        parts.append(f'<ol class="claims">{"".join(_claim_html(analysis, c, reviews) for c in flagged)}</ol>')
    elif known_claims_searched(analysis):
        parts.append('<p class="none">No sentence matches a known claim.</p>')
    if rest:
        what = "check-worthy sentence" + ("s" if len(rest) != 1 else "")
        without = " without a known match" if known_claims_searched(analysis) else ""
        parts.append(
            f'<details class="more"><summary>{len(rest)} {what}{without}, most check-worthy first</summary>'
            f'<ol class="claims">{"".join(_claim_html(analysis, c, reviews) for c in rest)}</ol></details>'
        )
    elif not analysis.claims:
        parts.append('<p class="none">No check-worthy sentences spotted.</p>')
    return panel("claims", "Claims and known debunks", "".join(parts))
