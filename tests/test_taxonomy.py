"""The taxonomies of unspin.taxonomy: complete, defined, and in step with the releases' label files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from unspin.data.semeval2023 import default_data_dir
from unspin.taxonomy import frames, narratives, roles

TASK10 = default_data_dir() / "semeval2025-task10"
TASK3 = default_data_dir() / "semeval2023-task3"


def _files(root: Path, pattern: str) -> list[Path]:
    found = sorted(root.glob(pattern)) if root.is_dir() else []
    if not found:
        pytest.skip(f"no {pattern} under {root}")
    return found


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- techniques: the old import path ---------------------------------------------------------------


def test_techniques_import_from_package() -> None:
    from unspin.taxonomy import TECHNIQUE_DEFINITIONS, TECHNIQUES, pretty, techniques

    assert len(TECHNIQUES) == 23
    assert TECHNIQUES == tuple(TECHNIQUE_DEFINITIONS) == techniques.TECHNIQUES
    assert all(TECHNIQUE_DEFINITIONS[t].strip() for t in TECHNIQUES)
    assert pretty("Name_Calling-Labeling") == "Name calling / labeling"


def test_semeval2023_reexports_frames_and_genres() -> None:
    from unspin.data import semeval2023 as sd

    assert sd.FRAMES is frames.FRAMES
    assert sd.GENRES is frames.GENRES


# --- narratives ------------------------------------------------------------------------------------


def test_narrative_counts_and_structure() -> None:
    urw = [n for n in narratives.NARRATIVES if n.startswith("URW: ")]
    cc = [n for n in narratives.NARRATIVES if n.startswith("CC: ")]
    assert (len(urw), len(cc)) == (11, 10)
    assert len(narratives.NARRATIVES) == 21
    # 38 + 11 ': Other' for the war, 36 + 10 for climate
    assert len(narratives.SUBNARRATIVES) == 38 + 11 + 36 + 10
    assert len(set(narratives.SUBNARRATIVES)) == len(narratives.SUBNARRATIVES)
    assert narratives.OTHER not in narratives.NARRATIVES
    assert narratives.OTHER not in narratives.SUBNARRATIVES
    for narrative in narratives.NARRATIVES:
        subs = [s for s in narratives.SUBNARRATIVES if narratives.parent(s) == narrative]
        assert subs and subs[-1] == f"{narrative}: Other"  # in taxonomy order, its ': Other' last
    assert {narratives.parent(s) for s in narratives.SUBNARRATIVES} == set(narratives.NARRATIVES)


def test_every_narrative_label_is_defined() -> None:
    for label in (*narratives.NARRATIVES, *narratives.SUBNARRATIVES, narratives.OTHER):
        assert narratives.definition(label).strip(), label
    assert narratives.definition("URW: Not a narrative") == ""
    assert (
        narratives.definition("URW: Discrediting Ukraine: Other")
        == "Another form of 'Discrediting Ukraine' not covered by its sub-narratives."
    )


def test_parent_short_domain_examples() -> None:
    sub = "URW: Blaming the war on others rather than the invader: The West are the aggressors"
    assert narratives.parent(sub) == "URW: Blaming the war on others rather than the invader"
    assert narratives.short(sub) == "The West are the aggressors"
    assert narratives.domain(sub) == "URW"
    assert narratives.short("CC: Downplaying climate change") == "Downplaying climate change"
    assert narratives.domain("CC: Downplaying climate change") == "CC"
    assert narratives.parent("CC: Amplifying Climate Fears: Other") == "CC: Amplifying Climate Fears"
    assert narratives.short("CC: Amplifying Climate Fears: Other") == "Other"
    # a comma inside the narrative name, a slash inside the subnarrative
    sub = "URW: Discrediting the West, Diplomacy: Diplomacy does/will not work"
    assert narratives.parent(sub) == "URW: Discrediting the West, Diplomacy"
    assert narratives.short(sub) == "Diplomacy does/will not work"
    # the typographic apostrophe of the release
    assert (
        "URW: Discrediting Ukraine: Rewriting Ukraine\u2019s history" in narratives.SUBNARRATIVE_DEFINITIONS
    )
    assert "URW: Discrediting Ukraine: Rewriting Ukraine's history" not in narratives.SUBNARRATIVE_DEFINITIONS
    assert narratives.parent(narratives.OTHER) == narratives.OTHER
    assert narratives.short(narratives.OTHER) == narratives.OTHER
    with pytest.raises(ValueError):
        narratives.domain(narratives.OTHER)
    with pytest.raises(ValueError):
        narratives.parent("URW: Discrediting Ukraine")
    for label in (*narratives.NARRATIVES, *narratives.SUBNARRATIVES):
        assert narratives.domain(label) in narratives.DOMAINS


def test_narrative_labels_in_data_are_known() -> None:
    seen_narr: Counter[str] = Counter()
    seen_sub: Counter[str] = Counter()
    for path in _files(TASK10, "*/subtask-2-annotations.txt"):
        for row in _rows(path):
            assert len(row) == 3, (path, row)
            seen_narr.update(x.strip() for x in row[1].split(";") if x.strip())
            seen_sub.update(x.strip() for x in row[2].split(";") if x.strip())
    known_narr = {*narratives.NARRATIVES, narratives.OTHER}
    known_sub = {*narratives.SUBNARRATIVES, narratives.OTHER}
    assert set(seen_narr) - known_narr == set()
    assert set(seen_sub) - known_sub == set()
    # and every subnarrative's narrative is itself a label of the data
    assert {narratives.parent(s) for s in seen_sub} <= set(seen_narr)


def test_narrative_combinations_file_is_covered() -> None:
    """all_narrative_combinations.csv writes 'Narrative__Subnarrative' with '_' for ' ' and no domain."""
    path = TASK10 / "all_narrative_combinations.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    ours = {
        f"{narratives.short(narratives.parent(s))}__{narratives.short(s)}".replace(" ", "_")
        for s in narratives.SUBNARRATIVES
    } | {"Other__Other"}
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    # The CSV shortens one narrative name: 'Blaming the war on others' for '... rather than the invader'.
    theirs = {
        line.strip()
        .strip('"')
        .replace("Blaming_the_war_on_others__", "Blaming_the_war_on_others_rather_than_the_invader__")
        for line in lines
        if line.strip()
    }
    assert theirs - ours == set()
    # The CSV has no row of its own for the war's 'Hidden plots' (its name equals the climate one's).
    assert ours - theirs == set()


# --- roles -----------------------------------------------------------------------------------------


def test_role_taxonomy() -> None:
    assert tuple(roles.MAIN_ROLE_DEFINITIONS) == roles.MAIN_ROLES
    assert len(roles.FINE_ROLE_ORDER) == 22
    assert set(roles.FINE_ROLE_ORDER) == set(roles.FINE_ROLES) == set(roles.FINE_ROLE_DEFINITIONS)
    assert set(roles.FINE_ROLES.values()) == set(roles.MAIN_ROLES)
    assert roles.fine_roles_of("Innocent") == ("Forgotten", "Exploited", "Victim", "Scapegoat")
    assert roles.fine_roles_of("Protagonist")[0] == "Guardian"
    assert len(roles.fine_roles_of("Antagonist")) == 12
    assert roles.fine_roles_of("Nobody") == ()
    assert roles.FINE_ROLES["Foreign Adversary"] == "Antagonist"
    for label, text in (*roles.MAIN_ROLE_DEFINITIONS.items(), *roles.FINE_ROLE_DEFINITIONS.items()):
        assert text.strip(), label


def test_roles_in_data_are_known_and_consistent() -> None:
    pairs: Counter[tuple[str, str]] = Counter()
    for path in _files(TASK10, "*/subtask-1-annotations.txt"):
        for row in _rows(path):
            assert len(row) >= 6, (path, row)
            main = row[4].strip()
            assert main in roles.MAIN_ROLES, (path, row)
            for fine in (r.strip() for r in row[5:] if r.strip()):
                assert fine in roles.FINE_ROLES, (path, row)
                pairs[fine, main] += 1
    by_fine: dict[str, Counter[str]] = {}
    for (fine, main), n in pairs.items():
        by_fine.setdefault(fine, Counter())[main] += n
    for fine, mains in by_fine.items():
        # The majority of a fine role's mentions carry its main role; at the time of writing all of them do.
        assert mains.most_common(1)[0][0] == roles.FINE_ROLES[fine], (fine, mains)
        assert mains[roles.FINE_ROLES[fine]] >= 0.95 * sum(mains.values()), (fine, mains)


# --- genres and frames -----------------------------------------------------------------------------


def test_frame_taxonomy() -> None:
    assert frames.GENRES == ("opinion", "reporting", "satire")
    assert len(frames.FRAMES) == 14
    assert frames.FRAMES[0] == "Economic" and frames.FRAMES[-1] == "External_regulation_and_reputation"
    assert frames.frame_name("Legality_Constitutionality_and_jurisprudence") == (
        "Legality, constitutionality and jurisprudence"
    )
    assert frames.frame_name("Capacity_and_resources") == "Capacity and resources"
    assert frames.frame_name("Economic") == "Economic"
    for label in (*frames.GENRES, *frames.FRAMES):
        assert (frames.GENRE_DEFINITIONS | frames.FRAME_DEFINITIONS)[label].strip(), label


def test_frames_and_genres_in_data_are_known() -> None:
    genres: set[str] = set()
    for path in _files(TASK3, "*/train-labels-subtask-1.txt"):
        genres.update(row[1].strip() for row in _rows(path) if len(row) >= 2)
    found: set[str] = set()
    for path in _files(TASK3, "*/train-labels-subtask-2.txt"):
        for row in _rows(path):
            if len(row) >= 2:
                found.update(x.strip() for x in row[1].split(",") if x.strip())
    assert genres == set(frames.GENRES)
    assert found - set(frames.FRAMES) == set()
