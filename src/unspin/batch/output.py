"""The output folder of a batch run, and how it survives being killed at any moment.

``analyses.jsonl`` is the only source of truth. Lines are appended a chunk at a time, then flushed and
fsynced, so after a crash the file holds whole lines plus at most one torn last line. On start, the torn
tail is cut off and the ids of the whole lines are read: those articles are skipped, and every other one is
analyzed and appended, so the union is every article exactly once. Everything else (the Parquet tables, the
rejects file, the HTML reports) is derived and rewritten whole: tables at the end, each through a temporary
file and ``os.replace``, so a reader never sees a half-written table.

A lock on the folder keeps two runs from appending to the same file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from unspin.batch.records import Reject
from unspin.errors import BadInput

ANALYSES = "analyses.jsonl"
REJECTS = "rejects.jsonl"
HTML_DIR = "html"
_ID_PREFIX = '{"id": '  # record_line writes the id first, so reading ids never parses whole analyses
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def html_name(record_id: str) -> str:
    """A file name for an id: readable, and unique thanks to a hash of the whole id. A file's id is its path:
    the name keeps its folder and file name ("rt_article12-…"), not the path up to the corpus."""
    readable = record_id
    if "/" in record_id or "\\" in record_id:
        parts = [p for p in re.split(r"[/\\]+", record_id) if p]
        readable = "_".join(parts[-2:])
        readable = re.sub(r"\.(txt|html?|md)$", "", readable, flags=re.I)
    stem = _SAFE.sub("_", readable).strip("._")[-80:] or "article"
    return f"{stem}-{hashlib.sha256(record_id.encode('utf-8', 'replace')).hexdigest()[:10]}.html"


def _line_id(line: bytes) -> str | None:
    text = line.decode("utf-8", "replace")
    if not text.startswith(_ID_PREFIX):
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, len(_ID_PREFIX))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def repair_and_read_ids(path: Path) -> set[str]:
    """Cut a torn last line off ``path`` (a crash mid-write) and return the ids of its whole lines."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    good_end = 0
    with path.open("rb") as f:
        offset = 0
        for line in f:
            offset += len(line)
            if not line.endswith(b"\n"):
                break  # torn: written without its newline, so never fsynced as a whole
            rid = _line_id(line)
            if rid is None:
                break  # cannot happen with whole-line writes; stop trusting the file here
            ids.add(rid)
            good_end = offset
    if good_end < path.stat().st_size:
        with path.open("r+b") as f:
            f.truncate(good_end)
            os.fsync(f.fileno())
    return ids


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of an ``analyses.jsonl``, one at a time."""
    with path.open("rb") as f:
        for line in f:
            if line.endswith(b"\n"):
                yield json.loads(line)


class OutputStore:
    """Appends results to OUTDIR, durably, chunk by chunk."""

    def __init__(self, outdir: Path, html: bool = False) -> None:
        self.outdir = outdir
        outdir.mkdir(parents=True, exist_ok=True)
        self._lock = (outdir / ".lock").open("w")
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise BadInput(f"Another unspin batch is writing to {outdir}.") from None
        self.done = repair_and_read_ids(outdir / ANALYSES)
        self.html_dir = outdir / HTML_DIR if html else None
        if self.html_dir is not None:
            self.html_dir.mkdir(exist_ok=True)
        self._analyses: IO[bytes] = (outdir / ANALYSES).open("ab")
        # Rejects are recomputed on every run (the input is read again from the start), so start afresh.
        self._rejects: IO[bytes] = (outdir / REJECTS).open("wb")
        self.written = 0
        self.rejected = 0

    def write_html(self, record_id: str, page: str) -> None:
        assert self.html_dir is not None
        target = self.html_dir / html_name(record_id)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, target)

    def append(self, lines: Sequence[tuple[str, str]]) -> None:
        """Append ``(id, line)`` results and make them durable before returning."""
        if not lines:
            return
        self._analyses.write(b"".join(line.encode("utf-8") + b"\n" for _, line in lines))
        self._analyses.flush()
        os.fsync(self._analyses.fileno())
        self.done.update(rid for rid, _ in lines)
        self.written += len(lines)

    def reject(self, rejects: Sequence[Reject]) -> None:
        if not rejects:
            return
        self._rejects.write(
            b"".join(json.dumps(r.to_json(), ensure_ascii=False).encode("utf-8") + b"\n" for r in rejects)
        )
        self._rejects.flush()
        self.rejected += len(rejects)

    def close(self) -> None:
        self._analyses.close()
        self._rejects.close()
        self._lock.close()
