"""Importing claim files: size limit, decoding, format detection by content, and the one-transaction
write. Readers yield ``(line, KnownClaim | reason)``; a bad row is reported and the rest imports."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from sqlite3 import Connection

from unspin.claims.importers.claimreview import read_claimreview
from unspin.claims.importers.csvfiles import read_csv
from unspin.claims.records import ImportLog, KnownClaim, UpsertCounts, upsert_claims
from unspin.errors import BadInput, Refused

Row = tuple[int, KnownClaim | str]
FORMATS = ("auto", "euvsdisinfo", "claimreview", "csv")
# Whole fact-check feeds run to tens of MB; past this a file is more likely a mistake than a feed.
DEFAULT_MAX_BYTES = 100_000_000


class NothingImported(BadInput):
    """The file was readable but every row in it was rejected; ``errors`` lists them."""

    def __init__(self, message: str, errors: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.errors = errors


@dataclass
class ImportReport:
    path: str
    format: str  # the layout actually read: euvsdisinfo-2018 | euvsdisinfo-2021 | claimreview | csv
    counts: UpsertCounts
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """The file's text and the SHA-256 of its bytes. Refused over ``max_bytes``; BadInput when missing,
    empty, binary or undecodable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Refused(
                f"{path} is {size:,} bytes, over the {max_bytes:,}-byte limit for claim files "
                "(raise it with --max-bytes)."
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # not a regular file: its size was not known above
    except FileNotFoundError as err:
        raise BadInput(f"{path}: no such file.") from err
    except IsADirectoryError as err:
        raise BadInput(f"{path} is a folder, not a claims file.") from err
    except PermissionError as err:
        raise BadInput(f"{path}: permission denied.") from err
    if len(data) > max_bytes:
        raise Refused(
            f"{path} is over the {max_bytes:,}-byte limit for claim files (raise it with --max-bytes)."
        )
    digest = hashlib.sha256(data).hexdigest()
    if b"\x00" not in data:
        try:
            # Exports are UTF-8 nearly always: decode directly and keep the detector (and its imports)
            # for the rest.
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            text = _decode_other(path, data)
    else:
        text = _decode_other(path, data)
    if not text.strip():
        raise BadInput(f"{path} is empty.")
    return text, digest


def _decode_other(path: Path, data: bytes) -> str:
    from unspin.ingest.charset import decode_bytes

    try:
        text, _ = decode_bytes(data)
    except BadInput as err:
        raise BadInput(f"{path} is binary or in an unknown encoding, not a CSV or JSON export.") from err
    return text.removeprefix(codecs.BOM_UTF8.decode())


def detect_format(text: str) -> str:
    """ "claimreview" for JSON (it starts with ``{`` or ``[``), "csv" for everything else; the CSV header
    then tells an EUvsDisinfo export from the simple layout."""
    return "claimreview" if text.lstrip()[:1] in ("{", "[") else "csv"


def read_claims(text: str, source: str, fmt: str = "auto") -> tuple[str, Iterator[Row]]:
    """The layout read and the file's rows. ``fmt`` is one of FORMATS; BadInput when the content does
    not fit it."""
    if fmt not in FORMATS:
        raise BadInput(f"Unknown claims format {fmt!r}; expected one of {', '.join(FORMATS)}.")
    kind = detect_format(text)
    if fmt == "claimreview" or (fmt == "auto" and kind == "claimreview"):
        if kind != "claimreview":
            raise BadInput(f"{source} is not JSON, so it holds no ClaimReview objects.")
        return "claimreview", read_claimreview(text, source)
    if kind == "claimreview":
        raise BadInput(f"{source} is JSON, not CSV; try --format claimreview.")
    return read_csv(text, source, expected=None if fmt == "auto" else fmt)


def import_file(
    conn: Connection, path: Path, fmt: str = "auto", max_bytes: int = DEFAULT_MAX_BYTES
) -> ImportReport:
    """Read one file and write its claims in one transaction. Raises NothingImported (BadInput) when
    no row is valid, so the database is left exactly as it was."""
    text, digest = read_file(path, max_bytes)
    layout, rows = read_claims(text, path.name, fmt)
    claims: list[KnownClaim] = []
    errors: list[tuple[int, str]] = []
    for line, item in rows:
        if isinstance(item, KnownClaim):
            claims.append(item)
        else:
            errors.append((line, item))
    if not claims:
        if errors:
            raise NothingImported(
                f"{path}: none of its {len(errors)} records is a valid claim; nothing was imported.", errors
            )
        raise BadInput(f"{path} holds no claims.")
    log = ImportLog(
        source=path.name, path=str(path.resolve()), format=layout, sha256=digest, errors=len(errors)
    )
    counts = upsert_claims(conn, claims, log=log)
    return ImportReport(str(path), layout, counts, errors)
