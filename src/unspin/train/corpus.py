"""Every text of ../shared/data, by language: what the vocabulary is pruned to and checked on.

Documents are (language, source, id, text). Languages use ISO 639-1 codes whatever the release calls them
(SemEval-2023 ``ge`` and ``po`` are ``de`` and ``pl``). ``held_out`` picks a fixed ~10% of documents by a
hash of their id, the same on every machine and run.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from unspin.data.semeval2023 import default_data_dir, read_text

SEMEVAL2023 = {"en": "en", "ru": "ru", "fr": "fr", "ge": "de", "it": "it", "po": "pl"}
SEMEVAL2025 = {"EN": "en", "RU": "ru", "BG": "bg", "PT": "pt", "HI": "hi"}


@dataclass(frozen=True)
class Text:
    lang: str
    source: str
    id: str
    text: str


def held_out(doc: Text, percent: int = 10) -> bool:
    digest = hashlib.sha256(f"{doc.source}/{doc.id}".encode()).digest()
    return int.from_bytes(digest[:4], "little") % 100 < percent


def iter_texts(root: Path | None = None) -> Iterator[Text]:
    root = root or default_data_dir()
    for folder, lang in SEMEVAL2023.items():
        base = root / "semeval2023-task3" / folder
        seen: set[str] = set()
        for sub in ("train-articles-subtask-3", "train-articles-subtask-1"):
            for path in sorted((base / sub).glob("*.txt")):
                text = read_text(path)
                if text in seen:  # subtask 1 repeats most subtask 3 articles
                    continue
                seen.add(text)
                yield Text(lang, f"semeval2023/{sub}", f"{folder}/{path.stem}", text)
    for folder, lang in SEMEVAL2025.items():
        for path in sorted((root / "semeval2025-task10" / folder / "raw-documents").glob("*.txt")):
            yield Text(lang, "semeval2025", f"{folder}/{path.stem}", read_text(path))
    yield from _euvsdisinfo(root / "euvsdisinfo")
    for path in sorted((root / "checkthat2024-checkworthiness-en").glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) >= 2 and row[0] != "Sentence_id":
                    yield Text("en", "checkthat", f"{path.stem}/{row[0]}", row[1])


def _euvsdisinfo(base: Path) -> Iterator[Text]:
    # The case texts are the database's English summaries; titles likewise (mostly English).
    fields = {"cases-2015-2018-with-disproof.csv": ("title", "summary", "disproof")}
    fields["cases-2015-2021-titles.csv"] = ("title",)
    for name, cols in fields.items():
        path = base / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                text = "\n".join(row.get(c) or "" for c in cols if row.get(c))
                if text:
                    yield Text("en", f"euvsdisinfo/{name}", str(i), text)
