"""The bundled known claims: the EUvsDisinfo cases of both exports in ``../shared/data/euvsdisinfo``,
deduplicated and merged into one compact file shipped with the package.

Build it (maintainers; deterministic, byte-identical on every run)::

    python -m unspin.claims.bundle [--data DIR] [--out PATH]

The two exports overlap: the 2015-2018 one (titles, summaries, disproofs; no case URL) and the 2015-2021
one (case URLs, titles, outlets; no summaries) describe the same cases up to October 2017. A case is
matched across them by its title and date (see ``match_cases``); the merged record keeps the case URL as
its key, the 2015-2018 record's key as an alias, the fields of both and the provenance of every row.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from sqlite3 import Connection
from typing import Any

from unspin.claims.normalize import ELLIPSES, normalize_text
from unspin.claims.records import (
    ImportLog,
    KnownClaim,
    UpsertCounts,
    combine_duplicates,
    count,
    group_duplicates,
    upsert_claims,
)

BUNDLE_NAME = "euvsdisinfo.jsonl.gz"
BUNDLE_PATH = Path(__file__).resolve().parents[1] / "assets" / "claims" / BUNDLE_NAME
EXPORT_2018 = "cases-2015-2018-with-disproof.csv"
EXPORT_2021 = "cases-2015-2021-titles.csv"
# Dates of one case differ by up to three days between the exports (publication vs. report date).
DATE_TOLERANCE_DAYS = 3
_MIN_SLUG = 15  # a URL slug shorter than this ("nato-lies") could start many titles
_MIN_PREFIX_WORDS = 4


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_title))


def _url_slug(url: str) -> str:
    # WordPress appends -2, -3 to a repeated slug; the title it came from does not have it.
    return re.sub(r"-\d+$", "", url.rstrip("/").rsplit("/", 1)[-1])


def _days(a: KnownClaim, b: KnownClaim) -> int:
    if a.date is None or b.date is None:
        return 10**6
    return abs((date.fromisoformat(a.date) - date.fromisoformat(b.date)).days)


def _stem(title: str) -> str:
    return normalize_text(title.rstrip().removesuffix(ELLIPSES[0]).removesuffix(ELLIPSES[1]))


def match_cases(old: Sequence[KnownClaim], new: Sequence[KnownClaim]) -> dict[int, int]:
    """Pair records of the 2015-2018 export (``old``) with records of the 2015-2021 one (``new``), one to
    one, as ``{old index: new index}``.

    Passes from strictest to loosest, each only over the records still unpaired, all within
    DATE_TOLERANCE_DAYS and the nearest date first: the same normalized title on the same day; the same
    title on nearby days; the newer title cut short ("…") or at least four words long and the start of
    the older one; the case URL's slug the start of the older title's slug (titles edited after the URL
    was made).
    """
    by_day: dict[str, list[int]] = defaultdict(list)
    for j, claim in enumerate(new):
        if claim.date:
            by_day[claim.date].append(j)
    old_stems = [_stem(c.title) for c in old]
    old_slugs = [_slug(c.title) for c in old]
    new_stems = [_stem(c.title) for c in new]
    new_slugs = [_url_slug(c.url) for c in new]

    def same_day(i: int, j: int) -> bool:
        return old_stems[i] == new_stems[j] and old[i].date == new[j].date

    def same_title(i: int, j: int) -> bool:
        return old_stems[i] == new_stems[j]

    def prefix(i: int, j: int) -> bool:
        stem = new_stems[j]
        long_enough = new[j].title.rstrip().endswith(ELLIPSES) or stem.count(" ") + 1 >= _MIN_PREFIX_WORDS
        return bool(stem) and long_enough and (old_stems[i] + " ").startswith(stem + " ")

    def slug(i: int, j: int) -> bool:
        return len(new_slugs[j]) >= _MIN_SLUG and old_slugs[i].startswith(new_slugs[j])

    pairs: dict[int, int] = {}
    taken: set[int] = set()
    passes: list[Callable[[int, int], bool]] = [same_day, same_title, prefix, slug]
    for test in passes:
        for i, claim in enumerate(old):
            if i in pairs or claim.date is None:
                continue
            day = date.fromisoformat(claim.date)
            candidates = [
                j
                for offset in range(-DATE_TOLERANCE_DAYS, DATE_TOLERANCE_DAYS + 1)
                for j in by_day.get((day + timedelta(days=offset)).isoformat(), ())
                if j not in taken and test(i, j)
            ]
            if candidates:
                best = min(candidates, key=lambda j: (_days(claim, new[j]), j))
                pairs[i] = best
                taken.add(best)
    return pairs


def build(data_dir: Path) -> list[KnownClaim]:
    """Read both exports, fold repeated rows, merge the cases they share; sorted by date and key."""
    from unspin.claims.importers.files import read_claims, read_file

    def read(name: str) -> list[KnownClaim]:
        text, _ = read_file(data_dir / name)
        _, rows = read_claims(text, name, "euvsdisinfo")
        claims: list[KnownClaim] = []
        for line, item in rows:
            if isinstance(item, str):
                print(f"{name}:{line}: {item}", file=sys.stderr)
            else:
                claims.append(item)
        return claims

    old, _ = group_duplicates(read(EXPORT_2018))
    new, _ = group_duplicates(read(EXPORT_2021))
    pairs = match_cases(old, new)
    merged = list(new)
    for i, j in pairs.items():
        # The newer export first: its case URL is the key and its title is the one on the site today
        # (unless cut short); the older one brings summary, disproof and publication URL.
        merged[j] = combine_duplicates(new[j], old[i])
    merged += [claim for i, claim in enumerate(old) if i not in pairs]
    return sorted(merged, key=lambda c: (c.date or "", c.key))


def _compact(claim: KnownClaim) -> dict[str, Any]:
    return {k: v for k, v in claim.to_dict().items() if k != "id" and v not in ("", None, (), [])}


def write(claims: Sequence[KnownClaim], out: Path) -> None:
    """JSON Lines, gzip-compressed with a zero timestamp and no file name: the same claims give the same
    bytes, so the committed file only changes when the data does."""
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        for claim in claims:
            line = json.dumps(_compact(claim), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            gz.write(line.encode("utf-8") + b"\n")
    out.write_bytes(buffer.getvalue())


def load_bundled(path: Path = BUNDLE_PATH) -> list[KnownClaim]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [KnownClaim.from_dict(json.loads(line)) for line in fh if line.strip()]


def import_bundled(conn: Connection, path: Path = BUNDLE_PATH) -> UpsertCounts:
    """Import (or re-import: idempotent) the bundled cases in one transaction."""
    import hashlib

    log = ImportLog(
        source=f"{path.name} (bundled)",
        path=str(path),
        format="bundle",
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    return upsert_claims(conn, load_bundled(path), log=log)


def ensure_seeded(conn: Connection) -> UpsertCounts | None:
    """Import the bundled cases into a database that holds no claims yet; None if it has some."""
    if count(conn):
        return None
    return import_bundled(conn)


def main(argv: Sequence[str] | None = None) -> int:
    from unspin.data.semeval2023 import default_data_dir

    parser = argparse.ArgumentParser(
        prog="python -m unspin.claims.bundle", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--data", type=Path, help="folder with the two exports (default ../shared/data/euvsdisinfo)"
    )
    parser.add_argument("--out", type=Path, default=BUNDLE_PATH, help=f"default {BUNDLE_PATH}")
    args = parser.parse_args(argv)
    data_dir = args.data or default_data_dir() / "euvsdisinfo"
    started = time.perf_counter()
    claims = build(data_dir)
    write(claims, args.out)
    both = sum(1 for c in claims if len({p.format for p in c.provenance}) > 1)
    print(
        f"wrote {args.out}: {len(claims)} unique cases ({both} merged from both exports), "
        f"{args.out.stat().st_size:,} bytes, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
