"""Migration v3, the analyses store, and `unspin feedback export` in the SemEval-2023 span format."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from unspin.cli import main
from unspin.serve.feedback import corrected_spans
from unspin.store import analyses as store
from unspin.store.db import connect, schema_version
from unspin.store.migrations import MIGRATIONS


def _save(conn: sqlite3.Connection, text: str, title: str = "T", model: str = "m 1") -> store.StoredAnalysis:
    analysis = {"text": text, "spans": [], "title": title}
    row, _ = store.save(
        conn, digest=store.input_hash(text, title, None), model_version=model, title=title, source="text",
        text=text, spans=0, analysis_json=json.dumps(analysis),
    )  # fmt: skip
    return row


def test_v3_migrates_a_v2_database_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = connect(path, migrations=MIGRATIONS[:2])
    assert schema_version(old) == 2
    old.close()
    conn = connect(path)
    assert schema_version(conn) == 3 == len(MIGRATIONS)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"analyses", "analyses_fts", "feedback", "claims"} <= tables


def test_dedup_is_by_input_and_model_version(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    first = _save(conn, "Some text.")
    assert _save(conn, "Some text.").id == first.id
    assert _save(conn, "Some text.", model="m 2").id != first.id  # a new model analyzes again
    assert _save(conn, "Some text.", title="Other").id != first.id
    assert store.input_hash("ab", None, None) != store.input_hash("a", "b", None)
    assert len({first.id, _save(conn, "x").id}) == 2 and len(first.id) >= 16


def test_a_stored_analysis_survives_the_process_that_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    conn = connect(path)
    row = _save(conn, "Durable.")
    # No close, no checkpoint: a new connection (as after a kill) reads it from the WAL.
    other = sqlite3.connect(path)
    assert other.execute("SELECT id FROM analyses WHERE id = ?", (row.id,)).fetchone() == (row.id,)


def _analysis(spans: list[tuple[str, int, int]]) -> dict[str, Any]:
    return {"text": "x" * 100, "spans": [{"technique": t, "start": s, "end": e} for t, s, e in spans]}


def _fb(
    key: str, verdict: str, technique: str | None = None, start: int | None = None, end: int | None = None
) -> store.Feedback:
    return store.Feedback("span", key, verdict, technique, start, end, "", "2026-01-01T00:00:00+00:00")


def test_corrected_spans_apply_verdicts() -> None:
    a = _analysis([("Doubt", 0, 5), ("Slogans", 10, 20), ("Repetition", 30, 40)])
    feedback = [
        _fb("Doubt:0:5", "wrong", "Doubt", 0, 5),
        _fb("Slogans:10:20", "confirmed", "Slogans", 10, 20),
        _fb("missed:Flag_Waving:50:60", "missed", "Flag_Waving", 50, 60),
    ]
    assert corrected_spans(a, feedback, confirmed_only=False) == [
        ("Slogans", 10, 20), ("Repetition", 30, 40), ("Flag_Waving", 50, 60),
    ]  # fmt: skip
    assert corrected_spans(a, feedback, confirmed_only=True) == [("Slogans", 10, 20), ("Flag_Waving", 50, 60)]


def test_feedback_export_writes_semeval_span_lines_and_articles(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    conn = connect(db)
    text = "First line.\r\nSecond: the enemy lies.\n"
    row, _ = store.save(
        conn, digest="h", model_version="m", title="", source="text", text=text, spans=1,
        analysis_json=json.dumps({"text": text, "spans": [{"technique": "Doubt", "start": 0, "end": 5}]}),
    )  # fmt: skip
    _save(conn, "Unreviewed.")  # no feedback: not exported
    store.put_feedback(
        conn, row.seq, _fb("missed:Name_Calling-Labeling:21:35", "missed", "Name_Calling-Labeling", 21, 35)
    )
    out, arts = tmp_path / "labels.txt", tmp_path / "articles"
    assert main(["feedback", "export", "-o", str(out), "--articles", str(arts), "--db", str(db)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == [f"{row.id}\tDoubt\t0\t5", f"{row.id}\tName_Calling-Labeling\t21\t35"]
    article = (arts / f"article{row.id}.txt").read_bytes().decode("utf-8")
    assert article == text  # byte for byte, so the offsets hold
    for line in lines:
        start, end = line.split("\t")[2:]
        assert article[int(start) : int(end)] in ("First", "the enemy lies")
