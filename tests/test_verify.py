"""The match verifier: lexical contrasts, the numpy model and its decisions, the rule-made training sentences,
and the quality gate on the fixed pairs written for it (``evaluate/data/verifier_pairs.tsv``)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from unspin.claims.contrast import FEATURE_NAMES, contrast_features, signals
from unspin.claims.verify import (
    DIFFERENT,
    OPPOSITE,
    RELATIONS,
    SAME,
    Verifier,
    default_verifier_dir,
    pair_features,
)
from unspin.evaluate.verifier import load_fixed, shown_metrics
from unspin.train import restate

F = {name: i for i, name in enumerate(FEATURE_NAMES)}
CIVILIANS = "The Russian army doesn’t deliberately target civilians, unlike the US"
POLAND = "Poland has no reasons to have tense relations with Russia, but is only a US vassal state"


def features(sentence: str, claim: str, cosine: float = 0.7) -> np.ndarray:
    return contrast_features([sentence], [claim], np.array([cosine]))[0]


def test_negation_on_one_side_only_is_a_contrast() -> None:
    inverted = features("Russia's assault specifically targets civilians.", CIVILIANS)
    restated = features("Moscow insists its army does not deliberately target civilians.", CIVILIANS)
    assert inverted[F["negation_mismatch"]] == 1.0
    assert restated[F["negation_mismatch"]] == 0.0
    # Russian negation counts too: the lexicon is not English-only.
    assert signals("Армия не наносит ударов по мирным жителям").negations == 1
    # Idioms that only look negative do not count.
    assert signals("Covid-19 vaccines are nothing but a fraud.").negations == 0
    assert signals("Belarus is not only a step away.").negations == 1  # contradicts "is only a step away"


def test_refutation_names_and_numbers() -> None:
    refuted = features(
        "There is no evidence that the Pentagon runs biolabs in Georgia.", "The US runs biolabs in Georgia"
    )
    assert refuted[F["refutation_diff"]] > 0
    japan = features("Relations with Japan are tense.", POLAND)
    assert japan[F["claim_names_missing"]] == 1.0  # neither Poland nor Russia is in the sentence
    numbers = features(
        "Support for a refugee family is 1400 euro a month.",
        "Support for a refugee family is 5000 euro a month",
    )
    assert numbers[F["number_conflict"]] == 1.0
    assert features("It fell sharply.", "It rose sharply")[F["antonym_conflicts"]] == 1.0


def test_contrast_features_reject_misaligned_input() -> None:
    with pytest.raises(ValueError):
        contrast_features(["a"], ["b", "c"], np.array([0.5]))
    with pytest.raises(ValueError):
        pair_features(np.zeros((2, 4)), ["a", "b"], np.zeros((1, 4)), ["c"])


def toy_verifier(dim: int = 4) -> Verifier:
    """Same when cosine is high, opposite when a negation sits on one side only: a hand-made model."""
    n = 2 * dim + len(FEATURE_NAMES)
    w = np.zeros((n, 3), np.float32)
    w[2 * dim + F["cosine"], SAME] = 8.0
    w[2 * dim + F["negation_mismatch"], OPPOSITE] = 12.0
    b = np.array([-5.0, -4.0, 0.0], np.float32)
    return Verifier("toy@1", dim, np.zeros(n, np.float32), np.ones(n, np.float32), ((w, b),), 0.5, 0.3, 0.5)


def test_relations_are_probabilities_and_decide_guards_inversions(tmp_path: Path) -> None:
    v = toy_verifier()
    u = np.array([[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]], np.float32)
    c = np.array([[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], np.float32)
    sents = ["Russia targets civilians.", "Russia does not target civilians.", "Japan is not far."]
    claims = ["Russia does not target civilians"] * 3
    p = v.relations(u, sents, c, claims)
    assert p.shape == (3, 3)
    np.testing.assert_allclose(p.sum(1), 1.0, atol=1e-5)
    decided = v.decide(p)
    assert decided[0] == OPPOSITE  # identical vectors, but the negation flips it: never shown
    assert decided[1] == SAME
    assert decided[2] == DIFFERENT
    # The guard wins over a high p(same).
    assert v.decide(np.array([[0.6, 0.35, 0.05]]))[0] != SAME
    assert v.relations(np.zeros((0, 4)), [], np.zeros((0, 4)), []).shape == (0, 3)
    with pytest.raises(ValueError):
        v.relations(np.zeros((1, 5)), ["a"], np.zeros((1, 5)), ["b"])
    v.save(tmp_path)
    back = Verifier.load(tmp_path)
    np.testing.assert_allclose(back.relations(u, sents, c, claims), p, atol=2e-3)  # weights kept as float16
    assert back.accepts("toy@1") and not back.accepts("other@1")


def test_shown_metrics_counts_inversions() -> None:
    gold = np.array([SAME, SAME, OPPOSITE, DIFFERENT])
    decided = np.array([SAME, DIFFERENT, SAME, DIFFERENT])
    m = shown_metrics(gold, decided)
    assert m["inverted_shown"] == 1
    assert m["precision_shown"] == 0.5 and m["recall_same"] == 0.5
    assert m["confusion"][OPPOSITE][SAME] == 1


def test_rule_made_sentences() -> None:
    assert restate.negate("The Russian army doesn’t deliberately target civilians") == (
        "The Russian army does deliberately target civilians.",
        "negation-removed",
    )
    assert restate.negate("NATO is preparing a war against Russia") == (
        "NATO is not preparing a war against Russia.",
        "negation-added",
    )
    assert restate.negate(POLAND) is None  # "has not no reasons" reads badly: no rule
    assert not restate.usable("Nazism is on the rise in Germany again, which is…")
    rng = random.Random(1)
    sentence, rule = restate.refute("NATO is preparing a war against Russia", rng)
    assert "NATO is preparing a war against Russia" in sentence and rule == "refuted"
    swapped = restate.swap_country("Poland is a US vassal state", random.Random(2))
    assert swapped is not None and "Poland" not in swapped[0]


def test_fixed_pairs_are_well_formed() -> None:
    rows = load_fixed()
    assert len(rows) >= 48
    for relation in range(3):
        assert sum(r.relation == relation and r.language == "en" for r in rows) >= 12, RELATIONS[relation]


@pytest.fixture(scope="module")
def bundled() -> tuple[Verifier, object]:
    from unspin.encoder.similarity import SentenceEncoder, similarity_model_available

    if not (default_verifier_dir() / "verifier.json").exists() or not similarity_model_available():
        pytest.skip("the bundled verifier or the similarity model is not installed")
    verifier = Verifier.load()
    encoder = SentenceEncoder()
    if not verifier.accepts(encoder.name):
        pytest.skip(f"the bundled verifier reads {verifier.embedder}, not {encoder.name}")
    return verifier, encoder


def test_quality_gate_on_fixed_pairs(bundled: tuple[Verifier, object]) -> None:
    from unspin.evaluate.verifier import evaluate_fixed

    verifier, encoder = bundled
    m = evaluate_fixed(verifier, encoder)  # type: ignore[arg-type]
    assert m["inverted_shown"] == 0, m["errors"]
    assert m["precision_shown"] >= 0.9, m["errors"]
    assert m["recall_same"] >= 0.75, m["errors"]


def test_the_issues_inverted_match_is_not_shown(bundled: tuple[Verifier, object]) -> None:
    verifier, encoder = bundled
    sentence = "Russia's assault specifically targets civilians, bombing apartment blocks and hospitals."
    p = verifier.relations(encoder.encode([sentence]), [sentence], encoder.encode([CIVILIANS]), [CIVILIANS])  # type: ignore[attr-defined]
    assert verifier.decide(p)[0] != SAME
