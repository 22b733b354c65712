"""`unspin report`: numbers per outlet and period, a self-contained HTML page, a terminal summary."""

from __future__ import annotations

import html
import json
import re
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


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory, demo_analysis: Analysis) -> Path:
    full = demo_analysis.model_dump(mode="json")
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
    cast = [e for e in demo_analysis.entities if e.main_role and e.name in c.roles]
    assert cast, "the demo article casts some entity in a role"
    for e in cast:  # every article that mentions it casts it the same way: 100% in both months
        assert c.roles[e.name]["A"] == {e.main_role: 1}
        assert c.roles_over_time[e.main_role][e.name] == {"2024-01": 1.0, "2024-03": 1.0}


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
