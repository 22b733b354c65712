"""`unspin batch` end to end on the local engine: inputs of every kind, outputs of every kind, resume."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from test_batch_support import articles, stable_lines, write_jsonl
from unspin.analysis import Analysis
from unspin.batch import BatchOptions, run_batch
from unspin.batch.output import html_name
from unspin.cli import main
from unspin.options import RunOptions


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    write_jsonl(root / "feed.jsonl", articles(8, paragraphs=1), ('{"title": "no text"}', '{"text": ""}'))
    (root / "site" / "rt").mkdir(parents=True)
    (root / "site" / "rt" / "one.txt").write_text("Some plain text article.\nA second paragraph.")
    (root / "site" / "two.html").write_text(
        "<html><head><title>Page</title></head><body><article><p>An HTML article that is long enough to "
        "be kept by the extractor, with a second sentence.</p></article></body></html>"
    )
    (root / "site" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (root / "rows.csv").write_text('id,body\nc1,"A CSV article,\nover two lines."\nc2,\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def outdir(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    code = main(
        [
            "batch",
            str(corpus / "feed.jsonl"),
            str(corpus / "site"),
            str(corpus / "rows.csv"),
            "--text-field",
            "body",
            "-o",
            str(out),
            "--workers",
            "2",
            "--threads",
            "1",
            "--html",
            "--progress",
            "lines",
            "--no-known-claims",
        ]
    )
    assert code == 0
    return out


def test_every_good_record_once_and_valid(outdir: Path) -> None:
    recs = [json.loads(x) for x in (outdir / "analyses.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in recs]
    # --text-field body: the JSONL records (field "text") are all rejected; folder files and CSV are read
    assert len(ids) == len(set(ids))
    assert sorted(Path(i).name for i in ids) == ["c1", "one.txt", "two.html"]
    for r in recs:
        Analysis.model_validate(r["analysis"])  # the CLI's schema, unchanged
    by_name = {Path(r["id"]).name: r for r in recs}
    assert by_name["one.txt"]["outlet"] == "rt"
    assert by_name["two.html"]["analysis"]["source"]["extracted"] is True
    assert by_name["c1"]["analysis"]["text"] == "A CSV article,\nover two lines."


def test_rejects_say_where_and_why(outdir: Path, corpus: Path) -> None:
    rejects = [json.loads(x) for x in (outdir / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    where = {r["origin"]: r["reason"] for r in rejects}
    assert all("no 'body' field" in where[f"{corpus / 'feed.jsonl'}:{n}"] for n in range(1, 11))
    assert "binary" in where[str(corpus / "site" / "bad.txt")]
    assert "empty" in where[f"{corpus / 'rows.csv'}:4"]


def test_parquet_tables_and_html_pages(outdir: Path) -> None:
    recs = [json.loads(x) for x in (outdir / "analyses.jsonl").read_text(encoding="utf-8").splitlines()]
    articles_t = pq.read_table(outdir / "articles.parquet")
    assert sorted(articles_t["id"].to_pylist()) == sorted(r["id"] for r in recs)
    spans = pq.read_table(outdir / "spans.parquet")
    assert spans.num_rows == sum(len(r["analysis"]["spans"]) for r in recs)
    for r in recs:
        page = (outdir / "html" / html_name(r["id"])).read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>") or page.lower().startswith("<!doctype html>")


def test_same_command_again_does_nothing_twice(corpus: Path, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "f.jsonl", articles(4, paragraphs=1))
    opts = BatchOptions(
        inputs=[str(feed)],
        outdir=tmp_path / "o",
        workers=1,
        run=RunOptions(threads=1, match_claims=False),
        progress="none",
    )
    first = run_batch(opts)
    before = (tmp_path / "o" / "analyses.jsonl").read_bytes()
    again = run_batch(opts)
    assert (first.analyzed, again.analyzed, again.skipped) == (4, 0, 4)
    assert (tmp_path / "o" / "analyses.jsonl").read_bytes() == before
    # more input later: only the new records are analyzed
    feed2 = write_jsonl(tmp_path / "g.jsonl", articles(6, paragraphs=1)[4:])
    more = run_batch(
        BatchOptions(
            inputs=[str(feed), str(feed2)],
            outdir=tmp_path / "o",
            workers=1,
            run=RunOptions(threads=1, match_claims=False),
            progress="none",
        )
    )
    assert (more.analyzed, more.skipped) == (2, 4)
    assert [r["id"] for r in stable_lines(tmp_path / "o")] == [f"a{i:03d}" for i in range(6)]


def test_registering_batch_and_report_imports_nothing_heavy() -> None:
    # `unspin analyze` builds the whole parser: batch and report must not pull their engines into it
    code = (
        "import sys, unspin.cli; unspin.cli.build_parser(); "
        "print(sorted(m for m in ('pyarrow', 'ray', 'matplotlib', 'unspin.batch.run', 'unspin.report.data') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
