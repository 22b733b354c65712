"""Claim file readers: format detection, EUvsDisinfo (both layouts), ClaimReview (object, array, @graph,
DataFeed, JSON Lines), the simple CSV; bad rows reported by line while the rest imports; limits."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from unspin.claims.importers.files import NothingImported, import_file, read_claims
from unspin.claims.normalize import canonical_url, language_name, normalize_text, parse_iso_date
from unspin.claims.records import KnownClaim, count
from unspin.claims.search import search_bm25
from unspin.errors import BadInput, Refused
from unspin.store.db import connect


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "unspin.db")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def rows(text: str, name: str = "f", fmt: str = "auto") -> tuple[str, list[tuple[int, KnownClaim | str]]]:
    layout, found = read_claims(text, name, fmt)
    return layout, list(found)


EUVS_2018 = (
    '"issue","date","outlet","language","origin","reported by","keywords","source","title","summary","disproof"\n'
    '82,10/03/17,"TV Zvezda","Russian","Ukraine","X","TV Zvezda, Military","https://tvzvezda.ru/a",'
    '"Explosions in Vinnitsa were organized by Ukrainian soldiers","Summary one.","Disproof\nover two lines."\n'
    '82,10/02/17,"Blog","Spain","Spain","Y","Catalonia","https://blog.example/b",'
    '"EU officials supported the violence in Catalonia","Summary two.","Disproof two."\n'
    '82,10/02/17,"Blog","Spain","Spain","Y","Catalonia","https://blog.example/b",'
    '"EU officials supported the violence in Catalonia","Summary two.","Disproof two."\n'
    '82,13/45/17,"Blog","English","US","Z","","https://blog.example/c","Bad date row","S","D"\n'
)

EUVS_2021 = (
    "date,id,title,countries,keywords,languages,outlets\n"
    "2021-02-18,https://euvsdisinfo.eu/report/german-special-services-helped-navalny/,"
    "German special services helped Navalny,Russia+Germany,Alexei Navalny+Vladimir Putin,"
    'Spanish+Castilian,"TASS - Russian\r\nRIA+Show more"\n'
    "2021-02-17,not-a-url,Some title,Russia,,Russian,TASS\n"
)


def test_euvsdisinfo_2018_layout(tmp_path: Path) -> None:
    layout, found = rows(EUVS_2018, "old.csv")
    assert layout == "euvsdisinfo-2018"
    assert [line for line, _ in found] == [2, 4, 5, 6]  # the quoted two-line cell moves the next row
    first = found[0][1]
    assert isinstance(first, KnownClaim)
    assert first.date == "2017-10-03" and first.source == "TV Zvezda" and first.url == ""
    assert first.source_url == "https://tvzvezda.ru/a" and first.keywords == ("TV Zvezda", "Military")
    assert first.disproof == "Disproof\nover two lines." and first.verdict == "disinformation"
    second = found[1][1]
    assert isinstance(second, KnownClaim) and second.languages == ("Spanish",)  # a country in the column
    assert found[3] == (6, "bad date '13/45/17': expected MM/DD/YY")


def test_euvsdisinfo_2021_layout() -> None:
    layout, found = rows(EUVS_2021)
    assert layout == "euvsdisinfo-2021"
    case = found[0][1]
    assert isinstance(case, KnownClaim)
    assert case.url.endswith("german-special-services-helped-navalny/")
    assert case.key == "url:https://euvsdisinfo.eu/report/german-special-services-helped-navalny"
    assert case.countries == ("Russia", "Germany") and case.languages == ("Spanish",)
    assert case.source == "TASS - Russian; RIA"  # multi-line outlet cell, scraper's "Show more" dropped
    assert found[1][0] == 4 and "bad case URL" in str(found[1][1])


def test_simple_csv_with_and_without_language(conn: sqlite3.Connection, tmp_path: Path) -> None:
    with_lang = write(
        tmp_path,
        "with.csv",
        "claim,verdict,url,date,language\n"
        "The moon landing was staged,False,https://fc.example/moon,2019-07-20,en\n"
        "Masks cause hypoxia,Misleading,,2020-05-01T10:00:00Z,pt-BR\n",
    )
    without = write(
        tmp_path, "without.csv", "claim,verdict,url,date\nWater has memory,False,https://fc.example/water,\n"
    )
    report = import_file(conn, with_lang)
    assert (report.format, report.counts.imported, report.errors) == ("csv", 2, [])
    assert import_file(conn, without).counts.imported == 1
    moon = search_bm25(conn, "moon landing", 1)[0][0]
    assert moon.languages == ("English",) and moon.verdict == "False" and moon.date == "2019-07-20"
    masks = search_bm25(conn, "masks hypoxia", 1)[0][0]
    assert masks.languages == ("Portuguese",) and masks.date == "2020-05-01"
    water = search_bm25(conn, "water memory", 1)[0][0]
    assert water.languages == () and water.date is None


def test_simple_csv_headerless_and_semicolons() -> None:
    layout, found = rows("Claim one;False;https://x.example/1;2020-01-01\nClaim two;True;;\n")
    assert layout == "csv" and [isinstance(c, KnownClaim) for _, c in found] == [True, True]


def test_malformed_rows_are_reported_by_line_and_the_rest_imports(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "mixed.csv",
        "claim,verdict,url,date\n"
        "Good one,False,https://fc.example/1,2020-01-01\n"
        '"A claim told\nover two lines",False,https://fc.example/2,2020-01-02\n'
        "Too,many,fields,here,and,more\n"
        ",False,https://fc.example/3,2020-01-03\n"
        "Bad date,False,https://fc.example/4,2020-02-30\n"
        "Bad url,False,javascript:alert(1),2020-01-04\n"
        "No verdict,,https://fc.example/5,2020-01-05\n"
        "Good two,Mostly false,https://fc.example/6,2020-01-06\n",
    )
    report = import_file(conn, path)
    assert report.counts.imported == 3 and count(conn) == 3
    lines = {line: reason for line, reason in report.errors}
    assert sorted(lines) == [5, 6, 7, 8, 9]
    assert "expected 4 fields, found 6" in lines[5]
    assert lines[6] == "empty claim" and "no such day" in lines[7] and "bad URL" in lines[8]
    assert lines[9] == "empty verdict"
    assert search_bm25(conn, "claim told over two lines", 1)[0][0].provenance[0].line == 3


def test_reimport_is_idempotent(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "old.csv", EUVS_2018)
    first = import_file(conn, path)
    assert (first.counts.imported, first.counts.skipped, len(first.errors)) == (2, 1, 1)
    before = list(conn.iterdump())
    second = import_file(conn, path)
    assert (second.counts.imported, second.counts.updated, second.counts.skipped) == (0, 0, 3)
    assert count(conn) == 2
    after = [s for s in conn.iterdump() if 'INTO "imports"' not in s]
    assert after == [s for s in before if 'INTO "imports"' not in s]


def test_a_file_of_only_bad_rows_changes_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    import_file(conn, write(tmp_path, "ok.csv", "claim,verdict,url,date\nFine,False,,\n"))
    before = list(conn.iterdump())
    with pytest.raises(NothingImported) as info:
        import_file(conn, write(tmp_path, "bad.csv", "claim,verdict,url,date\n,False,,\nx,,,\n"))
    assert [line for line, _ in info.value.errors] == [2, 3]
    assert list(conn.iterdump()) == before


CLAIM_REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://fc.example/review/1",
    "claimReviewed": "5G towers spread the virus",
    "datePublished": "2020-04-10",
    "author": {"@type": "Organization", "name": "Example Check"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "False"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A blogger"},
        "datePublished": "2020-04-01",
        "appearance": [{"@type": "CreativeWork", "url": "https://blog.example/5g"}],
    },
    "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en"},
    "reviewBody": "No virus travels by radio.",
}


def review(**changes: object) -> dict[str, object]:
    return {**CLAIM_REVIEW, **changes}


def test_claimreview_single_object() -> None:
    layout, found = rows(json.dumps(CLAIM_REVIEW, indent=2))
    assert layout == "claimreview" and len(found) == 1
    line, item = found[0]
    assert line == 1 and isinstance(item, KnownClaim)
    assert item.title == "5G towers spread the virus" and item.verdict == "False"
    assert item.reviewer == "Example Check" and item.source == "A blogger"
    assert item.date == "2020-04-01"  # the claim's date, not the review's
    assert item.source_url == "https://blog.example/5g" and item.languages == ("English",)
    assert item.disproof == "No virus travels by radio."


def test_claimreview_array_reports_bad_elements_where_they_start() -> None:
    text = json.dumps(
        [
            review(),
            review(claimReviewed="", url="https://fc.example/review/2"),
            review(claimReviewed="Rating by number", reviewRating={"ratingValue": 2, "bestRating": 5}),
            "not an object",
            review(claimReviewed="Bad date", itemReviewed={"datePublished": "April 2020"}),
        ],
        indent=2,
    )
    _, found = rows(text)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line in ("  {", '  "not an object",')]
    assert [line for line, _ in found] == starts
    kinds = [item if isinstance(item, str) else item.verdict for _, item in found]
    assert kinds[0] == "False" and kinds[1] == "ClaimReview without claimReviewed" and kinds[2] == "2/5"
    assert kinds[3] == "expected a ClaimReview object, found str" and "bad date" in kinds[4]


def test_claimreview_datafeed_and_graph(conn: sqlite3.Connection, tmp_path: Path) -> None:
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [review(), review(claimReviewed="Second claim, same page")]},
            {
                "@type": "DataFeedItem",
                "item": review(url="https://fc.example/review/3", claimReviewed="Third"),
            },
        ],
    }
    report = import_file(conn, write(tmp_path, "feed.json", json.dumps(feed, indent=1)))
    # Two claims reviewed on one page are two claims: the URL alone is not their key.
    assert (report.format, report.counts.imported, report.errors) == ("claimreview", 3, [])
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "name": "page"}, review(claimReviewed="From a graph")],
    }
    _, found = rows(json.dumps(graph))
    assert [c.title for _, c in found if isinstance(c, KnownClaim)] == ["From a graph"]
    assert import_file(conn, tmp_path / "feed.json").counts.skipped == 3
    # The same reviews in another file add that file's provenance to the claims, not new claims.
    again = import_file(conn, write(tmp_path, "feed2.json", json.dumps(feed))).counts
    assert (again.imported, again.updated, count(conn)) == (0, 3, 3)


def test_claimreview_json_lines_isolate_syntax_errors() -> None:
    text = json.dumps(review()) + "\n{broken\n" + json.dumps(review(claimReviewed="Line three")) + "\n"
    _, found = rows(text)
    assert [line for line, _ in found] == [1, 2, 3]
    assert "not valid JSON" in str(found[1][1]) and isinstance(found[2][1], KnownClaim)


def test_invalid_or_empty_json_is_unusable() -> None:
    with pytest.raises(BadInput, match=r"f:3: not valid JSON"):
        rows('[\n{"claimReviewed": "x"},\n{oops}\n]')
    with pytest.raises(BadInput, match="no ClaimReview"):
        rows('{"@type": "WebPage"}')


@pytest.mark.parametrize(
    ("content", "fmt", "error", "words"),
    [
        (b"", "auto", BadInput, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "auto", BadInput, "binary"),
        (b"name,age\nbob,3\n", "auto", BadInput, "unrecognised CSV header"),
        (b"claim,verdict,url,date\nx,False,,\n", "euvsdisinfo", BadInput, "unrecognised"),
        (b'{"claimReviewed": "x"}', "csv", BadInput, "JSON, not CSV"),
        (b"claim,verdict,url,date\n", "auto", BadInput, "no claims"),
    ],
)
def test_unusable_files_raise_one_sentence(
    conn: sqlite3.Connection, tmp_path: Path, content: bytes, fmt: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        import_file(conn, write(tmp_path, "in.dat", content), fmt)
    assert count(conn) == 0


def test_oversized_files_are_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "claim,verdict,url,date\n" + "x,False,,\n" * 100)
    with pytest.raises(Refused, match="limit"):
        import_file(conn, path, max_bytes=100)


def test_legacy_encodings_are_decoded(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = "claim,verdict,url,date\nВакцины содержат микрочипы и отслеживают людей,Ложь,,2021-01-01\n"
    report = import_file(conn, write(tmp_path, "cp1251.csv", text.encode("cp1251")))
    assert report.counts.imported == 1
    assert search_bm25(conn, "микрочипы", 1)[0][0].verdict == "Ложь"


def test_normalizers() -> None:
    assert normalize_text("“NATO’s” EXPANSION!") == normalize_text('"nato\'s" expansion')
    assert canonical_url("http://www.Example.org/a/#x") == canonical_url("https://example.org/a")
    assert language_name("pt-BR") == "Portuguese" and language_name("Moldova") == "Romanian"
    assert language_name("Klingon") == "Klingon"
    assert parse_iso_date("2020-03-05T10:00:00.000+01:00") == "2020-03-05"
    with pytest.raises(ValueError):
        parse_iso_date("05/03/2020")


def test_json_lines_with_a_broken_first_line() -> None:
    text = "{broken\n" + json.dumps(review()) + "\n" + json.dumps(review(claimReviewed="Third")) + "\n"
    _, found = rows(text)
    assert [line for line, _ in found] == [1, 2, 3] and isinstance(found[1][1], KnownClaim)


def test_an_unclosed_quote_says_how_far_it_ran() -> None:
    text = 'claim,verdict,url,date\n"Open quote,False,,\nNext,False,,\nMore,False,,\nLast,False,,\n'
    _, found = rows(text)
    assert found == [(2, "expected 4 fields, found 1; the record runs to line 5: is a quote left open?")]
