"""Official submission formats, usable on any folder of articles.

``semeval2023-st3``: for every ``article*.txt`` (line 1 the title, one paragraph per line), one line per
non-empty line of the file: ``article_id<TAB>line_number<TAB>tech,tech,...`` (1-based line numbers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unspin.errors import BadInput


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


def run_export(args: argparse.Namespace) -> int:
    from unspin.analyzer import Analyzer

    folder: Path = args.articles_dir
    files = sorted(folder.glob("article*.txt"))
    if not files:
        raise BadInput(f"No article*.txt files in {folder}.")
    analyzer = Analyzer()
    out: list[str] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        out += semeval2023_st3_lines(path.stem.removeprefix("article"), text, analyzer)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} paragraph lines for {len(files)} articles to {args.output}", file=sys.stderr)
    return 0
