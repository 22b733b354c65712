"""The corpus report as one self-contained HTML file: inline CSS, plots as ``data:`` SVG images, no script.

The Content-Security-Policy allows exactly the inline stylesheet (by hash) and ``data:`` images, nothing
else: the report can be mailed around and opened offline. Every string from the corpus (outlet names,
span text, claim titles, URLs) goes through ``html.escape``; links are only made of http(s) URLs.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from unspin.render.html import csp_hash
from unspin.report import plots
from unspin.report.data import Corpus, Share
from unspin.taxonomy.techniques import pretty
from unspin.version import __version__

MAX_OUTLETS = 12  # columns side by side; more would not fit a page (the tables hold the largest ones)
TREND_SERIES = 6

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
.meta{color:#555}table{border-collapse:collapse;margin:.6rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%;display:block;margin:.8rem 0}
.q{font-style:italic}.muted{color:#777}details{margin:.3rem 0}
code{background:#f3f3f3;border-radius:3px;padding:0 .2rem}h3{margin:1.2rem 0 .2rem;font-size:1rem}
table{display:block;max-width:100%;overflow-x:auto}td:last-child{min-width:10rem}
@media (max-width:40rem){body{margin:1rem auto;font-size:13px}h1{font-size:1.5rem}h2{font-size:1.15rem}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _pct(v: float | None) -> str:
    return "" if not v else f"{100 * v:.0f}%"


def _ranked(share: Share, outlets: Sequence[str], limit: int | None = None) -> list[str]:
    """Labels by their share over the whole corpus (outlets weighted equally), largest first."""
    score = {k: sum(v.values()) / max(1, len(outlets)) for k, v in share.items()}
    return sorted(score, key=lambda k: (-score[k], k))[:limit]


def _share_table(share: Share, labels: Sequence[str], cols: Sequence[str], name: str) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = "".join(
        f"<tr><td>{_e(name_of)}</td>"
        + "".join(f'<td class="n">{_pct(share.get(label, {}).get(c))}</td>' for c in cols)
        + "</tr>"
        for label, name_of in ((lab, pretty(lab) if name == "Technique" else lab) for lab in labels)
    )
    return f"<table><tr><th>{_e(name)}</th>{head}</tr>{body}</table>"


def _img(uri: str, alt: str) -> str:
    return f'<img src="{uri}" alt="{_e(alt)}">'


def _opinion(c: Corpus, outlet: str) -> str:
    """The outlet's share of opinion pieces: 0% when its articles have a genre and none is opinion."""
    if not any(outlet in by for by in c.genres_by_outlet.values()):
        return ""  # no genre at all (a model without the genre head)
    return f"{100 * c.genres_by_outlet.get('opinion', {}).get(outlet, 0.0):.0f}%"


def _overview(c: Corpus) -> str:
    rows = []
    for o in c.outlets:
        top = _ranked({k: {o: v.get(o, 0.0)} for k, v in c.techniques_by_outlet.items()}, [o], 3)
        rows.append(
            f"<tr><td>{_e(o)}</td><td class=n>{c.outlet_articles[o]:,}</td>"
            f"<td class=n>{c.outlet_words.get(o, 0):,}</td><td class=n>{c.spans_per_kword.get(o, 0):.1f}</td>"
            f"<td class=n>{_opinion(c, o)}</td>"
            f"<td>{_e(', '.join(pretty(t) for t in top))}</td></tr>"
        )
    table = (
        "<table><tr><th>Outlet</th><th>Articles</th><th>Words</th><th>Spans / 1k words</th>"
        f"<th>Opinion</th><th>Most used techniques</th></tr>{''.join(rows)}</table>"
    )
    shown = c.outlets[:MAX_OUTLETS]
    chart = plots.bars(
        {o: c.spans_per_kword.get(o, 0.0) for o in shown},
        "Technique spans per 1,000 words",
        "spans per 1,000 words",
    )
    return f"<h2>Outlets side by side</h2>{table}{_img(chart, 'spans per 1,000 words by outlet')}"


GLANCE_TECHNIQUES = 10
GLANCE_NARRATIVES = 8


def _glance(c: Corpus) -> str:
    """The plot a reader wants first: each outlet's technique mix beside its narratives."""
    outlets = c.outlets[:MAX_OUTLETS]
    techs = _ranked(c.techniques_by_outlet, c.outlets, GLANCE_TECHNIQUES)
    narrs = _ranked(c.narratives_by_outlet, c.outlets, GLANCE_NARRATIVES)
    if not outlets or not (techs or narrs):
        return ""
    left = (
        "Techniques: % of articles",
        [pretty(t) for t in techs],
        [[c.techniques_by_outlet.get(t, {}).get(o) for t in techs] for o in outlets],
    )
    right = (
        "Narratives: % of articles",
        [_short(n) for n in narrs],
        [[c.narratives_by_outlet.get(n, {}).get(o) for n in narrs] for o in outlets],
    )
    chart = plots.side_by_side(outlets, left, right)
    return (
        "<h2>At a glance: technique mix and narratives by outlet</h2>"
        "<p>Per outlet (rows), the share of its articles with each of the most used techniques (left) and "
        "each of the most pushed narratives (right).</p>"
        f"{_img(chart, 'technique mix and narratives by outlet, side by side')}"
    )


def _short(label: str) -> str:
    """A narrative label without its domain: ``URW: Praise of Russia`` -> ``Praise of Russia``."""
    return label.split(": ", 1)[1] if ": " in label else label


def _by_outlet(c: Corpus, share: Share, what: str, top: int) -> str:
    cols = c.outlets[:MAX_OUTLETS]
    labels = _ranked(share, c.outlets, top)
    if not labels:
        return f"<h2>{_e(what)} by outlet</h2><p class=muted>None found in this corpus.</p>"
    names = [pretty(lab) if what == "Techniques" else lab for lab in labels]
    grid = [[share.get(lab, {}).get(o) for o in cols] for lab in labels]
    chart = plots.heatmap(grid, names, cols, f"{what}: share of each outlet's articles")
    table = _share_table(share, labels, cols, "Technique" if what == "Techniques" else "Narrative")
    return (
        f"<h2>{_e(what)} by outlet</h2><p>Share of each outlet's articles with at least one.</p>"
        f"{_img(chart, what + ' by outlet')}<details><summary>Table</summary>{table}</details>"
    )


def _roles(c: Corpus) -> str:
    if not c.roles:
        return "<h2>Entity roles by outlet</h2><p class=muted>No entities found.</p>"
    cols = c.outlets[:MAX_OUTLETS]
    head = "".join(f"<th>{_e(o)}</th>" for o in cols)
    rows = []
    for entity, per_outlet in c.roles.items():
        cells = []
        for o in cols:
            roles = per_outlet.get(o, {})
            cells.append(
                "<td>"
                + "<br>".join(f"{_e(r)} {n}" for r, n in sorted(roles.items(), key=lambda kv: -kv[1]))
                + "</td>"
            )
        rows.append(
            f"<tr><td>{_e(entity)} <span class=muted>({c.entity_articles[entity]})</span></td>{''.join(cells)}</tr>"
        )
    return (
        "<h2>Entity roles by outlet</h2><p>The most mentioned entities; per outlet, in how many articles "
        "each casts it as Protagonist, Antagonist or Innocent (or gives it no clear role).</p>"
        f"<table><tr><th>Entity (articles)</th>{head}</tr>{''.join(rows)}</table>"
    )


def _trends(c: Corpus) -> str:
    if len(c.periods) < 2:
        return (
            "<h2>Over time</h2><p class=muted>Fewer than two dated periods: give a --date-field to batch.</p>"
        )
    parts = [f"<h2>Over time (by {_e(c.period_name)})</h2>"]
    counts = [c.period_articles.get(p, 0) for p in c.periods]
    parts.append(
        "<p>Each point is a share of that period's articles; the bars say how many articles it stands on.</p>"
    )
    parts.append(
        _img(plots.counts(c.periods, counts, f"Articles per {c.period_name}"), "articles per period")
    )
    techs = _ranked(c.techniques_over_time, c.periods, TREND_SERIES)
    parts.append(
        _img(
            plots.lines(
                {pretty(t): c.techniques_over_time[t] for t in techs},
                c.periods,
                "Techniques: share of articles",
                "% of articles",
                share=True,
            ),
            "techniques over time",
        )
    )
    narrs = _ranked(c.narratives_over_time, c.periods, TREND_SERIES)
    if narrs:
        parts.append(
            _img(
                plots.lines(
                    {n: c.narratives_over_time[n] for n in narrs},
                    c.periods,
                    "Narratives: share of articles",
                    "% of articles",
                    share=True,
                ),
                "narratives over time",
            )
        )
    for role in ("Antagonist", "Protagonist", "Innocent"):
        per_entity = c.roles_over_time.get(role, {})
        # only entities this role ever applies to: a flat 0% line says nothing
        entities = [e for e in c.roles if any(per_entity.get(e, {}).values())][:TREND_SERIES]
        if entities:
            parts.append(
                _img(
                    plots.lines(
                        {e: per_entity[e] for e in entities},
                        c.periods,
                        f"Entities cast as {role}: share of the articles that mention them",
                        "% of articles",
                        share=True,
                        fill=False,
                    ),
                    f"entities cast as {role} over time",
                )
            )
    rates = {o: c.spans_per_kword_over_time.get(o, {}) for o in c.outlets[: TREND_SERIES + 2]}
    parts.append(
        _img(
            plots.lines(
                rates,
                c.periods,
                "Technique spans per 1,000 words, by outlet",
                "spans / 1k words",
                share=False,
            ),
            "spans per 1,000 words over time",
        )
    )
    return "".join(parts)


def _spans(c: Corpus) -> str:
    if not c.top_spans:
        return "<h2>Most frequent spans</h2><p class=muted>No technique spans found.</p>"
    blocks = []
    for technique in sorted(c.top_spans, key=lambda t: -sum(n for _, n, _ in c.top_spans[t])):
        items = "".join(
            f"<tr><td class=q>“{_e(text)}”</td><td class=n>{n}</td><td class=n>{k}</td></tr>"
            for text, n, k in c.top_spans[technique]
        )
        blocks.append(
            f"<details><summary>{_e(pretty(technique))}</summary><table><tr><th>Wording</th><th>Times</th>"
            f"<th>Outlets</th></tr>{items}</table></details>"
        )
    return "<h2>Most frequent spans per technique</h2>" + "".join(blocks)


def _articles(c: Corpus, pages: str | None) -> str:
    """Per outlet, the articles with the most technique spans per 1,000 words, each linked to its own
    report when ``unspin batch --html`` wrote one."""
    if not any(c.loaded_articles.values()):
        return ""
    blocks = []
    for outlet in c.outlets[:MAX_OUTLETS]:
        rows = []
        for r in c.loaded_articles.get(outlet, []):
            name = str(r["title"] or r["id"])
            page = r.get("page")
            title = (
                f'<a href="{_e(pages + "/" + str(page))}">{_e(name)}</a>'
                if page and pages is not None
                else _e(name)
            )
            rows.append(
                f"<tr><td>{title}</td><td>{_e(r['date'] or '')}</td><td>{_e(r['genre'] or '')}</td>"
                f"<td class=n>{float(r['rate']):.1f}</td></tr>"  # type: ignore[arg-type]
            )
        if rows:
            blocks.append(
                f"<h3>{_e(outlet)}</h3><table><tr><th>Article</th><th>Date</th><th>Genre</th>"
                f"<th>Spans / 1k words</th></tr>{''.join(rows)}</table>"
            )
    hint = (
        ""
        if any(r.get("page") for rows in c.loaded_articles.values() for r in rows)
        else "<p class=muted>Run <code>unspin batch ... --html</code> to link each article to its own report.</p>"
    )
    return "<h2>Where to read first: the most loaded articles</h2>" + hint + "".join(blocks)


def _link(url: object, text: object) -> str:
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(text)}</a>'
    return _e(text)


def _claims(c: Corpus) -> str:
    if not c.top_claims:
        return "<h2>Known claims</h2><p class=muted>No article matched a known claim.</p>"
    rows = "".join(
        f"<tr><td>{_link(r['url'], r['title'] or r['id'])}</td><td>{_e(r['verdict'] or '')}</td>"
        f"<td class=n>{r['articles']}</td><td class=n>{r['outlets']}</td></tr>"
        for r in c.top_claims
    )
    return (
        "<h2>Top matched known claims</h2><table><tr><th>Claim</th><th>Verdict</th><th>Articles</th>"
        f"<th>Outlets</th></tr>{rows}</table>"
    )


def render_report(c: Corpus, top: int = 10, pages: str | None = "html") -> str:
    """The report; ``pages``: the per-article reports' folder as a link from where the report is written
    (``html`` beside ``OUTDIR/report.html``), None for no links."""
    dates = f"{c.first_date} to {c.last_date}" if c.first_date else "no dates"
    body = "".join(
        [
            "<h1>Corpus report</h1>",
            f"<p class=meta>{c.articles:,} articles · {len(c.outlets):,} outlets · {c.words:,} words · "
            f"{_e(dates)} · {c.rejected:,} rejected records · unspin {_e(__version__)}</p>",
            _glance(c),
            _overview(c),
            _by_outlet(c, c.techniques_by_outlet, "Techniques", 23),
            _by_outlet(c, c.narratives_by_outlet, "Narratives", top),
            _roles(c),
            _trends(c),
            _articles(c, pages),
            _spans(c),
            _claims(c),
        ]
    )
    csp = f"default-src 'none'; img-src data:; style-src {csp_hash(_CSS)}"
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>unspin corpus report</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )
