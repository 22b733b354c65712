"""The "claims" section of the terminal summary and of the HTML report: each check-worthy sentence and the
known claims it resembles, with the reviewer's verdict and disproof.

In HTML every string goes through ``esc``; a known claim's URL becomes a link only when it is http(s)
(a database row could hold ``javascript:``), opened with ``rel="noopener noreferrer nofollow"``; the full
disproof sits in a ``<details>`` element, so it is one click away without any script.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, Claim, ClaimMatch
from unspin.render.panels import esc, paragraph_at, paragraph_id, pct
from unspin.render.text import clean, trim

DISPROOF_CHARS = 160  # the trimmed disproof shown before "more"
CLAIM_CHARS = 110
MAX_TERMINAL_CLAIMS = 10


def _sort_key(c: Claim) -> tuple[bool, float]:
    return (not c.matches, -c.score)


def _known_label(analysis: Analysis) -> str:
    k = analysis.known_claims
    if k is None:
        return "not matched: no known-claims database (run `unspin claims import --bundled`)"
    return f"matched against {k.claims:,} known claims (similarity ≥ {k.min_score:.2f})"


# ---------------------------------------------------------------- terminal


def _match_text(m: ClaimMatch) -> Text:
    line = Text("  ↳ ", style="dim")
    line.append(f"{m.score:.2f} ", style="bold")
    line.append(trim(clean(m.title), CLAIM_CHARS))
    meta = " · ".join(x for x in (clean(m.reviewer), m.date or "", clean(m.verdict)) if x)
    if meta:
        line.append(f"  {meta}", style="dim")
    if m.disproof:
        line.append("\n     " + trim(clean(m.disproof), DISPROOF_CHARS), style="italic")
    if m.url:
        line.append("\n     " + clean(m.url), style="dim")
    return line


def claims_text(analysis: Analysis) -> RenderableType:
    if not analysis.claims:
        return Text.assemble(("Claims\n", "bold"), ("No check-worthy claims spotted.\n", "dim"))
    table = Table(title="Claims", title_justify="left", title_style="bold", show_header=False, expand=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    shown = sorted(analysis.claims, key=_sort_key)[:MAX_TERMINAL_CLAIMS]
    for c in shown:
        cell = Text("“" + trim(clean(c.text), CLAIM_CHARS) + "”")
        for m in c.matches:
            cell.append("\n")
            cell.append(_match_text(m))
        table.add_row(pct(c.score), cell, end_section=True)
    rest = len(analysis.claims) - len(shown)
    caption = _known_label(analysis) + (f"; +{rest} more claims" if rest else "")
    table.caption, table.caption_justify = Text(caption, style="dim"), "left"
    return table


# ---------------------------------------------------------------- HTML


def safe_url(url: str) -> str | None:
    u = url.strip()
    return u if u.lower().startswith(("https://", "http://")) else None


def _match_html(m: ClaimMatch) -> str:
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
    return (
        f'<li><span class="conf" title="Similarity">{m.score:.2f}</span> {title}'
        f'{f" <span class=meta>{meta}</span>" if meta else ""}{disproof}</li>'
    )


def _claim_html(analysis: Analysis, c: Claim) -> str:
    par = paragraph_at(analysis.paragraphs, c.start)
    where = f' <a href="#{paragraph_id(par)}">¶{par + 1}</a>' if par is not None else ""
    matches = (
        f'<ul class="matches" aria-label="Known claims like it">{"".join(_match_html(m) for m in c.matches)}</ul>'
        if c.matches
        else ""
    )
    return (
        f'<li><div class="ch"><span class="conf" title="Check-worthiness">{pct(c.score)}</span> '
        f"“{esc(c.text)}”{where}</div>{matches}</li>"
    )


def claims_html(analysis: Analysis) -> str:
    """Check-worthy sentences, those with known matches first."""
    if analysis.claims:
        items = "".join(_claim_html(analysis, c) for c in sorted(analysis.claims, key=_sort_key))
        body = f'<ol class="claims">{items}</ol>'
    else:
        body = '<p class="none">No check-worthy claims spotted.</p>'
    return (
        '<section class="panel" id="claims" aria-labelledby="claims-h"><h2 id="claims-h">Claims</h2>'
        f'<p class="hint">{esc(_known_label(analysis))}</p>{body}</section>'
    )
