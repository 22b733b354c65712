"""The batch output folder: torn lines cut on restart, ids read back, one writer at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.batch.output import ANALYSES, OutputStore, html_name, repair_and_read_ids
from unspin.batch.records import Reject
from unspin.errors import BadInput


def line(rid: str) -> str:
    return json.dumps({"id": rid, "outlet": None, "analysis": {"text": "x"}})


def test_torn_last_line_is_cut_and_whole_lines_are_kept(tmp_path: Path) -> None:
    path = tmp_path / ANALYSES
    whole = line("a") + "\n" + line('b "quoted" \\ id') + "\n"
    path.write_text(whole + line("c")[:17], encoding="utf-8")  # killed mid-write
    assert repair_and_read_ids(path) == {"a", 'b "quoted" \\ id'}
    assert path.read_text(encoding="utf-8") == whole


def test_append_is_durable_and_resumes(tmp_path: Path) -> None:
    store = OutputStore(tmp_path)
    store.append([("a", line("a")), ("b", line("b"))])
    store.reject([Reject("f:3", "bad", None)])
    store.close()
    again = OutputStore(tmp_path)
    assert again.done == {"a", "b"}
    # rejects are recomputed by every run, so a new run starts them afresh
    assert (tmp_path / "rejects.jsonl").read_text() == ""
    again.close()


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    first = OutputStore(tmp_path)
    with pytest.raises(BadInput, match="Another unspin batch"):
        OutputStore(tmp_path)
    first.close()
    OutputStore(tmp_path).close()


def test_html_names_are_safe_and_distinct() -> None:
    names = {html_name(i) for i in ("a/b", "a_b", "../../etc/passwd", "x" * 500, "")}
    assert len(names) == 5
    assert all("/" not in n and not n.startswith(".") and len(n) < 120 for n in names)
