"""Corpus inputs as a stream of tasks: folders of .txt/.html files, JSONL and CSV files, JSONL on stdin.

Nothing here holds the corpus in memory: every reader yields one record at a time, and a JSONL line is
read with a size cap so that one giant line cannot exhaust memory. Each record gets a stable id (the id
field, else the file path, else ``file:line#hash``), which is what resume keys on. Bad records become
``Reject``s with a reason and their ``file:line``; the run goes on.

Files of a folder get a date, so that their corpus has trends: a JSON sidecar's date field
(``story.json`` beside ``story.html``; the field is ``--date-field``), else the publication date the page
declares in its first 64 KB (``article:published_time`` and other meta tags, JSON-LD, ``<time>``), else
a date written in the path (``rt/2024/03/01/story.html``).

Decoding and limits are the analyzer's own (``unspin.ingest``): files go through ``load_source`` in the
worker (HTML extraction is the expensive part, so it must not run in the parent), and text fields
through ``source_from_text``, which refuses empty, oversized and non-Unicode (lone surrogate) text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from unspin.errors import BadInput, UnspinError
from unspin.ingest.charset import decode_bytes
from unspin.options import DEFAULT_MAX_BYTES

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FILE_SUFFIXES = (".txt", *HTML_SUFFIXES)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
# csv's default field limit (128 KB) is below an article's size limit; the real cap is --max-bytes.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Fields:
    """Names of the record fields in JSONL and CSV inputs (``--text-field`` and friends)."""

    text: str = "text"
    title: str = "title"
    id: str = "id"
    source: str = "source"
    date: str = "date"


@dataclass(frozen=True)
class Task:
    """One article to analyze. Exactly one of ``text`` (from a record) or ``path`` (a file) is set."""

    id: str
    origin: str  # where it came from, for humans: a path or file:line
    text: str | None = None
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Reject:
    """A record that will not be analyzed, and why."""

    origin: str
    reason: str
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "origin": self.origin, "reason": self.reason}


Item = Task | Reject


@dataclass
class InputSpec:
    """What to read: the INPUT arguments and how to read their records."""

    inputs: list[str]
    fields: Fields = field(default_factory=Fields)
    max_bytes: int = DEFAULT_MAX_BYTES
    stdin: BinaryIO | None = None


def content_id(origin: str, text: str) -> str:
    """An id for a record without one: its position plus a hash of its text, so that an edited file does
    not make resume skip a changed record."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{origin}#{digest}"


def _scalar(value: Any) -> str | None:
    """A metadata field as a string; undecodable bytes in it (lone surrogates) become "?"."""
    if value is None or value == "":
        return None
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value)
        if isinstance(value, (dict, list))
        else str(value)
    )
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _from_mapping(row: dict[str, Any], origin: str, fields: Fields) -> Item:
    text = row.get(fields.text)
    if text is None:
        return Reject(origin, f"no {fields.text!r} field")
    if not isinstance(text, str):
        return Reject(origin, f"the {fields.text!r} field is not a string")
    rid = _scalar(row.get(fields.id)) or content_id(origin, text)
    return Task(
        id=rid,
        origin=origin,
        text=text,
        title=_scalar(row.get(fields.title)),
        outlet=_scalar(row.get(fields.source)),
        date=_scalar(row.get(fields.date)),
    )


def _read_line(stream: BinaryIO, cap: int) -> tuple[bytes, bool] | None:
    """The next line, at most ``cap`` bytes kept: ``(line, too_long)``, or None at the end."""
    line = stream.readline(cap + 1)
    if not line:
        return None
    if len(line) <= cap or line.endswith(b"\n"):
        return line, False
    while True:  # skip the rest of an over-long line without holding it
        more = stream.readline(1 << 20)
        if not more or more.endswith(b"\n"):
            return b"", True


def read_jsonl(stream: BinaryIO, name: str, spec: InputSpec) -> Iterator[Item]:
    # JSON text is UTF-8 by definition (RFC 8259); bytes that are not become lone surrogates here, which
    # source_from_text refuses in the worker as "not valid Unicode": the record is rejected, not garbled.
    cap = 4 * spec.max_bytes + 4096  # room for JSON escapes around a text at the size limit
    lineno = 0
    while (got := _read_line(stream, cap)) is not None:
        lineno += 1
        raw, too_long = got
        origin = f"{name}:{lineno}"
        if too_long:
            yield Reject(origin, f"the line is over {cap:,} bytes (raise --max-bytes to accept it)")
            continue
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8", "surrogateescape"))
        except ValueError as err:
            yield Reject(origin, f"not valid JSON: {err}")
            continue
        if not isinstance(row, dict):
            yield Reject(origin, "not a JSON object")
            continue
        yield _from_mapping(row, origin, spec.fields)


def _csv_encoding(path: Path) -> str:
    """The file's encoding, found by the analyzer's decoder on its first 64 KB (cut at a line end)."""
    with path.open("rb") as f:
        head = f.read(65536)
    if len(head) == 65536 and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    _, encoding = decode_bytes(head)
    return "utf-8-sig" if encoding == "utf-8" else encoding


def read_csv(path: Path, spec: InputSpec) -> Iterator[Item]:
    try:
        encoding = _csv_encoding(path)
    except UnspinError as err:  # binary or undecodable: the file is one reject, the run goes on
        yield Reject(str(path), str(err))
        return
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as f:
        sample = f.read(8192)
        f.seek(0)
        delimiter = "\t" if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(",") else ","
        reader = csv.DictReader(f, delimiter=delimiter)
        if reader.fieldnames is None or spec.fields.text not in reader.fieldnames:
            yield Reject(str(path), f"no {spec.fields.text!r} column in the header (see --text-field)")
            return
        while True:
            line = reader.line_num + 1  # the record starts on the line after the last one read
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield Reject(f"{path}:{line}", f"malformed CSV: {err}")
                return  # the csv module cannot resynchronize after a broken quote
            yield _from_mapping(dict(row), f"{path}:{line}", spec.fields)


# ---- dates of files: a sidecar, the page's own metadata, or the path

HEAD_BYTES = 65536  # a page's <head>, where publication dates live; never the whole file in the parent
_META_DATE = re.compile(
    rb"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["']?(?:article:published_time|og:published_time|"""
    rb"""datePublished|date|pubdate|publishdate|publish-date|dc\.date|dc\.date\.issued|dcterms\.created|"""
    rb"""parsely-pub-date|sailthru\.date)["']?[^>]*>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(rb"""content\s*=\s*["']([^"']{8,40})["']""", re.IGNORECASE)
_LD_DATE = re.compile(rb'"datePublished"\s*:\s*"([^"]{8,40})"')
_TIME_TAG = re.compile(rb"""<time\s[^>]*?datetime\s*=\s*["']([^"']{8,40})["']""", re.IGNORECASE)
_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_.]?(0[1-9]|1[0-2])[-/_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def iso_day(value: str) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or datetime (``2024-03-01``, ``2024-03-01T12:00:00Z``), else None."""
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _sidecar_date(path: Path, field_name: str) -> str | None:
    """The date field of ``story.json`` or ``story.html.json`` beside ``story.html`` (``--date-field``)."""
    for side in (path.with_suffix(".json"), path.with_name(path.name + ".json")):
        if side.is_file() and side.stat().st_size <= HEAD_BYTES:
            try:
                meta = json.loads(side.read_bytes())
            except ValueError:
                continue
            value = meta.get(field_name) if isinstance(meta, dict) else None
            if isinstance(value, str) and (day := iso_day(value)):
                return day
    return None


def _html_date(path: Path) -> str | None:
    """The publication date a page declares in its first 64 KB: meta tags, JSON-LD, then ``<time>``."""
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None
    for tag in _META_DATE.finditer(head):
        if (m := _CONTENT.search(tag.group(0))) and (day := iso_day(m.group(1).decode("ascii", "replace"))):
            return day
    for pattern in (_LD_DATE, _TIME_TAG):
        if (m := pattern.search(head)) and (day := iso_day(m.group(1).decode("ascii", "replace"))):
            return day
    return None


def _path_date(rel: Path) -> str | None:
    """A date written in the path: ``2024/03/01/story.html``, ``2024-03-01-story.txt``."""
    m = _PATH_DATE.search(rel.as_posix())
    return iso_day(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def file_date(path: Path, rel: Path, field_name: str = "date") -> str | None:
    """A file's date: a JSON sidecar's date field, else the HTML's own metadata, else a date in its path."""
    found = _sidecar_date(path, field_name)
    if found is None and path.suffix.lower() in HTML_SUFFIXES:
        found = _html_date(path)
    return found or _path_date(rel)


def read_folder(root: Path, fields: Fields | None = None) -> Iterator[Item]:
    # The outlet is the first folder under the root (corpus/rt/2024/a.txt -> "rt"): the natural layout of
    # a scraped corpus. Sorted traversal keeps ids and output order the same on every run.
    field_name = (fields or Fields()).date
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in FILE_SUFFIXES:
            continue
        rel = path.relative_to(root)
        outlet = rel.parts[0] if len(rel.parts) > 1 else None
        day = file_date(path, rel, field_name)
        yield Task(id=str(path), origin=str(path), path=str(path), outlet=outlet, date=day)


def read_input(name: str, spec: InputSpec) -> Iterator[Item]:
    """Every record of one INPUT argument."""
    if name == "-":
        stream = spec.stdin if spec.stdin is not None else sys.stdin.buffer
        yield from read_jsonl(stream, "-", spec)
        return
    path = Path(name)
    if path.is_dir():
        yield from read_folder(path, spec.fields)
    elif not path.exists():
        yield Reject(name, "no such file or folder")
    elif path.suffix.lower() in JSONL_SUFFIXES:
        with path.open("rb") as f:
            yield from read_jsonl(f, name, spec)
    elif path.suffix.lower() in CSV_SUFFIXES:
        yield from read_csv(path, spec)
    elif path.suffix.lower() in FILE_SUFFIXES:
        yield Task(
            id=str(path), origin=str(path), path=str(path), date=file_date(path, path, spec.fields.date)
        )
    else:
        yield Reject(name, "unknown input kind: give a folder, .jsonl, .csv, .txt or .html file, or -")


def check_inputs(inputs: list[str]) -> None:
    """Refuse, before any work, INPUT arguments that name nothing readable (a typo is not a bad record)."""
    if inputs.count("-") > 1:
        raise BadInput("Standard input (-) can be given only once.")
    for name in inputs:
        path = Path(name)
        if name == "-" or path.is_dir():
            continue
        if not path.is_file():
            raise BadInput(f"No such file or folder: {name}.")
        if path.suffix.lower() not in (*JSONL_SUFFIXES, *CSV_SUFFIXES, *FILE_SUFFIXES):
            raise BadInput(
                f"{name}: unknown input kind; give a folder, .jsonl, .csv, .txt or .html file, or -."
            )


def read_all(spec: InputSpec) -> Iterator[Item]:
    """Every record of every input, in order; a repeated id is rejected (resume could not tell them apart)."""
    seen: set[str] = set()  # ids only: ~100 bytes per article, not the articles
    for name in spec.inputs:
        for item in read_input(name, spec):
            if isinstance(item, Task):
                if item.id in seen:
                    yield Reject(item.origin, "duplicate id (already given by an earlier record)", item.id)
                    continue
                seen.add(item.id)
            yield item


def count_records(spec: InputSpec) -> int | None:
    """A quick upper bound on the number of records for the progress bar's ETA; None if unknown (stdin)."""
    total = 0
    for name in spec.inputs:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FILE_SUFFIXES)
        elif path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            with path.open("rb") as f:
                total += sum(1 for line in f if line.strip())
        elif path.suffix.lower() in CSV_SUFFIXES and path.is_file():
            with path.open("rb") as f:
                text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
                total += max(0, sum(1 for _ in csv.reader(text)) - 1)
        else:
            total += 1
    return total
