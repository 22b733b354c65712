"""The SemEval-2025 Task 10 loader: offsets, labels and the document split. The tests that read the
release skip when it is not in the shared data folder."""

from __future__ import annotations

import pytest

from unspin.data.semeval2023 import default_data_dir
from unspin.data.semeval2025 import Doc, _locate, _split_labels, load_docs, split, split_ids

EN = default_data_dir() / "semeval2025-task10" / "EN"
needs_release = pytest.mark.skipif(not EN.is_dir(), reason=f"SemEval-2025 Task 10 release not at {EN}")


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    return load_docs(EN)


@needs_release
def test_every_mention_slices_its_entity(docs: list[Doc]) -> None:
    mentions = [(d, m) for d in docs for m in d.mentions]
    assert mentions
    bad = [(d.id, m) for d, m in mentions if d.text[m.start : m.end] != m.entity]
    assert bad == []
    assert all(m.main_role in {"Protagonist", "Antagonist", "Innocent"} and m.fine_roles for _, m in mentions)


@needs_release
def test_labels_are_deduplicated(docs: list[Doc]) -> None:
    labelled = [d for d in docs if d.narratives]
    assert labelled
    for d in labelled:
        assert len(d.narratives) == len(set(d.narratives)), d.id
        assert len(d.subnarratives) == len(set(d.subnarratives)), d.id
        assert all(lab == lab.strip() and lab for lab in d.narratives + d.subnarratives)


@needs_release
def test_docs_sorted_with_domains(docs: list[Doc]) -> None:
    ids = [d.id for d in docs]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {d.domain for d in docs} == {"URW", "CC"}


@needs_release
def test_split_of_the_release(docs: list[Doc]) -> None:
    train, held = split(docs)
    assert {d.id for d in train}.isdisjoint(d.id for d in held)
    assert len(train) + len(held) == len(docs)
    assert {d.domain for d in held} == {"URW", "CC"}
    assert 0.15 < len(held) / len(docs) < 0.25


def test_split_labels_deduplicates_in_order() -> None:
    assert _split_labels("B; A;B ; ;C") == ["B", "A", "C"]
    assert _split_labels("Other") == ["Other"]
    assert _split_labels("") == []


IDS = [f"EN_CC_{i:06d}.txt" for i in range(40)] + [f"EN_UA_{i:06d}.txt" for i in range(60)] + ["EN_XX_1.txt"]


def test_split_ids_deterministic_disjoint_and_complete() -> None:
    train, held = split_ids(IDS)
    assert (train, held) == split_ids(list(reversed(IDS)))  # same split whatever the input order
    assert set(train).isdisjoint(held)
    assert sorted(train + held) == sorted(IDS)
    assert train == sorted(train) and held == sorted(held)
    assert sum("_CC_" in i for i in held) == 8 and sum("_UA_" in i for i in held) == 12
    assert "EN_XX_1.txt" in train  # neither domain: always trained on


def test_split_ids_seed_changes_the_split() -> None:
    assert split_ids(IDS)[1] != split_ids(IDS, seed=1)[1]


TEXT = "Yesterday, Vladimir Putin met Joe Biden.\r\nPutin left."


def test_locate_keeps_exact_offsets() -> None:
    assert _locate(TEXT, "Joe Biden", 30, 39) == (30, 39)


@pytest.mark.parametrize("shift", [-3, -1, 1, 2, 7])
def test_locate_fixes_a_shifted_offset(shift: int) -> None:
    s = TEXT.index("Joe Biden")
    assert _locate(TEXT, "Joe Biden", s + shift, s + shift + 9) == (s, s + 9)


def test_locate_prefers_the_nearest_occurrence() -> None:
    # "Putin" at 20 and at 42; offsets at 40 are 2 from the second and 20 from the first.
    assert _locate(TEXT, "Putin", 40, 45) == (42, 47)
    assert _locate(TEXT, "Putin", 22, 27) == (20, 25)


def test_locate_gives_up_beyond_seven_characters() -> None:
    s = TEXT.index("Joe Biden")
    assert _locate(TEXT, "Joe Biden", s - 9, s) == (s - 9, s)
    assert _locate(TEXT, "Kamala Harris", 3, 16) == (3, 16)
