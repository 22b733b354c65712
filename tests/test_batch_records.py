"""Batch inputs: every reader, custom field names, stable ids, and bad records becoming rejects."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from unspin.batch.records import Fields, InputSpec, Reject, Task, check_inputs, read_all, read_input
from unspin.batch.worker import _load
from unspin.errors import BadInput, Refused


def items(tmp_path: Path, *inputs: str, **kw: object) -> list[Task | Reject]:
    return list(read_all(InputSpec(list(inputs), **kw)))  # type: ignore[arg-type]


def test_jsonl_with_custom_fields_and_rejects(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        json.dumps(
            {"body": "First article.", "headline": "One", "key": 7, "outlet": "RT", "day": "2024-01-02"}
        ),
        "",  # blank lines are not records
        json.dumps({"headline": "no body"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"body": 12}),
        json.dumps({"body": "Second.", "key": "7"}),  # same id as the first: resume could not tell them apart
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = Fields(text="body", title="headline", id="key", source="outlet", date="day")
    got = items(tmp_path, str(path), fields=fields)
    first = got[0]
    assert isinstance(first, Task)
    assert (first.id, first.text, first.title, first.outlet, first.date) == (
        "7",
        "First article.",
        "One",
        "RT",
        "2024-01-02",
    )
    assert first.origin == f"{path}:1"
    rejects = [g for g in got if isinstance(g, Reject)]
    # file:line of each bad record, blank line 2 counted
    assert [r.origin for r in rejects] == [f"{path}:{n}" for n in (3, 4, 5, 6, 7)]
    assert "no 'body' field" in rejects[0].reason
    assert "not valid JSON" in rejects[1].reason
    assert "not a JSON object" in rejects[2].reason
    assert "not a string" in rejects[3].reason
    assert "duplicate id" in rejects[4].reason


def test_ids_without_an_id_field_are_stable_and_follow_the_content(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": "Alpha."}) + "\n" + json.dumps({"text": "Beta."}) + "\n")
    a = [t.id for t in items(tmp_path, str(path)) if isinstance(t, Task)]
    assert a == [t.id for t in items(tmp_path, str(path)) if isinstance(t, Task)]
    assert len(set(a)) == 2
    path.write_text(json.dumps({"text": "Alpha."}) + "\n" + json.dumps({"text": "Beta, edited."}) + "\n")
    b = [t.id for t in items(tmp_path, str(path)) if isinstance(t, Task)]
    assert b[0] == a[0] and b[1] != a[1]


def test_over_long_jsonl_line_is_rejected_without_stopping(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    big = json.dumps({"text": "word " * 5000})
    path.write_text(big + "\n" + json.dumps({"text": "small"}) + "\n")
    got = items(tmp_path, str(path), max_bytes=1000)
    assert isinstance(got[0], Reject) and "over" in got[0].reason and got[0].origin.endswith(":1")
    assert isinstance(got[1], Task) and got[1].text == "small"


def test_stdin_jsonl() -> None:
    stream = io.BytesIO(b'{"text": "From a pipe.", "id": "p1"}\n')
    (task,) = list(read_all(InputSpec(["-"], stdin=stream)))
    assert isinstance(task, Task) and task.id == "p1" and task.origin == "-:1"


def test_csv_custom_fields_quoted_newlines_and_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = 'uid,content,src\n1,"Caf\xe9 story,\nover two lines",Le Monde\n2,,X\n3,Third,Y\n'
    path.write_bytes(rows.encode("cp1252"))
    got = items(tmp_path, str(path), fields=Fields(text="content", id="uid", source="src"))
    first, second, third = got
    assert (
        isinstance(first, Task) and first.text == "Café story,\nover two lines" and first.outlet == "Le Monde"
    )
    assert first.origin == f"{path}:2"
    # An empty text field is a record without text: the worker's checks reject it with the reason.
    assert isinstance(second, Task) and second.origin == f"{path}:4"
    assert isinstance(third, Task) and third.id == "3"


def test_csv_without_the_text_column_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("a,b\n1,2\n")
    (reject,) = items(tmp_path, str(path))
    assert isinstance(reject, Reject) and "'text' column" in reject.reason


def test_folder_reads_txt_and_html_with_outlet_from_subfolder(tmp_path: Path) -> None:
    (tmp_path / "rt").mkdir()
    (tmp_path / "rt" / "a.txt").write_text("A.")
    (tmp_path / "b.html").write_text("<html><body><p>B.</p></body></html>")
    (tmp_path / "notes.md").write_text("ignored")
    got = items(tmp_path, str(tmp_path))
    assert [(Path(t.id).name, t.outlet) for t in got if isinstance(t, Task)] == [
        ("b.html", None),
        ("a.txt", "rt"),
    ]
    assert all(isinstance(t, Task) and t.path is not None and t.text is None for t in got)


def test_missing_and_unknown_inputs_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "ok.jsonl").write_text("")
    check_inputs([str(tmp_path / "ok.jsonl"), str(tmp_path), "-"])
    for bad in ([str(tmp_path / "nope.jsonl")], [str(tmp_path / "x.pdf")], ["-", "-"]):
        with pytest.raises(BadInput):
            check_inputs(bad)
    # read on their own (inputs that vanish mid-run), they are rejects, not crashes
    got = items(tmp_path, str(tmp_path / "nope.jsonl"), str(tmp_path / "x.pdf"))
    assert [type(g) for g in got] == [Reject, Reject]


def test_worker_checks_reuse_the_ingest_rules(tmp_path: Path) -> None:
    # Undecodable bytes in a JSONL record (not UTF-8) become lone surrogates: refused as not Unicode.
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "caf\xe9 bad bytes"}\n{"text": "   "}\n{"text": "fine"}\n')
    bad, blank, fine = items(tmp_path, str(path))
    assert isinstance(bad, Task) and isinstance(blank, Task) and isinstance(fine, Task)
    with pytest.raises(BadInput, match="not valid Unicode"):
        _load(bad)
    with pytest.raises(BadInput, match="whitespace"):
        _load(blank)
    text, _, info = _load(fine)
    assert text == "fine" and info.name == f"{path}:3"
    huge = Task(id="h", origin="h", text="x" * 2_000_000)
    with pytest.raises(Refused):
        _load(huge)
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(BadInput, match="binary"):
        _load(Task(id="b", origin="b", path=str(binary)))


def test_a_binary_csv_is_one_reject_and_the_run_goes_on(tmp_path: Path) -> None:

    bad = tmp_path / "bin.csv"
    bad.write_bytes(bytes(range(256)) * 64)
    items = list(read_input(str(bad), InputSpec([str(bad)])))
    assert len(items) == 1 and isinstance(items[0], Reject) and items[0].origin == str(bad)


def test_folder_files_get_dates_from_a_sidecar_the_page_or_the_path(tmp_path: Path) -> None:
    from unspin.batch.records import iso_day

    rt = tmp_path / "rt"
    (rt / "2024" / "03" / "01").mkdir(parents=True)
    (rt / "2024" / "03" / "01" / "story.txt").write_text("By path.")
    (rt / "meta.html").write_text(
        '<html><head><meta property="article:published_time" content="2024-02-10T08:00:00+03:00">'
        "</head><body><p>By meta.</p></body></html>"
    )
    (rt / "ld.html").write_text(
        '<html><script type="application/ld+json">{"datePublished": "2023-12-24"}</script>x'
    )
    (rt / "time.htm").write_text('<p><time datetime="2022-05-06">6 May</time> By time.</p>')
    (rt / "side.txt").write_text("By sidecar.")
    (rt / "side.json").write_text(json.dumps({"published": "2021-01-02", "date": "2020-07-08"}))
    (rt / "wins.html").write_text('<meta name="date" content="1999-01-01"><p>Sidecar wins.</p>')
    (rt / "wins.html.json").write_text(json.dumps({"date": "2019-09-09"}))
    (rt / "none.txt").write_text("No date at all; 12345678 is not one.")
    (rt / "bad.html").write_text('<meta name="date" content="not a date"><p>x</p>')
    got = {Path(t.id).name: t.date for t in items(tmp_path, str(tmp_path)) if isinstance(t, Task)}
    assert got == {
        "story.txt": "2024-03-01",
        "meta.html": "2024-02-10",
        "ld.html": "2023-12-24",
        "time.htm": "2022-05-06",
        "side.txt": "2020-07-08",
        "wins.html": "2019-09-09",
        "none.txt": None,
        "bad.html": None,
    }
    spec = InputSpec([str(tmp_path)], fields=Fields(date="published"))  # --date-field names the sidecar's
    renamed = {Path(t.id).name: t.date for t in read_all(spec) if isinstance(t, Task)}
    assert renamed["side.txt"] == "2021-01-02"
    assert iso_day("2024-03-01T12:00:00Z") == "2024-03-01" and iso_day("March 1") is None
