"""Fuzz target: `unspin batch` record reading, JSONL (from a stream) and CSV/TSV (from a file).

Beyond "no crash": every item is a Task or a Reject with an origin; a Task from a record carries its
text as a string and an id; line numbers in origins never go backwards.
"""

from __future__ import annotations

import io
import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from unspin.batch.records import Fields, InputSpec, Reject, Task, read_csv, read_jsonl
    from unspin.errors import UnspinError

NAME = "records"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
SPEC = InputSpec(inputs=[], fields=Fields(), max_bytes=512)

SEEDS = [
    b'{"id": "a", "text": "The senate voted.", "title": "T", "source": "rt", "date": "2024-01-02"}\n'
    b'{"text": 5}\n[1, 2]\nnot json\n\n{"text": "x' + b"\xff" + b'"}\n',
    b'id,text,title\n1,"Quoted, with comma\nand newline",T\n2,plain,\n',
    b"id\ttext\n1\ttab separated\n",
    b'\xef\xbb\xbftext\n"unclosed quote\n',
    b'{"id": {"nested": [1]}, "text": "' + b"a" * 600 + b'"}\n',
]


def _check_items(items: list[Task | Reject], kind: str) -> None:
    last = 0
    for item in items:
        assert isinstance(item, Task | Reject) and item.origin
        if isinstance(item, Task):
            assert isinstance(item.text, str) and item.id, item
        origin_line = item.origin.rsplit(":", 1)[-1]
        if origin_line.isdigit():
            assert int(origin_line) >= last, f"{kind}: origins out of order"
            last = int(origin_line)


def check(data: bytes) -> None:
    _check_items(list(read_jsonl(io.BytesIO(data), "fuzz.jsonl", SPEC)), "jsonl")
    suffix = ".tsv" if data[:1] == b"\t" else ".csv"
    path = fuzz_runner.scratch() / f"fuzz{suffix}"
    path.write_bytes(data)
    _check_items(list(read_csv(path, SPEC)), "csv")


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=4096)
    sys.exit(0)
