"""Silver Russian entity labels: natasha's kinds mapped to the tagger's, NORP from nationality words, and
a file that train/probes.py reads as {doc id: [(start, end, KIND)]} (natasha itself is stubbed here)."""

from __future__ import annotations

from pathlib import Path

from unspin.heads.entities import KINDS
from unspin.train.probes import token_tags
from unspin.train.silver_ru import bio, load_silver, map_kind, norp_spans, write_silver

TEXT = "Российские войска вошли в Харьков. Владимир Путин говорил о Чёрном море и Европе."


class Stub:
    """What Natasha() returns for TEXT: PER/ORG/LOC spans already mapped."""

    def __call__(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        for word, kind in (
            ("Харьков", "LOC"),
            ("Владимир Путин", "PER"),
            ("Чёрном море", "LOC"),
            ("Европе", "LOC"),
        ):
            if word not in text:
                continue
            s = text.index(word)
            spans.append((s, s + len(word), map_kind(kind, word)))
        return sorted(spans + norp_spans(text, spans))


def test_kinds_map_to_the_taggers_set() -> None:
    assert map_kind("PER", "Путин") == "PERSON" and map_kind("ORG", "ФСБ") == "ORG"
    assert map_kind("LOC", "Харьков") == "GPE"  # a city
    assert map_kind("LOC", "Чёрном море") == "LOC" and map_kind("LOC", "Европе") == "LOC"


def test_nationality_words_are_norp_unless_natasha_has_the_span() -> None:
    got = [(TEXT[s:e], k) for s, e, k in norp_spans(TEXT, [])]
    assert got == [("Российские", "NORP")]
    assert norp_spans(TEXT, [(0, 10, "ORG")]) == []


def test_written_labels_load_as_probe_input_and_skip_changed_texts(tmp_path: Path) -> None:
    out = tmp_path / "silver.jsonl.gz"
    stats = write_silver({"a": TEXT, "b": "Киев."}, out, Stub())  # type: ignore[arg-type]
    assert stats["documents"] == 2 and stats["per_kind"]["NORP"] == 1
    silver = load_silver(out, {"a": TEXT, "b": "Киев изменился."})
    assert list(silver) == ["a"]
    spans = silver["a"]
    assert all(k in KINDS and TEXT[s:e] == TEXT[s:e].strip() for s, e, k in spans)
    assert (TEXT.index("Владимир"), TEXT.index("Путин") + 5, "PERSON") in spans
    # Token tags for any tokenizer's offsets: here one token per word.
    import re

    import numpy as np

    offsets = np.array([m.span() for m in re.finditer(r"\w+", TEXT)])
    tags = token_tags(offsets, spans)
    assert tags[0] != 0 and tags[1] == 0  # "Российские" B-NORP, "войска" O


def test_word_bio_view() -> None:
    spans = Stub()(TEXT)
    words = [(TEXT[s:e], t) for s, e, t in bio(TEXT, spans) if t != "O"]
    assert ("Владимир", "B-PERSON") in words and ("Путин", "I-PERSON") in words
