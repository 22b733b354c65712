"""Fuzz target: EUvsDisinfo CSV exports (both layouts) and the simple claims CSV, as imported."""

from __future__ import annotations

import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from claims_common import import_twice

    from unspin.errors import UnspinError

NAME = "euvsdisinfo"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
FORMATS = ("auto", "euvsdisinfo", "csv")

SEEDS = [
    b'\x00"issue","date","outlet","language","origin","reported by","keywords","source","title","summary","disproof"\n'
    b'82,10/03/17,"TV Zvezda","Russian","Ukraine","X","TV Zvezda, Military","https://tvzvezda.ru/a",'
    b'"Explosions in Vinnitsa were organized by Ukrainian soldiers","Summary one.","Disproof\nover two lines."\n'
    b'82,13/45/17,"Blog","English","US","Z","","https://blog.example/c","Bad date row","S","D"\n',
    b"\x01date,id,title,countries,keywords,languages,outlets\n"
    b"2021-02-18,https://euvsdisinfo.eu/report/german-special-services-helped-navalny/,"
    b"German special services helped Navalny,Russia+Germany,Alexei Navalny+Vladimir Putin,"
    b'Spanish+Castilian,"TASS - Russian\r\nRIA+Show more"\n'
    b"2021-02-17,not-a-url,Some title,Russia,,Russian,TASS\n",
    b"\x02claim,verdict,url,date,language\nThe moon is cheese,False,https://fc.example/1,2020-01-02,en\n"
    b"No url here,Mostly false,,2020-13-01,\n",
    b"\x02claim;verdict;url;date\nSemicolons;False;https://fc.example/2;2021-05-06\n",
    b'\x00claim,verdict,url,date\n"unclosed,False,,2020-01-01\n',
]


def check(data: bytes) -> None:
    if not data:
        return
    import_twice(data[1:], FORMATS[data[0] % len(FORMATS)], ".csv")


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=8192)
    sys.exit(0)
