"""CSV readers: the two EUvsDisinfo export layouts and the simple ``claim,verdict,url,date[,language]``.

Every reader yields ``(line, KnownClaim | reason)`` where ``line`` is the line the record starts on (a
quoted cell may span lines), so a bad row is reported where an editor shows it and the rest still imports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime

from unspin.claims.normalize import (
    is_http_url,
    language_name,
    one_line,
    paragraphs,
    parse_iso_date,
    split_list,
    text_key,
    unique,
    url_key,
)
from unspin.claims.records import KnownClaim, Provenance
from unspin.errors import BadInput

Row = tuple[int, KnownClaim | str]
Record = dict[str, str]

EUVSDISINFO = "EUvsDisinfo"
DISINFORMATION = "disinformation"  # every EUvsDisinfo case is, by the database's definition

# Header names (lower case) that identify each layout. Extra columns are tolerated and ignored.
LAYOUT_2018 = ("euvsdisinfo-2018", frozenset({"date", "outlet", "title", "summary", "disproof"}))
LAYOUT_2021 = ("euvsdisinfo-2021", frozenset({"date", "id", "title", "outlets"}))
LAYOUT_SIMPLE = ("csv", frozenset({"claim", "verdict", "url", "date"}))
SIMPLE_COLUMNS = ("claim", "verdict", "url", "date", "language")


def _delimiter(text: str) -> str:
    # Spreadsheets in much of Europe save "CSV" with semicolons; tabs come from copy-paste.
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count) if any(d in first for d in ",;\t") else ","


def records(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """``(first line, last line, cells)`` per non-blank record. Raises _CsvBroken where the csv module gives up (a
    cell over its size limit: usually an unclosed quote swallowing the rest of the file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _CsvBroken(start, f"unreadable CSV from here on ({err}); is a quote left open?") from err
        if any(cell.strip() for cell in cells):
            yield start, reader.line_num, cells
        start = reader.line_num + 1


class _CsvBroken(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _header(cells: list[str]) -> list[str]:
    return [one_line(c).lstrip("\ufeff").casefold().replace("_", " ") for c in cells]


def detect_layout(header: list[str]) -> str | None:
    names = set(_header(header))
    for layout, required in (LAYOUT_2018, LAYOUT_2021, LAYOUT_SIMPLE):
        if required <= names:
            return layout
    return None


def _looks_like_simple_row(cells: list[str]) -> bool:
    """A headerless ``claim,verdict,url,date[,language]`` row: 4-5 cells, a URL (or nothing) third."""
    if len(cells) not in (4, 5) or not cells[0].strip():
        return False
    url, day = cells[2].strip(), cells[3].strip()
    try:
        # urlsplit raises ValueError on a malformed URL ("https://a>b]c", found by fuzzing): that
        # escaped and stopped the whole `claims import` command, other files included.
        if url and not is_http_url(url):
            return False
        if day:
            parse_iso_date(day)
    except ValueError:
        return False
    return True


def _us_date(value: str) -> str:
    """The 2015-2018 export writes dates as MM/DD/YY; ISO dates are accepted too."""
    value = value.strip()
    try:
        return datetime.strptime(value, "%m/%d/%y").date().isoformat()
    except ValueError:
        pass
    try:
        return parse_iso_date(value)
    except ValueError:
        raise ValueError(f"bad date {value!r}: expected MM/DD/YY") from None


def _euvsdisinfo_2018(r: Record, source: str, line: int) -> KnownClaim:
    title = one_line(r["title"])
    if not title:
        raise ValueError("empty title")
    day = _us_date(r["date"])
    outlet = one_line(r["outlet"])
    source_url = r.get("source", "").strip()
    source_url = source_url if is_http_url(source_url) else ""
    return KnownClaim(
        title=title,
        summary=paragraphs(r["summary"]),
        verdict=DISINFORMATION,
        disproof=paragraphs(r["disproof"]),
        source=outlet,
        source_url=source_url,
        reviewer=EUVSDISINFO,
        date=day,
        languages=unique(language_name(v) for v in split_list(r.get("language", ""), ",;")),
        keywords=split_list(r.get("keywords", ""), ","),
        countries=split_list(r.get("origin", ""), ","),
        provenance=(Provenance(source, LAYOUT_2018[0], line),),
        # No case URL in this export: the claim's words, day and publication identify it.
        key=text_key(title, day, source_url or outlet),
    )


def _euvsdisinfo_2021(r: Record, source: str, line: int) -> KnownClaim:
    url = r["id"].strip()
    if not is_http_url(url):
        raise ValueError(f"bad case URL {url[:80]!r} in the id column")
    title = one_line(r["title"])
    if not title:
        raise ValueError("empty title")
    day = parse_iso_date(r["date"])
    # Lists are "+"-separated; a few outlet cells also hold several lines, one outlet each.
    outlets = split_list(r.get("outlets", ""), "+\r\n")
    # Long outlet lists end with the scraped label of the site's "Show more" button.
    outlets = tuple(o for o in outlets if o.casefold() != "show more")
    return KnownClaim(
        title=title,
        verdict=DISINFORMATION,
        source="; ".join(outlets),
        reviewer=EUVSDISINFO,
        date=day,
        url=url,
        languages=unique(language_name(v) for v in split_list(r.get("languages", ""), "+")),
        keywords=split_list(r.get("keywords", ""), "+"),
        countries=split_list(r.get("countries", ""), "+"),
        provenance=(Provenance(source, LAYOUT_2021[0], line),),
        key=url_key(url),  # the case page: one case per URL (the export's primary key)
    )


def _simple(r: Record, source: str, line: int) -> KnownClaim:
    claim = one_line(r.get("claim", ""))
    if not claim:
        raise ValueError("empty claim")
    verdict = one_line(r.get("verdict", ""))
    if not verdict:
        raise ValueError("empty verdict")
    url = r.get("url", "").strip()
    if url and not is_http_url(url):
        raise ValueError(f"bad URL {url[:80]!r}: expected http(s)://…")
    raw_date = r.get("date", "").strip()
    day = parse_iso_date(raw_date) if raw_date else None
    return KnownClaim(
        title=claim,
        verdict=verdict,
        date=day,
        url=url,
        languages=unique(language_name(v) for v in split_list(r.get("language", ""), ";|+")),
        provenance=(Provenance(source, LAYOUT_SIMPLE[0], line),),
        # One fact-check page may rate several claims: the URL alone does not identify one.
        key=url_key(url, claim) if url else text_key(claim, day, ""),
    )


_BUILDERS: dict[str, Callable[[Record, str, int], KnownClaim]] = {
    LAYOUT_2018[0]: _euvsdisinfo_2018,
    LAYOUT_2021[0]: _euvsdisinfo_2021,
    LAYOUT_SIMPLE[0]: _simple,
}


def read_csv(text: str, source: str, expected: str | None = None) -> tuple[str, Iterator[Row]]:
    """Detect the layout from the header and return it with the rows' reader.

    ``expected`` is "euvsdisinfo" or "csv" when the user named the format. Raises BadInput when the
    header matches no layout (or not the expected one).
    """
    stream = records(text)
    try:
        first = next(stream, None)
    except _CsvBroken as err:
        raise BadInput(f"{source}:{err.line}: {err.reason}") from err
    if first is None:
        raise BadInput(f"{source} holds no rows.")
    line, _, cells = first
    layout = detect_layout(cells)
    header = _header(cells)
    pending: list[tuple[int, int, list[str]]] = []
    if layout is None and _looks_like_simple_row(cells):
        layout, header, pending = LAYOUT_SIMPLE[0], list(SIMPLE_COLUMNS), [first]
    family = layout.split("-")[0] if layout else None  # euvsdisinfo-2018 and -2021 are one --format
    if layout is None or (expected is not None and family != expected):
        raise BadInput(
            f"{source}:{line}: unrecognised CSV header; expected an EUvsDisinfo export or the columns "
            "claim,verdict,url,date[,language]."
        )
    return layout, _rows(stream, pending, header, _BUILDERS[layout], source)


def _rows(
    stream: Iterator[tuple[int, int, list[str]]],
    pending: list[tuple[int, int, list[str]]],
    header: list[str],
    build: Callable[[Record, str, int], KnownClaim],
    source: str,
) -> Iterator[Row]:
    def all_records() -> Iterator[tuple[int, int, list[str]]]:
        yield from pending
        yield from stream

    records_iter = all_records()
    while True:
        try:
            item = next(records_iter, None)
        except _CsvBroken as err:
            yield err.line, err.reason
            return
        if item is None:
            return
        line, last, cells = item
        if len(cells) == len(header) - 1 and header[-1] == "language":
            cells = [*cells, ""]  # the optional last column left out
        if len(cells) != len(header):
            reason = f"expected {len(header)} fields, found {len(cells)}"
            # An unclosed quote swallows the lines after it into one record: say how far it ran.
            hint = (
                f"; the record runs to line {last}: is a quote left open?"
                if last - line > 2
                else " (a stray comma or quote?)"
            )
            yield line, reason + hint
            continue
        try:
            yield line, build(dict(zip(header, cells, strict=True)), source, line)
        except ValueError as err:
            yield line, str(err)
