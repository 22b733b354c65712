"""CheckThat! 2024 Task 1 (English): check-worthiness of sentences from political debates.

Files ``train.tsv``, ``dev.tsv`` and ``dev-test.tsv`` in ``checkthat2024-checkworthiness-en``, each
``Sentence_id<TAB>Text<TAB>class_label`` with a header line and ``Yes``/``No`` labels. ``train`` trains the
claim head, ``dev`` tunes its threshold and picks the epoch, ``dev-test`` is reported and never tuned on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from unspin.data.semeval2023 import default_data_dir

SPLITS = ("train", "dev", "dev-test")


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    checkworthy: bool


def data_dir() -> Path:
    return default_data_dir() / "checkthat2024-checkworthiness-en"


def load(split: str, folder: Path | None = None) -> list[Sentence]:
    """One split's sentences in file order; rows without a Yes/No label are skipped."""
    if split not in SPLITS:
        raise ValueError(f"unknown CheckThat! split {split!r}: use one of {', '.join(SPLITS)}")
    path = (folder or data_dir()) / f"{split}.tsv"
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        # The texts contain quotes that are not CSV quoting: read fields verbatim.
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = (row.get("class_label") or "").strip()
            text = (row.get("Text") or "").strip()
            if label in ("Yes", "No") and text:
                out.append(Sentence(str(row.get("Sentence_id", "")).strip(), text, label == "Yes"))
    return out


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of one debate joined into a text, as an article would hold them."""

    text: str
    spans: list[tuple[int, int]]  # each sentence's offsets in ``text``
    rows: list[int]  # each sentence's index in the split


def passages(rows: list[Sentence], max_gap: int = 3, max_sentences: int = 12) -> list[Passage]:
    """Sentence ids run through each debate in order, so sentences with nearby ids are neighbours. The
    runtime reads a sentence's states from the whole article's pass; training on sentences encoded with
    their neighbours gives the head the same kind of states (encoded alone, they score higher in context
    and nearly every news sentence would pass)."""
    order = sorted(range(len(rows)), key=lambda i: int(rows[i].id) if rows[i].id.isdigit() else 0)
    out: list[Passage] = []
    group: list[int] = []

    def flush() -> None:
        text, spans = "", []
        for i in group:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(rows[i].text)))
            text += rows[i].text
        out.append(Passage(text, spans, list(group)))
        group.clear()

    last = None
    for i in order:
        sid = int(rows[i].id) if rows[i].id.isdigit() else None
        if group and (sid is None or last is None or sid - last > max_gap or len(group) >= max_sentences):
            flush()
        group.append(i)
        last = sid
    if group:
        flush()
    return out
