"""SemEval-2023 Task 3 (six languages): articles, technique spans, paragraph labels, the held-out split.

Offsets in the release are code-point offsets into the article file read verbatim (no newline translation:
most non-English files have CRLF line ends, and the offsets count the CR), which is exactly how ``unspin``
stores a document's text, so spans can be used as they are.

Languages are ISO 639-1 codes everywhere in unspin; the release names two folders otherwise (``ge`` for
German, ``po`` for Polish): ``FOLDERS`` maps one to the other. English stays the default of every reader.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Re-exported (explicitly, for mypy --strict) for the readers of subtasks 1 and 2 below and their users.
from unspin.taxonomy.frames import FRAMES as FRAMES
from unspin.taxonomy.frames import GENRES as GENRES

SPLIT_SEED = 20230301
HELDOUT_FRACTION = 0.15
# ISO 639-1 code -> the release's folder name
FOLDERS = {"en": "en", "ru": "ru", "fr": "fr", "de": "ge", "it": "it", "pl": "po"}
LANGUAGES = tuple(FOLDERS)


def default_data_dir() -> Path:
    """The shared data folder: ``$UNSPIN_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("UNSPIN_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


@dataclass(frozen=True)
class GoldSpan:
    technique: str
    start: int
    end: int  # exclusive


@dataclass
class Article:
    id: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)
    # 1-based line number -> techniques (only lines that the release labels)
    paragraph_labels: dict[int, set[str]] = field(default_factory=dict)
    lang: str = "en"  # ISO 639-1

    @property
    def key(self) -> str:
        """``lang/id``: unique across languages (ids alone are unique per language only)."""
        return f"{self.lang}/{self.id}"

    def lines(self) -> list[tuple[int, int, int]]:
        """(line_number, start, end) of every line of the file, 1-based, end exclusive without the newline."""
        out = []
        pos = 0
        for i, line in enumerate(self.text.split("\n"), start=1):
            out.append((i, pos, pos + len(line)))
            pos += len(line) + 1
        return out


def read_text(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def language_dir(lang: str = "en") -> Path:
    """The release folder of a language (ISO code, or the release's own folder name)."""
    return default_data_dir() / "semeval2023-task3" / FOLDERS.get(lang, lang)


def folder_language(folder: Path) -> str:
    """ISO code of a release folder (``.../ge`` -> ``de``); an unknown folder name is kept as it is."""
    return {v: k for k, v in FOLDERS.items()}.get(folder.name, folder.name)


def load_articles(lang_dir: Path | None = None, lang: str | None = None) -> list[Article]:
    """All articles of one language of the release, sorted by id: ``lang`` (ISO code) or a folder."""
    root = lang_dir or language_dir(lang or "en")
    code = lang or folder_language(root)
    arts: dict[str, Article] = {}
    for path in sorted((root / "train-articles-subtask-3").glob("article*.txt")):
        aid = path.stem.removeprefix("article")
        arts[aid] = Article(aid, read_text(path), lang=code)
    span_dir = root / "train-labels-subtask-3-spans"
    for aid, art in arts.items():
        label_file = span_dir / f"article{aid}-labels-subtask-3.txt"
        if not label_file.exists():
            continue
        for line in label_file.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 4:
                continue
            art.spans.append(GoldSpan(parts[1], int(parts[2]), int(parts[3])))
    par_file = root / "train-labels-subtask-3.txt"
    if par_file.exists():
        for line in par_file.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or parts[0] not in arts:
                continue
            techs = {t for t in (parts[2].split(",") if len(parts) > 2 else []) if t}
            arts[parts[0]].paragraph_labels[int(parts[1])] = techs
    return [arts[k] for k in sorted(arts)]


def load_all(langs: tuple[str, ...] = LANGUAGES) -> list[Article]:
    """Every article of the given languages (all six by default), language by language."""
    return [art for lang in langs for art in load_articles(lang=lang)]


def split_ids(
    ids: list[str], seed: int = SPLIT_SEED, fraction: float = HELDOUT_FRACTION
) -> tuple[list[str], list[str]]:
    """Article-level split: (train, heldout). Deterministic for a given seed and id set."""
    ordered = sorted(ids)
    rng = random.Random(seed)
    rng.shuffle(ordered)
    n_held = max(1, round(len(ordered) * fraction))
    held = sorted(ordered[:n_held])
    train = sorted(ordered[n_held:])
    return train, held


def split(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    train_ids, held_ids = split_ids([a.id for a in articles])
    by_id = {a.id: a for a in articles}
    return [by_id[i] for i in train_ids], [by_id[i] for i in held_ids]


CLAUSE_MIN_CHARS = 40


def clause_techniques(articles: list[Article]) -> list[str]:
    """Techniques whose gold spans are clauses rather than phrases (median length >= 40 characters)."""
    lengths: dict[str, list[int]] = {}
    for art in articles:
        for s in art.spans:
            lengths.setdefault(s.technique, []).append(s.end - s.start)
    return sorted(t for t, v in lengths.items() if sorted(v)[len(v) // 2] >= CLAUSE_MIN_CHARS)


def iter_paragraphs(article: Article) -> Iterator[tuple[int, int, int]]:
    """The paragraphs the official format scores: non-empty lines (line_number, start, end)."""
    for num, start, end in article.lines():
        if article.text[start:end].strip():
            yield num, start, end


def _label_file(name: str, lang_dir: Path | None) -> dict[str, list[str]]:
    path = (lang_dir or default_data_dir() / "semeval2023-task3" / "en") / name
    out: dict[str, list[str]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                out[parts[0]] = [x for x in parts[1].split(",") if x]
    return out


def load_genres(lang_dir: Path | None = None) -> dict[str, str]:
    """Article id -> genre (subtask 1)."""
    return {k: v[0] for k, v in _label_file("train-labels-subtask-1.txt", lang_dir).items() if v}


def load_frames(lang_dir: Path | None = None) -> dict[str, list[str]]:
    """Article id -> frames (subtask 2)."""
    return _label_file("train-labels-subtask-2.txt", lang_dir)


def load_frame_articles(lang_dir: Path | None = None) -> dict[str, str]:
    """Article id -> the text subtask 1 and 2 labels refer to."""
    root = (lang_dir or default_data_dir() / "semeval2023-task3" / "en") / "train-articles-subtask-1"
    return {p.stem.removeprefix("article"): read_text(p) for p in sorted(root.glob("article*.txt"))}
