"""Parquet tables, one per level, rebuilt from ``analyses.jsonl``: articles, spans, narratives, entities,
claims. pandas, DuckDB and Polars read them directly (``pd.read_parquet("out/spans.parquet")``).

The schemas are fixed here, so a table with no rows still has its columns and types (a corpus with no
claims still gives a ``claims.parquet`` a query can run on). Rows are streamed in row groups of
``ROW_GROUP`` articles: building the tables of a 10k-article corpus never holds it in memory. Each table is
written to a temporary file and moved into place, so it is either the old one or the new one, whole.
Every table carries ``id`` (the article id), ``outlet`` and ``date``, so a join is never needed to group by
source or time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from unspin.batch.output import ANALYSES, iter_records

ROW_GROUP = 500  # articles per row group: ~tens of MB of rows at most

_KEYS = [("id", pa.string()), ("outlet", pa.string()), ("date", pa.string())]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            *_KEYS,
            ("origin", pa.string()),
            ("title", pa.string()),
            ("source_kind", pa.string()),
            ("source_name", pa.string()),
            ("chars", pa.int64()),
            ("words", pa.int64()),
            ("paragraphs", pa.int64()),
            ("spans", pa.int64()),
            ("techniques", pa.list_(pa.string())),
            ("narratives", pa.list_(pa.string())),
            ("genre", pa.string()),
            ("genre_confidence", pa.float64()),
            ("frames", pa.list_(pa.string())),
            ("claims", pa.int64()),  # check-worthy claims spotted
            ("matched_claims", pa.int64()),  # of which matched a known (fact-checked) claim
            ("model", pa.string()),
            ("schema_version", pa.string()),
        ]
    ),
    "spans": pa.schema(
        [
            *_KEYS,
            ("technique", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("confidence", pa.float64()),
            ("paragraph", pa.int64()),
        ]
    ),
    "narratives": pa.schema(
        [
            *_KEYS,
            ("label", pa.string()),
            ("name", pa.string()),
            ("domain", pa.string()),
            ("level", pa.string()),  # narrative | subnarrative
            ("parent", pa.string()),  # the narrative's label, for a subnarrative
            ("confidence", pa.float64()),
        ]
    ),
    "entities": pa.schema(
        [
            *_KEYS,
            ("name", pa.string()),
            ("kind", pa.string()),
            ("mentions", pa.int64()),
            ("main_role", pa.string()),
            ("confidence", pa.float64()),
            ("fine_role", pa.string()),
            ("fine_role_confidence", pa.float64()),
        ]
    ),
    "claims": pa.schema(
        [
            *_KEYS,
            ("claim", pa.int64()),  # index of the claim in the article
            ("sentence", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("score", pa.float64()),
            ("match_rank", pa.int64()),  # null: a claim with no known match
            ("match_id", pa.string()),
            ("match_title", pa.string()),
            ("match_summary", pa.string()),
            ("match_disproof", pa.string()),
            ("match_verdict", pa.string()),
            ("match_reviewer", pa.string()),
            ("match_date", pa.string()),
            ("match_url", pa.string()),
            ("match_score", pa.float64()),
        ]
    ),
}

Row = dict[str, Any]


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def article_rows(rec: Row, keys: Row) -> Iterator[Row]:
    a = rec["analysis"]
    genre = a.get("genre") or {}
    model = a.get("model") or {}
    source = a.get("source") or {}
    yield {
        **keys,
        "origin": rec.get("origin"),
        "title": a.get("title"),
        "source_kind": source.get("kind"),
        "source_name": source.get("name"),
        "chars": len(a.get("text", "")),
        "words": len(a.get("text", "").split()),
        "paragraphs": len(a.get("paragraphs", [])),
        "spans": len(a.get("spans", [])),
        "techniques": [t["technique"] for t in a.get("techniques", [])],
        "narratives": [n["label"] for n in a.get("narratives", [])],
        "genre": genre.get("label"),
        "genre_confidence": genre.get("confidence"),
        "frames": [f["frame"] for f in a.get("frames", [])],
        "claims": len(a.get("claims") or []),
        "matched_claims": sum(1 for c in a.get("claims") or [] if c.get("matches")),
        "model": f"{model.get('name')} {model.get('version')}",
        "schema_version": a.get("schema_version"),
    }


def span_rows(rec: Row, keys: Row) -> Iterator[Row]:
    for s in rec["analysis"].get("spans", []):
        yield {
            **keys,
            **{k: s.get(k) for k in ("technique", "start", "end", "text", "confidence", "paragraph")},
        }


def narrative_rows(rec: Row, keys: Row) -> Iterator[Row]:
    for n in rec["analysis"].get("narratives", []):
        base = {"domain": n.get("domain")}
        yield {
            **keys,
            **base,
            "label": n["label"],
            "name": n.get("name"),
            "level": "narrative",
            "parent": None,
            "confidence": n.get("confidence"),
        }
        for sub in n.get("subnarratives", []):
            yield {
                **keys,
                **base,
                "label": sub["label"],
                "name": sub.get("name"),
                "level": "subnarrative",
                "parent": n["label"],
                "confidence": sub.get("confidence"),
            }


def entity_rows(rec: Row, keys: Row) -> Iterator[Row]:
    for e in rec["analysis"].get("entities", []):
        fine = (e.get("fine_roles") or [{}])[0]
        yield {
            **keys,
            "name": e.get("name"),
            "kind": e.get("kind"),
            "mentions": len(e.get("mentions", [])),
            "main_role": e.get("main_role"),
            "confidence": e.get("confidence"),
            "fine_role": fine.get("role"),
            "fine_role_confidence": fine.get("confidence"),
        }


def claim_rows(rec: Row, keys: Row) -> Iterator[Row]:
    # `claims` is newer than schema 1.1: older analyses simply have none.
    for i, c in enumerate(rec["analysis"].get("claims") or []):
        base = {
            **keys,
            "claim": i,
            "sentence": c.get("sentence"),
            "start": c.get("start"),
            "end": c.get("end"),
            "text": c.get("text"),
            "score": c.get("score"),
        }
        matches = c.get("matches") or []
        if not matches:
            yield {**base, "match_rank": None}
        for rank, m in enumerate(matches):
            yield {
                **base,
                "match_rank": rank,
                "match_id": _str(m.get("id")),
                "match_score": m.get("score"),
                "match_reviewer": _str(m.get("reviewer") or m.get("source")),
                **{
                    f"match_{k}": _str(m.get(k))
                    for k in ("title", "summary", "disproof", "verdict", "date", "url")
                },
            }


EXTRACTORS: dict[str, Callable[[Row, Row], Iterator[Row]]] = {
    "articles": article_rows,
    "spans": span_rows,
    "narratives": narrative_rows,
    "entities": entity_rows,
    "claims": claim_rows,
}


def build_tables(outdir: Path, row_group: int = ROW_GROUP) -> dict[str, int]:
    """(Re)write ``<outdir>/<level>.parquet`` for every level from ``analyses.jsonl``; rows per table."""
    tmp = {name: outdir / f".{name}.parquet.tmp" for name in SCHEMAS}
    writers = {name: pq.ParquetWriter(tmp[name], SCHEMAS[name], compression="zstd") for name in SCHEMAS}
    counts = dict.fromkeys(SCHEMAS, 0)
    buffers: dict[str, list[Row]] = {name: [] for name in SCHEMAS}

    def flush() -> None:
        for name, rows in buffers.items():
            if rows:
                writers[name].write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[name]))
                counts[name] += len(rows)
                rows.clear()

    try:
        source = outdir / ANALYSES
        for n, rec in enumerate(iter_records(source) if source.exists() else iter(())):
            keys = {"id": rec["id"], "outlet": rec.get("outlet"), "date": rec.get("date")}
            for name, extract in EXTRACTORS.items():
                buffers[name].extend(extract(rec, keys))
            if (n + 1) % row_group == 0:
                flush()
        flush()
    finally:
        for w in writers.values():
            w.close()
    for name, path in tmp.items():
        os.replace(path, outdir / f"{name}.parquet")
    return counts
