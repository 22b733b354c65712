"""`unspin report`: numbers per outlet and period, a self-contained HTML page, a terminal summary."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from unspin.analysis import Analysis
from unspin.batch.output import ANALYSES
from unspin.batch.tables import build_tables
from unspin.cli import main
from unspin.report.data import bucket, choose_period, load_corpus, parse_date
from unspin.report.html import render_report
from unspin.report.labels import canonical_names, is_content_wording
from unspin.report.terminal import print_summary

EVIL = "<script>alert(1)</script>"
CLAIM = {
    "start": 0,
    "end": 5,
    "text": "claim",
    "score": 0.9,
    "matches": [
        {
            "id": 9,
            "title": "Known fake",
            "verdict": "disinformation",
            "url": "https://example.org/9",
            "score": 0.7,
        },
    ],
}


def record(rid: str, outlet: str | None, day: str | None, analysis: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "outlet": outlet, "date": day, "origin": rid, "analysis": analysis}


def with_a_role(analysis: Analysis) -> dict[str, Any]:
    """The demo's analysis as JSON, with its first entity cast as Antagonist when the model cast none
    (model 0.4.0 leaves every entity of the demo unframed): the report's role tables need one."""
    full = analysis.model_dump(mode="json")
    if not any(e["main_role"] for e in full["entities"]):
        full["entities"][0] = {**full["entities"][0], "main_role": "Antagonist"}
    return full


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory, demo_analysis: Analysis) -> Path:
    full = with_a_role(demo_analysis)
    bare = {**full, "spans": [], "techniques": [], "narratives": [], "entities": []}
    out = tmp_path_factory.mktemp("report")
    recs = [
        record("1", "A", "2024-01-05", {**full, "claims": [CLAIM]}),
        record("2", "A", "2024-03-10T08:00:00Z", bare),
        record("3", EVIL, "2024-03-11", {**full, "claims": [CLAIM]}),
        record("4", None, "not a date", full),
    ]
    (out / ANALYSES).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    (out / "rejects.jsonl").write_text('{"origin": "x:1", "reason": "bad"}\n')
    build_tables(out)
    return out


def test_shares_per_outlet_and_period(outdir: Path, demo_analysis: Analysis) -> None:
    c = load_corpus(outdir, period="month", top=100)
    assert (c.articles, c.rejected) == (4, 1)
    assert c.outlets[0] == "A" and set(c.outlets) == {"A", EVIL, "(no source)"}
    for t in {s.technique for s in demo_analysis.spans}:
        assert c.techniques_by_outlet[t]["A"] == pytest.approx(0.5)  # one of A's two articles
        assert c.techniques_by_outlet[t][EVIL] == pytest.approx(1.0)
        assert c.techniques_over_time[t]["2024-03"] == pytest.approx(0.5)
    assert c.periods == ["2024-01", "2024-03"]  # the unparseable date is left out of the trends
    words = len(demo_analysis.text.split())
    assert c.spans_per_kword["A"] == pytest.approx(1000 * len(demo_analysis.spans) / (2 * words))
    assert (
        c.top_claims[0]["id"] == "9" and c.top_claims[0]["articles"] == 2 and c.top_claims[0]["outlets"] == 2
    )
    cast = [e for e in with_a_role(demo_analysis)["entities"] if e["main_role"] and e["name"] in c.roles]
    assert cast, "the corpus casts some entity in a role"
    for e in cast:  # every article that mentions it casts it the same way: 100% in both months
        assert c.roles[e["name"]]["A"] == {e["main_role"]: 1}
        assert c.roles_over_time[e["main_role"]][e["name"]] == {"2024-01": 1.0, "2024-03": 1.0}


def test_html_is_self_contained_and_escaped(outdir: Path) -> None:
    page = render_report(load_corpus(outdir))
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert EVIL not in page and "&lt;script&gt;" in page
    assert not re.search(
        r"""(src|href)\s*=\s*["']?(https?:)?//""", page.replace('href="https://example.org/9"', "")
    )
    assert page.count('src="data:image/svg+xml;base64,') >= 4  # outlets, techniques, narratives, trends
    assert "Known fake" in page


def test_cli_writes_the_report_and_prints_a_summary(outdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(outdir), "-o", str(outdir / "r.html"), "--top", "3"]) == 0
    assert (outdir / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    printed = capsys.readouterr().out
    assert "4 articles" in printed and "Known fake" in printed


def test_report_of_a_folder_without_tables_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path)]) == 2
    assert "unspin batch" in capsys.readouterr().err


def test_terminal_summary_compares_outlets(outdir: Path) -> None:
    console = Console(record=True, width=120)
    print_summary(load_corpus(outdir), console)
    text = console.export_text()
    assert "Techniques (share of articles)" in text and "100%" in text and "50%" in text


@pytest.mark.parametrize(
    ("first", "last", "period"),
    [
        ("2024-01-01", "2024-01-20", "day"),
        ("2024-01-01", "2024-03-01", "week"),
        ("2023-01-01", "2024-01-01", "month"),
        ("2015-01-01", "2024-01-01", "year"),
    ],
)
def test_period_follows_the_date_range(first: str, last: str, period: str) -> None:
    assert choose_period(parse_date(first), parse_date(last), "auto") == period
    assert bucket(parse_date(last), period).startswith(last[:4])


def test_folder_corpora_have_opinion_shares_dates_and_links(
    tmp_path: Path, demo_analysis: Analysis, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corpus without dates still gets its Opinion column; entity fragments and trivially different
    spellings are folded; wordings of function words are left out; articles link to their own reports."""
    from unspin.batch.output import HTML_DIR, html_name

    full = demo_analysis.model_dump(mode="json")
    ents = full["entities"]
    assert ents, "the demo article has entities"
    odd = [
        {**ents[0], "name": "S"},  # a fragment
        {**ents[0], "name": "the " + ents[0]["name"].upper()},  # the same entity, spelt differently
    ]
    spans = [*full["spans"], {**full["spans"][0], "text": full["text"][0:3], "start": 0, "end": 3}]
    rich = {**full, "entities": [*ents, *odd]}
    rich["spans"] = [s for s in spans if full["text"][s["start"] : s["end"]] == s["text"]]
    out = tmp_path / "run"
    out.mkdir()
    recs = [record(f"corpus/rt/{n}.html", "rt", None, rich) for n in range(3)]
    (out / ANALYSES).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    build_tables(out)
    (out / HTML_DIR).mkdir()
    (out / HTML_DIR / html_name("corpus/rt/0.html")).write_text("<!doctype html>")
    c = load_corpus(out)
    assert c.genres_by_outlet["opinion"]["rt"] == pytest.approx(1.0)  # undated rows count for genres
    assert "S" not in c.entity_articles
    name = ents[0]["name"]
    assert c.entity_articles[name] == 3 and ("the " + name.upper()) not in c.entity_articles
    assert all(is_content_wording(t) for ws in c.top_spans.values() for t, _, _ in ws)
    page = render_report(c, pages="html")
    assert "<td class=n>100%</td>" in page  # the Opinion column
    assert f'href="html/{html_name("corpus/rt/0.html")}"' in page  # drill down to the article's report
    assert page.index("At a glance") < page.index("Outlets side by side")
    assert main(["report", str(out), "-o", str(tmp_path / "elsewhere" / "r.html"), "-q"]) == 0
    moved = (tmp_path / "elsewhere" / "r.html").read_text(encoding="utf-8")
    assert f'href="../run/html/{html_name("corpus/rt/0.html")}"' in moved  # relative to where it is written
    capsys.readouterr()


def test_auto_period_keeps_enough_articles_per_point() -> None:
    first, last = parse_date("2024-01-01"), parse_date("2024-03-31")
    assert first is not None and last is not None
    busy = [first + timedelta(days=d % 91) for d in range(400)]
    sparse = [first + timedelta(days=d * 9) for d in range(11)]
    assert choose_period(first, last, "auto", busy) == "week"  # 13 weeks, ~30 articles each
    assert choose_period(first, last, "auto", sparse) == "month"  # 11 articles: 3 months, not 13 weeks
    assert choose_period(first, last, "week", sparse) == "week"  # asked for: given


def test_entity_names_and_wordings_are_cleaned() -> None:
    names = canonical_names(
        ["Kremlin", "the Kremlin", "KREMLIN", "Kremlin's", "Kremlin", "S", "t", "U.S.", "US"]
    )
    assert {names[n] for n in ("Kremlin", "the Kremlin", "KREMLIN", "Kremlin's")} == {"Kremlin"}
    assert names["S"] == names["t"] == ""
    assert names["U.S."] == names["US"]  # dots set aside
    assert (
        not is_content_wording("the") and not is_content_wording("of this") and not is_content_wording("1945")
    )
    assert is_content_wording("the hard") and is_content_wording("bullies the weak")
