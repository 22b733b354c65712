"""Silver entity labels for Russian: natasha's news NER (Slovnet tagger on Navec embeddings, MIT) on the
Russian texts of SemEval-2023 Task 3 and SemEval-2025 Task 10, mapped to the tagger's tag set.

What ``train/probes.py`` distils from spaCy for English, this gives for Russian, in the same shape:
``{doc_id: [(start, end, KIND), ...]}`` with character offsets into the text as read by
``data.semeval2023.read_text`` and KIND in ``heads.entities.KINDS``; ``probes.token_tags`` turns it into
BIO tags for whatever tokenizer the encoder has. Mapping (natasha has PER, ORG, LOC only):

- PER -> PERSON, ORG -> ORG;
- LOC -> LOC when it names a geographic feature or a macro-region (seas, rivers, islands, continents,
  "Дальний Восток", "Европа", spaCy's LOC), else GPE (countries, cities, regions: spaCy's GPE);
- NORP, which natasha lacks, from nationality words by stem ("российские", "украинцев", "западные"), the
  way spaCy tags "Russian" in "Russian troops"; only where natasha found nothing.

Training only (``[train]`` extra): ``python -m unspin.train.silver_ru --out out/silver_ru.jsonl.gz``
writes the labels and prints natasha's speed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

from unspin.data import semeval2025 as s25
from unspin.data.semeval2023 import default_data_dir, read_text
from unspin.heads.entity_tables import ru_stem, words

Span = tuple[int, int, str]

# Stems of words that make a LOC a geographic feature or a macro-region rather than a GPE.
LOC_STEMS = words(
    "мор рек остров острова полуостров залив гор хребт хребет океан пролив озер озеро пустын "
    "равнин европ ази африк америк евраз балти восток кавказ арктик антарктид сибир урал "
    "скандинав балкан"
)
# Nationality, regional and group words (stems): NORP, as spaCy labels them in English.
NORP_STEMS = words(
    "российск русск россиян украинск украинц украинец американск американц американец европейск "
    "европейц немецк немц немец французск француз британск британц англичан английск польск поляк "
    "венгерск венгр китайск китайц китаец японск японц японец турецк турк белорусск белорус "
    "грузинск грузин израильск израильтян иранск иранц иранец сирийск сирийц чеченск чеченц "
    "казахск казах армянск армян азербайджанск азербайджанц молдавск молдаван литовск литовц "
    "латвийск латыш эстонск эстонц финск финн шведск швед норвежск норвежц итальянск итальянц "
    "испанск испанц западн советск еврейск евре мусульман христиан православн католич нацист "
    "неонацист"
)
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")


def map_kind(natasha_type: str, text: str) -> str:
    if natasha_type == "PER":
        return "PERSON"
    if natasha_type == "ORG":
        return "ORG"
    stems = {ru_stem(w) for w in _WORD.findall(text)}
    return "LOC" if stems & LOC_STEMS else "GPE"


def norp_spans(text: str, taken: list[Span]) -> list[Span]:
    out: list[Span] = []
    for m in _WORD.finditer(text):
        if ru_stem(m.group(0)) in NORP_STEMS and not any(s < m.end() and m.start() < e for s, e, _ in taken):
            out.append((m.start(), m.end(), "NORP"))
    return out


class Natasha:
    """natasha's segmenter and news NER, loaded once (about 2 s; Navec news embeddings and the Slovnet
    NER weights ship inside the packages: nothing is downloaded)."""

    def __init__(self) -> None:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        self.segmenter = Segmenter()
        self.tagger = NewsNERTagger(NewsEmbedding())

    def __call__(self, text: str) -> list[Span]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.tagger)
        spans = [(s.start, s.stop, map_kind(s.type, text[s.start : s.stop])) for s in doc.spans]
        return sorted(spans + norp_spans(text, spans))


def russian_texts(root: Path | None = None) -> dict[str, str]:
    """doc id -> text: SemEval-2023 ru articles (``semeval2023/ru/<file>``) and SemEval-2025 RU documents
    (``semeval2025/RU/<file>``), read as the rest of unspin reads them."""
    base = root or default_data_dir()
    out: dict[str, str] = {}
    for p in sorted((base / "semeval2023-task3" / "ru" / "train-articles-subtask-3").glob("*.txt")):
        out[f"semeval2023/ru/{p.name}"] = read_text(p)
    folder = (base / "semeval2025-task10" / "RU") if root else s25.lang_dir("RU")
    for p in sorted((folder / "raw-documents").glob("*.txt")):
        out[f"semeval2025/RU/{p.name}"] = read_text(p)
    return out


def bio(text: str, spans: list[Span]) -> list[tuple[int, int, str]]:
    """Word-level BIO view (for reading the labels; training derives token tags from the spans)."""
    out = []
    for m in re.finditer(r"\w+|[^\w\s]", text):
        tag = "O"
        for s, e, kind in spans:
            if s <= m.start() and m.end() <= e:
                tag = ("B-" if m.start() == s else "I-") + kind
                break
        out.append((m.start(), m.end(), tag))
    return out


def write_silver(
    texts: dict[str, str], out: Path, ner: Natasha | None = None, with_bio: bool = True
) -> dict[str, Any]:
    """Label ``texts`` and write JSON lines (gzip): id, sha1 of the text, spans and (``with_bio``) the
    word-level BIO view. Returns counts and natasha's time."""
    ner = ner or Natasha()
    out.parent.mkdir(parents=True, exist_ok=True)
    elapsed = 0.0
    chars = kinds = 0
    counts: dict[str, int] = {}
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for doc_id, text in texts.items():
            t0 = time.perf_counter()
            spans = ner(text)
            elapsed += time.perf_counter() - t0
            chars += len(text)
            kinds += len(spans)
            for *_, k in spans:
                counts[k] = counts.get(k, 0) + 1
            row: dict[str, Any] = {
                "id": doc_id,
                "sha1": hashlib.sha1(text.encode()).hexdigest(),
                "entities": spans,
            }
            if with_bio:
                row["bio"] = bio(text, spans)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {
        "documents": len(texts),
        "characters": chars,
        "entities": kinds,
        "per_kind": counts,
        "seconds": round(elapsed, 2),
        "ms_per_document": round(1000 * elapsed / max(1, len(texts)), 1),
        "ms_per_1000_chars": round(1000 * elapsed / max(1, chars) * 1000, 2),
    }


def load_silver(path: Path, texts: dict[str, str] | None = None) -> dict[str, list[Span]]:
    """The labels as ``train/probes.py`` takes them ({doc id: [(start, end, KIND)]}); with ``texts``, a
    document whose text changed since labelling is left out rather than mislabelled."""
    out: dict[str, list[Span]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if texts is not None:
                text = texts.get(row["id"])
                if text is None or hashlib.sha1(text.encode()).hexdigest() != row["sha1"]:
                    continue
            out[row["id"]] = [(int(s), int(e), str(k)) for s, e, k in row["entities"]]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("out/silver_ru.jsonl.gz"))
    ap.add_argument("--data", type=Path, help="the shared data folder (default ../shared/data)")
    ap.add_argument("--no-bio", action="store_true", help="spans only (the committed file)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    ner = Natasha()
    load = time.perf_counter() - t0
    stats = write_silver(russian_texts(args.data), args.out, ner, with_bio=not args.no_bio)
    stats["load_seconds"] = round(load, 2)
    print(json.dumps(stats, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
