"""Official submission formats, usable on any folder of articles.

- ``semeval2023-st3``: for every ``article*.txt`` (line 1 the title, one paragraph per line), one line per
  non-empty line of the file: ``article_id<TAB>line_number<TAB>tech,tech,...`` (1-based line numbers).
- ``semeval2023-st1`` / ``semeval2023-st2``: ``article_id<TAB>genre`` / ``article_id<TAB>frame,frame``.
- ``semeval2025-st2``: for every ``*.txt``, ``doc<TAB>narr;narr<TAB>subnarr;subnarr`` (``Other`` when none).
- ``semeval2025-st1``: for every mention line ``doc<TAB>entity<TAB>start<TAB>end`` of ``--mentions``
  (``end`` inclusive, as in the release), the same line followed by ``<TAB>main_role<TAB>fine_role...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from unspin.errors import BadInput

FORMATS = ("semeval2023-st3", "semeval2023-st1", "semeval2023-st2", "semeval2025-st2", "semeval2025-st1")


def semeval2023_st3_lines(article_id: str, text: str, analyzer: object) -> list[str]:
    """Analyze a whole article file; label each non-empty line by the techniques of its spans."""
    from unspin.analyzer import Analyzer

    assert isinstance(analyzer, Analyzer)
    result = analyzer.analyze(text) if text.strip() else None
    lines_out = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        techs: list[str] = []
        if result is not None:
            for p in result.paragraphs:
                if p.start < end and p.end > start:
                    techs += [t for t in p.techniques if t not in techs]
        lines_out.append(f"{article_id}\t{number}\t{','.join(techs)}")
    return lines_out


def read_verbatim(path: Path) -> str:
    """A release file as its offsets count it: UTF-8, line ends untouched."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as e:
        raise BadInput(f"{path} is not UTF-8 text: {e.reason} at byte {e.start}.") from None


def _files(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder.")
    files = sorted(folder.glob(pattern))
    if not files:
        raise BadInput(f"No {pattern} files in {folder}.")
    return files


def read_mentions(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a mentions file; a line without doc, entity, start and end is refused."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 4 or not parts[2].strip().isdigit() or not parts[3].strip().isdigit():
            raise BadInput(f"{path}:{number}: expected doc<TAB>entity<TAB>start<TAB>end, got {line[:80]!r}.")
        yield number, parts[:4]


def run_export(args: argparse.Namespace) -> int:
    from unspin.analyzer import Analyzer

    analyzer = Analyzer()
    folder: Path = args.articles_dir
    fmt: str = args.format
    out: list[str] = []
    if fmt == "semeval2023-st3":
        files = _files(folder, "article*.txt")
        for path in files:
            out += semeval2023_st3_lines(path.stem.removeprefix("article"), read_verbatim(path), analyzer)
    elif fmt in ("semeval2023-st1", "semeval2023-st2"):
        files = _files(folder, "article*.txt")
        out = [f"{p.stem.removeprefix('article')}\t{label}" for p, label in _each(files, analyzer, fmt)]
    elif fmt == "semeval2025-st2":
        files = _files(folder, "*.txt")
        out = [f"{p.name}\t{label}" for p, label in _each(files, analyzer, fmt)]
    else:
        if args.mentions is None:
            raise BadInput("semeval2025-st1 needs --mentions FILE (doc<TAB>entity<TAB>start<TAB>end lines).")
        out, files = semeval2025_st1(folder, args.mentions, analyzer)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(out) + ("\n" if out else ""), encoding="utf-8")
    print(f"wrote {len(out)} lines for {len(files)} documents to {args.output}", file=sys.stderr)
    return 0


def _each(files: list[Path], analyzer: object, fmt: str) -> Iterator[tuple[Path, str]]:
    from unspin.export.official import Pass

    labeller: dict[str, Callable[[Pass], str]] = {
        "semeval2023-st1": lambda p: p.genre(),
        "semeval2023-st2": lambda p: ",".join(p.frames()),
        "semeval2025-st2": lambda p: "\t".join(";".join(x) for x in p.narratives()),
    }
    for path in files:
        text = read_verbatim(path)
        if not text.strip():
            raise BadInput(f"{path} is empty.")
        yield path, labeller[fmt](Pass.run(analyzer, text))  # type: ignore[arg-type]


def semeval2025_st1(folder: Path, mentions: Path, analyzer: object) -> tuple[list[str], list[Path]]:
    from unspin.export.official import Pass

    by_doc: dict[str, list[tuple[int, list[str]]]] = {}
    for number, fields in read_mentions(mentions):
        by_doc.setdefault(fields[0], []).append((number, fields))
    lines: dict[int, str] = {}
    files = []
    for doc_id, rows in by_doc.items():
        path = folder / doc_id
        if not path.is_file():
            raise BadInput(f"{mentions}:{rows[0][0]}: no document {doc_id} in {folder}.")
        files.append(path)
        text = read_verbatim(path)
        spans = []
        for number, (_, _entity, start, end) in rows:
            s, e = int(start), int(end) + 1
            if e > len(text) or s >= e:
                raise BadInput(f"{mentions}:{number}: offsets {start}-{end} are outside {doc_id}.")
            spans.append((s, e))
        calls = Pass.run(analyzer, text).roles(spans)  # type: ignore[arg-type]
        for (number, fields), (main, fines) in zip(rows, calls, strict=True):
            lines[number] = "\t".join([*fields, main, *fines])
    return [lines[k] for k in sorted(lines)], files
