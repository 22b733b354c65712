"""The corpus report's terminal summary (rich): outlets side by side, leading narratives, top claims."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from unspin.report.data import Corpus, Share
from unspin.taxonomy.techniques import pretty

MAX_COLUMNS = 6  # outlets side by side in a terminal


def _top(share: Share, n: int) -> list[str]:
    score = {k: sum(v.values()) for k, v in share.items()}
    return sorted(score, key=lambda k: (-score[k], k))[:n]


def print_summary(c: Corpus, console: Console, top: int = 10) -> None:
    dates = f"{c.first_date} to {c.last_date}" if c.first_date else "no dates"
    console.print(
        f"[bold]{c.outdir}[/bold]\n{c.articles:,} articles · {len(c.outlets)} outlets · {c.words:,} words · "
        f"{dates} · {c.rejected:,} rejected"
    )
    cols = c.outlets[:MAX_COLUMNS]
    for title, share, names in (
        ("Techniques (share of articles)", c.techniques_by_outlet, pretty),
        ("Narratives (share of articles)", c.narratives_by_outlet, str),
    ):
        labels = _top(share, top)
        if not labels:
            continue
        t = Table(title=title, title_justify="left")
        t.add_column("")
        for o in cols:
            t.add_column(o, justify="right")
        for label in labels:
            t.add_row(names(label), *(f"{100 * share[label].get(o, 0):.0f}%" for o in cols))
        console.print(t)
    rates = Table(title="Technique spans per 1,000 words", title_justify="left")
    for o in cols:
        rates.add_column(o, justify="right")
    rates.add_row(*(f"{c.spans_per_kword.get(o, 0):.1f}" for o in cols))
    console.print(rates)
    if c.top_claims:
        t = Table(title="Top matched known claims", title_justify="left")
        t.add_column("Claim")
        t.add_column("Verdict")
        t.add_column("Articles", justify="right")
        for r in c.top_claims:
            t.add_row(str(r["title"] or r["id"]), str(r["verdict"] or ""), str(r["articles"]))
        console.print(t)
    if len(c.outlets) > MAX_COLUMNS:
        console.print(f"[dim]{len(c.outlets) - MAX_COLUMNS} more outlets in the HTML report.[/dim]")
