"""SemEval-2025 Task 10 (English): documents, narrative labels (subtask 2), entity roles (subtask 1).

Mentions in the release use inclusive end offsets into the document read verbatim; here every offset is
converted once, on load, to the half-open ``[start, end)`` used everywhere else in unspin.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from unspin.data.semeval2023 import default_data_dir, read_text
from unspin.taxonomy.narratives import OTHER as OTHER

SPLIT_SEED = 20250301
HELDOUT_FRACTION = 0.2


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int  # exclusive
    main_role: str
    fine_roles: tuple[str, ...]


@dataclass
class Doc:
    id: str  # the file name, e.g. EN_UA_014637.txt, as the official formats spell it
    text: str
    narratives: list[str] = field(default_factory=list)
    subnarratives: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return "CC" if "_CC_" in self.id else "URW"


def lang_dir(lang: str = "EN") -> Path:
    return default_data_dir() / "semeval2025-task10" / lang


def _split_labels(field_text: str) -> list[str]:
    """Labels of one field, deduplicated in order (the release repeats a narrative once per subnarrative)."""
    return list(dict.fromkeys(x.strip() for x in field_text.split(";") if x.strip()))


def _locate(text: str, entity: str, start: int, end: int) -> tuple[int, int]:
    """The release's offsets, or the nearest exact occurrence when they are off by a few characters
    (a handful of files count line ends differently)."""
    if text[start:end] == entity:
        return start, end
    for delta in range(1, 8):
        for s in (start - delta, start + delta):
            if s >= 0 and text[s : s + len(entity)] == entity:
                return s, s + len(entity)
    return start, end


def load_docs(root: Path | None = None) -> list[Doc]:
    """All documents of one language folder, with whatever labels the release has, sorted by id."""
    root = root or lang_dir()
    docs = {p.name: Doc(p.name, read_text(p)) for p in sorted((root / "raw-documents").glob("*.txt"))}
    narr = root / "subtask-2-annotations.txt"
    if narr.exists():
        for line in narr.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[0] in docs:
                docs[parts[0]].narratives = _split_labels(parts[1])
                docs[parts[0]].subnarratives = _split_labels(parts[2])
    roles = root / "subtask-1-annotations.txt"
    if roles.exists():
        for line in roles.read_text(encoding="utf-8").splitlines():
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6 or parts[0] not in docs:
                continue
            doc = docs[parts[0]]
            start, end = _locate(doc.text, parts[1], int(parts[2]), int(parts[3]) + 1)
            doc.mentions.append(Mention(parts[1], start, end, parts[4], tuple(r for r in parts[5:] if r)))
    return [docs[k] for k in sorted(docs)]


def domain_of(doc_id: str) -> str:
    """The domain an id spells ("EN_UA_…", "RU-URW-…", "A6_CC_BG_…"); "" when it spells none (PT, HI)."""
    if "_UA_" in doc_id or "-URW-" in doc_id:
        return "UA"
    if "_CC_" in doc_id or "-CC-" in doc_id:
        return "CC"
    return ""


def split_ids(
    ids: list[str], seed: int = SPLIT_SEED, fraction: float = HELDOUT_FRACTION
) -> tuple[list[str], list[str]]:
    """Document-level split (train, heldout), stratified by domain where the ids spell it, so both hold UA
    and CC articles; ids that spell no domain are split as one group."""
    train: list[str] = []
    held: list[str] = []
    for domain in ("CC", "UA", ""):
        group = sorted(i for i in ids if domain_of(i) == domain)
        random.Random(seed).shuffle(group)
        n = round(len(group) * fraction)
        held += group[:n]
        train += group[n:]
    return sorted(train), sorted(held)


def split(docs: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    train_ids, held_ids = split_ids([d.id for d in docs])
    by_id = {d.id: d for d in docs}
    return [by_id[i] for i in train_ids], [by_id[i] for i in held_ids]
