"""The numbers of a corpus report, computed from a batch run's Parquet tables.

Everything is a share of articles ("38% of RT's articles use Loaded language") or a rate per 1,000 words,
never a raw count: outlets differ in size and article length, and raw counts would compare those
instead of their rhetoric. Grouping runs in Arrow (``group_by``), reading only the columns it needs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from unspin.batch.output import HTML_DIR, REJECTS, html_name
from unspin.errors import BadInput
from unspin.report.labels import canonical_names, is_content_wording

NO_OUTLET = "(no source)"
UNDATED = "undated"
NO_ROLE = "no clear role"

Share = dict[str, dict[str, float]]  # label -> outlet (or period) -> share of articles


@dataclass
class Corpus:
    outdir: Path
    articles: int
    rejected: int
    words: int
    outlets: list[str]  # largest first
    outlet_articles: dict[str, int]
    outlet_words: dict[str, int]
    periods: list[str]  # sorted; "undated" never included
    period_articles: dict[str, int]
    period_name: str
    first_date: str | None
    last_date: str | None
    techniques_by_outlet: Share
    spans_per_kword: dict[str, float]  # outlet -> spans per 1,000 words
    narratives_by_outlet: Share
    techniques_over_time: Share
    narratives_over_time: Share
    spans_per_kword_over_time: dict[str, dict[str, float]]  # outlet -> period -> rate
    roles: dict[str, dict[str, dict[str, int]]]  # entity -> outlet -> role -> articles
    entity_articles: dict[str, int]
    roles_over_time: dict[str, Share]  # role -> entity -> period -> share of its articles with that role
    top_spans: dict[str, list[tuple[str, int, int]]]  # technique -> (text, count, outlets)
    top_claims: list[dict[str, object]] = field(default_factory=list)
    genres_by_outlet: Share = field(default_factory=dict)
    loaded_articles: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # outlet -> articles


def _read(outdir: Path, name: str, columns: list[str]) -> pa.Table:
    path = outdir / f"{name}.parquet"
    if not path.exists():
        raise BadInput(f"{path} is missing: run `unspin batch ... -o {outdir}` first (without --no-tables).")
    table = pq.read_table(path, columns=columns)
    if "outlet" in columns:
        table = table.set_column(
            table.schema.get_field_index("outlet"), "outlet", pc.fill_null(table["outlet"], NO_OUTLET)
        )
    return table


def parse_date(value: str | None) -> date | None:
    """The day of a date field: ISO dates and datetimes (``2024-03-01``, ``2024-03-01T12:00:00Z``)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


MAX_BINS = 24  # points on a trend line; more and the labels crowd out
MIN_PER_BIN = 5  # articles per period, on average: fewer and every share jumps with one article


def choose_period(first: date | None, last: date | None, period: str, days: list[date] | None = None) -> str:
    """``auto``: the finest bucket that gives at most ``MAX_BINS`` periods over the date range and, when
    the dates are known, ``MIN_PER_BIN`` articles per period on average; else the coarsest with two."""
    if period != "auto":
        return period
    if first is None or last is None:
        return "month"
    coarsest = "month"
    for candidate in ("day", "week", "month", "year"):
        bins = {bucket(d, candidate) for d in days} if days else None
        span = len(bins) if bins is not None else _bins_between(first, last, candidate)
        if span < 2:  # one point is no trend
            break
        if span <= MAX_BINS and (days is None or len(days) >= MIN_PER_BIN * span):
            return candidate
        coarsest = candidate
    return coarsest


def _bins_between(first: date, last: date, period: str) -> int:
    days = (last - first).days
    return {"day": days + 1, "week": days // 7 + 1, "month": days // 30 + 1, "year": days // 365 + 1}[period]


def bucket(d: date | None, period: str) -> str:
    if d is None:
        return UNDATED
    if period == "year":
        return f"{d.year}"
    if period == "month":
        return f"{d.year}-{d.month:02d}"
    if period == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.isoformat()


def _counts(table: pa.Table, keys: list[str]) -> dict[tuple[str, ...], int]:
    """Distinct articles per combination of ``keys``."""
    if table.num_rows == 0:
        return {}
    grouped = table.group_by(keys).aggregate([("id", "count_distinct")])
    cols = [grouped[k].to_pylist() for k in keys]
    return {tuple(row): n for *row, n in zip(*cols, grouped["id_count_distinct"].to_pylist(), strict=True)}


def _shares(counts: dict[tuple[str, ...], int], totals: dict[str, int]) -> Share:
    out: Share = defaultdict(dict)
    for (label, group), n in counts.items():
        if totals.get(group):
            out[label][group] = n / totals[group]
    return dict(out)


def _explode(table: pa.Table, column: str, keep: list[str]) -> pa.Table:
    """One row per element of a list column, with ``keep`` columns repeated."""
    lists = table[column].combine_chunks()
    parents = pc.list_parent_indices(lists)
    return pa.table({column: pc.list_flatten(lists), **{k: pc.take(table[k], parents) for k in keep}})


def _count_rejects(outdir: Path) -> int:
    path = outdir / REJECTS
    if not path.exists():
        return 0
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def load_corpus(outdir: Path, period: str = "auto", top: int = 10) -> Corpus:
    arts = _read(outdir, "articles", ["id", "outlet", "date", "words", "spans", "techniques", "genre"])
    days = [parse_date(d) for d in arts["date"].to_pylist()]
    dated = [d for d in days if d is not None]
    first, last = (min(dated), max(dated)) if dated else (None, None)
    period = choose_period(first, last, period, dated)
    arts = arts.append_column("period", pa.array([bucket(d, period) for d in days], pa.string()))
    outlet_articles = {k[0]: n for k, n in _counts(arts, ["outlet"]).items()}
    outlets = sorted(outlet_articles, key=lambda o: (-outlet_articles[o], o))
    period_articles = {k[0]: n for k, n in _counts(arts, ["period"]).items()}
    words: dict[str, int] = defaultdict(int)
    spans: dict[str, int] = defaultdict(int)
    words_t: dict[tuple[str, str], int] = defaultdict(int)
    spans_t: dict[tuple[str, str], int] = defaultdict(int)
    for o, p, w, s in zip(
        *(arts[c].to_pylist() for c in ("outlet", "period", "words", "spans")), strict=True
    ):
        words[o] += w
        spans[o] += s
        words_t[o, p] += w
        spans_t[o, p] += s
    tech = _explode(arts, "techniques", ["id", "outlet", "period"])
    period_of = dict(zip(arts["id"].to_pylist(), arts["period"].to_pylist(), strict=True))

    narr = _read(outdir, "narratives", ["id", "outlet", "label", "level"])
    narr = narr.filter(pc.equal(narr["level"], "narrative"))
    narr = narr.append_column("period", pa.array([period_of.get(i, UNDATED) for i in narr["id"].to_pylist()]))

    ents = _read(outdir, "entities", ["id", "outlet", "name", "main_role"])
    ents = ents.set_column(3, "main_role", pc.fill_null(ents["main_role"], NO_ROLE))
    names = canonical_names(ents["name"].to_pylist())  # "the Kremlin" = "Kremlin"; "S" is no entity
    ents = ents.set_column(2, "name", pa.array([names[n] for n in ents["name"].to_pylist()], pa.string()))
    ents = ents.filter(pc.not_equal(ents["name"], ""))
    ents = ents.append_column("period", pa.array([period_of.get(i, UNDATED) for i in ents["id"].to_pylist()]))
    entity_articles = {k[0]: n for k, n in _counts(ents, ["name"]).items()}
    top_entities = sorted(entity_articles, key=lambda e: (-entity_articles[e], e))[:top]
    roles: dict[str, dict[str, dict[str, int]]] = {e: defaultdict(dict) for e in top_entities}
    for (name, outlet, role), n in _counts(ents, ["name", "outlet", "main_role"]).items():
        if name in roles:
            roles[name][outlet][role] = n
    mentioned = {(e, p): n for (e, p), n in _counts(ents, ["name", "period"]).items() if e in roles}
    roles_over_time: dict[str, Share] = defaultdict(lambda: defaultdict(dict))
    for role in ("Antagonist", "Protagonist", "Innocent"):  # 0% where mentioned; a gap where not
        for name, period_ in mentioned:
            if period_ != UNDATED:
                roles_over_time[role][name][period_] = 0.0
    for (name, period_, role), n in _counts(ents, ["name", "period", "main_role"]).items():
        if name in roles and role != NO_ROLE and period_ != UNDATED:
            roles_over_time[role][name][period_] = n / mentioned[name, period_]

    dated_periods = sorted(p for p in period_articles if p != UNDATED)
    return Corpus(
        outdir=outdir,
        articles=arts.num_rows,
        rejected=_count_rejects(outdir),
        words=sum(words.values()),
        outlets=outlets,
        outlet_articles=outlet_articles,
        outlet_words=dict(words),
        periods=dated_periods,
        period_articles=period_articles,
        period_name=period,
        first_date=first.isoformat() if first else None,
        last_date=last.isoformat() if last else None,
        techniques_by_outlet=_shares(_counts(tech, ["techniques", "outlet"]), outlet_articles),
        spans_per_kword={o: 1000 * spans[o] / words[o] for o in outlets if words[o]},
        narratives_by_outlet=_shares(_counts(narr, ["label", "outlet"]), outlet_articles),
        techniques_over_time=_shares(_counts(tech, ["techniques", "period"]), period_articles),
        narratives_over_time=_shares(_counts(narr, ["label", "period"]), period_articles),
        spans_per_kword_over_time={
            o: {p: 1000 * spans_t[o, p] / words_t[o, p] for p in dated_periods if words_t.get((o, p))}
            for o in outlets
        },
        roles={e: dict(v) for e, v in roles.items()},
        entity_articles=entity_articles,
        roles_over_time={r: dict(v) for r, v in roles_over_time.items()},
        top_spans=_top_spans(outdir, top),
        top_claims=_top_claims(outdir, top),
        genres_by_outlet=_shares(
            _counts(arts.filter(pc.is_valid(arts["genre"])), ["genre", "outlet"]), outlet_articles
        ),
        loaded_articles=_loaded_articles(outdir, outlets),
    )


def _top_spans(outdir: Path, top: int) -> dict[str, list[tuple[str, int, int]]]:
    """Per technique, the most repeated wordings (case and spacing folded) across the corpus."""
    spans = _read(outdir, "spans", ["technique", "text", "outlet"])
    norm = pc.utf8_lower(pc.utf8_trim_whitespace(spans["text"]))
    spans = pa.table({"technique": spans["technique"], "text": norm, "outlet": spans["outlet"]})
    if spans.num_rows == 0:
        return {}
    grouped = spans.group_by(["technique", "text"]).aggregate(
        [([], "count_all"), ("outlet", "count_distinct")]
    )
    out: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    rows = zip(
        *(grouped[c].to_pylist() for c in ("technique", "text", "count_all", "outlet_count_distinct")),
        strict=True,
    )
    for technique, text, n, outlets in sorted(rows, key=lambda r: (-r[2], r[0], r[1])):
        if len(out[technique]) < top and is_content_wording(text):
            out[technique].append((text, n, outlets))
    return dict(out)


def _top_claims(outdir: Path, top: int) -> list[dict[str, object]]:
    """Known claims most often matched (best match of each claim found in an article), by articles."""
    claims = _read(
        outdir,
        "claims",
        [
            "id",
            "outlet",
            "match_rank",
            "match_id",
            "match_title",
            "match_verdict",
            "match_url",
            "match_score",
        ],
    )
    claims = claims.filter(pc.equal(claims["match_rank"], 0))
    if claims.num_rows == 0:
        return []
    grouped = claims.group_by(["match_id"], use_threads=False).aggregate(
        [
            ("id", "count_distinct"),
            ("outlet", "count_distinct"),
            ("match_score", "max"),
            ("match_title", "first"),
            ("match_verdict", "first"),
            ("match_url", "first"),
        ],
    )  # "first" needs ordered aggregation: no threads
    rows = grouped.to_pylist()
    rows.sort(key=lambda r: (-r["id_count_distinct"], -(r["match_score_max"] or 0), str(r["match_id"])))
    return [
        {
            "id": r["match_id"],
            "title": r["match_title_first"],
            "verdict": r["match_verdict_first"],
            "url": r["match_url_first"],
            "articles": r["id_count_distinct"],
            "outlets": r["outlet_count_distinct"],
            "best_score": r["match_score_max"],
        }
        for r in rows[:top]
    ]


LOADED_PER_OUTLET = 5
MIN_WORDS = 50  # shorter texts make spans per 1,000 words meaningless


def _loaded_articles(outdir: Path, outlets: list[str]) -> dict[str, list[dict[str, object]]]:
    """Per outlet, the articles with the most technique spans per 1,000 words: where to read first, with
    the file name of each one's own report (``unspin batch --html``) when it was written."""
    arts = _read(outdir, "articles", ["id", "outlet", "date", "title", "words", "spans", "genre"]).to_pylist()
    html = outdir / HTML_DIR
    out: dict[str, list[dict[str, object]]] = {}
    for outlet in outlets:
        rows = [r for r in arts if r["outlet"] == outlet and (r["words"] or 0) >= MIN_WORDS]
        rows.sort(key=lambda r: (-r["spans"] / r["words"], str(r["id"])))
        picked = []
        for r in rows[:LOADED_PER_OUTLET]:
            page = html_name(str(r["id"]))
            picked.append(
                {
                    **r,
                    "rate": 1000 * r["spans"] / r["words"],
                    "page": page if (html / page).exists() else None,
                }
            )
        out[outlet] = picked
    return out
