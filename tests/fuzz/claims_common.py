"""The check shared by the two claim-import fuzz targets: read a file as `unspin claims import` does
(size limit, decoding, format detection), write its claims, and write them again.

Beyond "no crash": rows come with line numbers inside the file, every claim has a title and a key, and
importing the same claims twice adds and changes nothing the second time (idempotent re-import).
"""

from __future__ import annotations

import fuzz_runner

from unspin.claims.importers.files import read_claims, read_file
from unspin.claims.records import KnownClaim, upsert_claims
from unspin.store.db import connect

MAX_BYTES = 1 << 16


def import_twice(data: bytes, fmt: str, suffix: str) -> None:
    path = fuzz_runner.scratch() / f"claims{suffix}"
    path.write_bytes(data)
    text, _digest = read_file(path, MAX_BYTES)
    _layout, rows = read_claims(text, path.name, fmt)
    lines = text.count("\n") + text.count("\r") + 1
    claims: list[KnownClaim] = []
    for line, item in rows:
        assert 1 <= line <= lines, f"row reported on line {line} of a {lines}-line file"
        if isinstance(item, KnownClaim):
            assert item.title.strip() and item.key, item
            claims.append(item)
        else:
            assert isinstance(item, str) and item, "a rejected row without a reason"
    if not claims:
        return
    conn = connect(":memory:")
    try:
        first = upsert_claims(conn, claims)
        assert first.imported >= 1
        again = upsert_claims(conn, claims)
        assert (again.imported, again.updated) == (0, 0), f"re-import changed the database: {again}"
    finally:
        conn.close()
