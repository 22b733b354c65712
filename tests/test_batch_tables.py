"""Parquet tables per level, rebuilt from analyses.jsonl: rows match the analyses, schemas are fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from unspin.analysis import Analysis
from unspin.batch.output import ANALYSES
from unspin.batch.tables import SCHEMAS, build_tables

CLAIMS = [
    {
        "start": 0,
        "end": 10,
        "text": "claim one",
        "sentence": 0,
        "score": 0.9,
        "matches": [
            {
                "id": 11,
                "title": "T1",
                "summary": "S",
                "disproof": "D",
                "verdict": "disinformation",
                "reviewer": "EUvsDisinfo",
                "date": "2020-01-01",
                "url": "https://example.org/1",
                "score": 0.8,
            },
            {"id": 2, "title": "T2", "score": 0.5},
        ],
    },
    {"start": 20, "end": 30, "text": "claim two", "sentence": 1, "score": 0.4, "matches": []},
]


def write(outdir: Path, records: list[dict[str, Any]]) -> None:
    outdir.mkdir(exist_ok=True)
    with (outdir / ANALYSES).open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def test_tables_match_the_analyses(tmp_path: Path, demo_analysis: Analysis) -> None:
    a = demo_analysis.model_dump(mode="json")
    a.pop("claims", None)  # as in an analysis of schema 1.1, before claims existed
    with_claims = {**a, "claims": CLAIMS}
    write(
        tmp_path,
        [
            {"id": "one", "outlet": "RT", "date": "2024-01-01", "origin": "x:1", "analysis": a},
            {"id": "two", "outlet": None, "date": None, "origin": "x:2", "analysis": with_claims},
        ],
    )
    counts = build_tables(tmp_path, row_group=1)  # several row groups
    tables = {name: pq.read_table(tmp_path / f"{name}.parquet") for name in SCHEMAS}
    assert {n: t.num_rows for n, t in tables.items()} == counts
    assert tables["articles"]["id"].to_pylist() == ["one", "two"]
    assert tables["articles"]["spans"].to_pylist() == [len(a["spans"])] * 2
    assert tables["spans"].num_rows == 2 * len(a["spans"])
    n_narr = sum(1 + len(n["subnarratives"]) for n in a["narratives"])
    assert tables["narratives"].num_rows == 2 * n_narr
    assert tables["entities"].num_rows == 2 * len(a["entities"])
    spans = tables["spans"].to_pylist()
    assert all(a["text"][s["start"] : s["end"]] == s["text"] for s in spans)
    assert {s["outlet"] for s in spans} == {"RT", None}
    # claims: one row per claim x match, one row for a claim without a match
    claims = tables["claims"].to_pylist()
    assert [(c["claim"], c["match_rank"], c["match_id"]) for c in claims] == [
        (0, 0, "11"),
        (0, 1, "2"),
        (1, None, None),
    ]
    assert claims[0]["match_url"] == "https://example.org/1" and claims[0]["id"] == "two"
    assert claims[0]["match_reviewer"] == "EUvsDisinfo" and claims[2]["sentence"] == 1
    assert tables["articles"]["claims"].to_pylist() == [0, 2]
    assert tables["articles"]["matched_claims"].to_pylist()[1] == 1


def test_empty_corpus_gives_empty_tables_with_their_columns(tmp_path: Path) -> None:
    write(tmp_path, [])
    build_tables(tmp_path)
    for name, schema in SCHEMAS.items():
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.num_rows == 0 and table.schema.equals(schema)
    assert not list(tmp_path.glob(".*.tmp"))  # temporaries moved into place
