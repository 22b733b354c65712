"""The narrative decoder over a probe whose outputs the test sets directly (identity weights, features =
logits)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from unspin.heads.base import Linear
from unspin.heads.narratives import NarrativeHead

D = "URW: Discrediting Ukraine"
D_MIL = "URW: Discrediting Ukraine: Discrediting Ukrainian military"
D_NAZI = "URW: Discrediting Ukraine: Ukraine is associated with nazism"
D_OTHER = "URW: Discrediting Ukraine: Other"
P = "URW: Praise of Russia"
P_MIL = "URW: Praise of Russia: Praise of Russian military might"
P_OTHER = "URW: Praise of Russia: Other"
C = "CC: Downplaying climate change"
C_NAT = "CC: Downplaying climate change: Climate cycles are natural"
C_OTHER = "CC: Downplaying climate change: Other"
Q = "CC: Criticism of climate movement"  # its ": Other" is deliberately not among the probe's labels

LABELS = (D, D_MIL, D_NAZI, D_OTHER, P, P_MIL, P_OTHER, C, C_NAT, C_OTHER, Q)


def head(**settings: Any) -> NarrativeHead:
    n = len(LABELS)
    probe = Linear(LABELS, np.eye(n, dtype=np.float32), np.zeros(n, np.float32), "sigmoid")
    return NarrativeHead(probe, **settings)


def logits(probs: dict[str, float], rest: float = 0.01) -> np.ndarray:
    p = np.array([probs.get(lab, rest) for lab in LABELS], np.float64)
    return np.log(p / (1 - p)).astype(np.float32)


def call(h: NarrativeHead, probs: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    scores = h.scores(logits(probs))
    c = h.decode(scores)
    return c.narratives, c.subnarratives


def test_probe_passes_probabilities_through() -> None:
    h = head()
    assert h.scores(logits({P: 0.8}))[LABELS.index(P)] == pytest.approx(0.8, abs=1e-5)
    assert list(h.is_sub) == [lab.count(": ") >= 2 for lab in LABELS]
    assert h.is_sub.sum() == 7


def test_settings_are_read() -> None:
    h = head(narrative_threshold=0.3, subnarrative_threshold=0.7, domain_filter=False)
    assert (h.t_narrative, h.t_sub, h.domain_filter) == (0.3, 0.7, False)
    d = head()
    assert (d.t_narrative, d.t_sub, d.domain_filter) == (0.5, 0.5, True)


def test_nothing_above_threshold_is_other() -> None:
    c = head().decode(head().scores(logits({D: 0.45, D_MIL: 0.49, C: 0.3})))
    assert c.narratives == {} and c.subnarratives == {}
    assert c.official() == (["Other"], ["Other"])


def test_subnarrative_brings_its_parent() -> None:
    narrs, subs = call(head(), {D_MIL: 0.9, D: 0.2})
    assert list(narrs) == [D]
    assert list(subs) == [D_MIL]
    assert subs[D_MIL] == pytest.approx(0.9, abs=1e-4)


def test_narrative_alone_gets_its_other_subnarrative() -> None:
    narrs, subs = call(head(), {P: 0.8, P_OTHER: 0.3})
    assert narrs == pytest.approx({P: 0.8}, abs=1e-4)
    assert subs == pytest.approx({P_OTHER: 0.3}, abs=1e-4)  # the ": Other" label's own score


def test_narrative_alone_without_an_other_label_gets_its_confidence() -> None:
    narrs, subs = call(head(), {Q: 0.7})
    assert list(narrs) == [Q]
    assert subs == pytest.approx({f"{Q}: Other": 0.7}, abs=1e-4)


def test_narrative_with_a_real_subnarrative_gets_no_other() -> None:
    narrs, subs = call(head(), {D: 0.9, D_NAZI: 0.6})
    assert list(narrs) == [D] and list(subs) == [D_NAZI]


def test_other_subnarrative_above_threshold_counts_once() -> None:
    narrs, subs = call(head(), {D_OTHER: 0.7})
    assert list(narrs) == [D] and list(subs) == [D_OTHER]


def test_separate_thresholds_per_level() -> None:
    h = head(narrative_threshold=0.6, subnarrative_threshold=0.3)
    narrs, subs = call(h, {D_MIL: 0.35, P: 0.55, C: 0.35})
    assert list(narrs) == [D]  # brought by its subnarrative; P at 0.55 is below the narrative threshold
    assert list(subs) == [D_MIL]


def test_domain_filter_keeps_the_stronger_domain() -> None:
    probs = {P: 0.7, P_MIL: 0.65, C: 0.9, C_NAT: 0.8}
    narrs, subs = call(head(), probs)
    assert list(narrs) == [C] and list(subs) == [C_NAT]
    narrs, subs = call(head(domain_filter=False), probs)
    assert list(narrs) == [C, P] and list(subs) == [C_NAT, P_MIL]


def test_domain_filter_decided_by_the_strongest_label_even_a_subnarrative() -> None:
    # URW's best label is a subnarrative at 0.95, stronger than CC's best narrative at 0.9.
    narrs, _ = call(head(), {D_MIL: 0.95, C: 0.9})
    assert list(narrs) == [D]


def test_output_ordered_by_confidence() -> None:
    probs = {D: 0.6, D_MIL: 0.55, D_NAZI: 0.9, P: 0.95, P_MIL: 0.7}
    c = head().decode(head().scores(logits(probs)))
    assert list(c.narratives) == [P, D]
    # subnarratives grouped by their narrative's rank, best first within it
    assert list(c.subnarratives) == [P_MIL, D_NAZI, D_MIL]
    narratives, subnarratives = c.official()
    assert narratives == [P, D] and subnarratives == [P_MIL, D_NAZI, D_MIL]


def rounded(picked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return [(i, round(p, 4)) for i, p in picked]


def test_evidence_ranks_paragraphs() -> None:
    h = head()
    paragraphs = np.full((4, len(LABELS)), 0.05, np.float32)
    paragraphs[:, LABELS.index(P)] = [0.1, 0.7, 0.3, 0.9]
    assert rounded(h.evidence(paragraphs, P)) == [(3, 0.9), (1, 0.7)]
    assert rounded(h.evidence(paragraphs, P, top=3, floor=0.2)) == [(3, 0.9), (1, 0.7), (2, 0.3)]
    assert rounded(h.evidence(paragraphs, P, top=4, floor=0.5)) == [(3, 0.9), (1, 0.7)]


def test_evidence_returns_the_best_paragraph_when_none_reaches_the_floor() -> None:
    h = head()
    paragraphs = np.full((3, len(LABELS)), 0.05, np.float32)
    paragraphs[:, LABELS.index(C)] = [0.02, 0.1, 0.04]
    assert rounded(h.evidence(paragraphs, C)) == [(1, 0.1)]


def test_evidence_of_unknown_label_or_no_paragraphs_is_empty() -> None:
    h = head()
    assert h.evidence(np.full((2, len(LABELS)), 0.9, np.float32), "URW: Not a narrative") == []
    assert h.evidence(np.zeros((0, len(LABELS)), np.float32), P) == []


def test_the_gate_says_other_for_an_article_that_pushes_none(tmp_path: Any) -> None:
    from unspin.heads.base import SavedHeads, Section

    n = len(LABELS)
    # The gate reads the first feature only: P(some narrative) = sigmoid(feature 0).
    gate = Linear(("narrative",), np.eye(n, 1, dtype=np.float32), np.zeros(1, np.float32), "sigmoid")
    h = head(gate=gate, gate_threshold=0.5)
    features = logits({D: 0.9, D_MIL: 0.9})  # feature 0 is D's logit: the gate opens
    opened = h.decode(h.scores(features), float(h.gate_scores(features)))  # type: ignore[arg-type]
    assert list(opened.narratives) == [D]
    shut = h.decode(h.scores(features), 0.2)
    assert shut.official() == (["Other"], ["Other"])
    assert h.decode(h.scores(features)).narratives  # no gate score given: the labels decide
    # Saved and loaded with its threshold; heads written before the gate load without one.
    saved = SavedHeads({}, {})
    saved.put("narratives", h.settings(), {"probe": h.probe, "gate": h.gate})
    back = NarrativeHead.load(Section("narratives", saved.sections["narratives"], saved.arrays))
    assert back.gate is not None and back.gate_threshold == 0.5
    old = SavedHeads({}, {})
    old.put(
        "narratives",
        {k: v for k, v in head().settings().items() if k != "gate_threshold"},
        {"probe": h.probe},
    )
    assert NarrativeHead.load(Section("narratives", old.sections["narratives"], old.arrays)).gate is None
