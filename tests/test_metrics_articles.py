"""Article-level scores (SemEval-2025 narratives and roles, SemEval-2023 genre and frames) on small
examples worked out by hand."""

from __future__ import annotations

import pytest

from unspin.evaluate.semeval2025 import (
    OTHER,
    macro_f1,
    micro_f1,
    narrative_scores,
    role_scores,
    samples_f1,
    set_f1,
)


@pytest.mark.parametrize(
    ("pred", "gold", "f1"),
    [
        ({"a", "b"}, {"b", "c"}, 0.5),  # P = R = 1/2
        ({"a"}, {"a", "b", "c"}, 0.5),  # P = 1, R = 1/3: 2 * 1/3 / (4/3)
        ({"a", "b", "c", "d"}, {"a"}, 0.4),  # P = 1/4, R = 1
        ({"a"}, {"a"}, 1.0),
        ({"a"}, {"b"}, 0.0),
        (set(), set(), 1.0),
        ({"a"}, set(), 0.0),
        (set(), {"a"}, 0.0),
    ],
)
def test_set_f1(pred: set[str], gold: set[str], f1: float) -> None:
    assert set_f1(pred, gold) == pytest.approx(f1)


def test_samples_f1_averages_documents() -> None:
    pred = [{"a", "b"}, {"a"}, {OTHER}]
    gold = [{"b", "c"}, {"a"}, {"x"}]
    assert samples_f1(pred, gold) == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert samples_f1([], []) == 0.0
    with pytest.raises(ValueError):
        samples_f1([{"a"}], [])


def test_narrative_scores_with_a_real_subset() -> None:
    pred_coarse = [{"N1"}, {"N1", "N2"}, {OTHER}, {"N3"}]
    gold_coarse = [{"N1"}, {"N2"}, {OTHER}, {OTHER}]
    pred_fine = [{"N1: a"}, {"N1: b", "N2: c"}, {OTHER}, {"N3: Other"}]
    gold_fine = [{"N1: a", "N1: b"}, {"N2: c"}, {OTHER}, {OTHER}]
    s = narrative_scores(pred_coarse, pred_fine, gold_coarse, gold_fine)
    # coarse per document: 1, 2/3, 1, 0; fine: 2/3, 2/3, 1, 0
    assert s["coarse_f1"] == pytest.approx((1 + 2 / 3 + 1 + 0) / 4)
    assert s["fine_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1 + 0) / 4)
    # real narratives: documents 0 and 1 only (gold {"Other"} excluded, whatever was predicted)
    assert s["coarse_f1_real"] == pytest.approx((1 + 2 / 3) / 2)
    assert s["fine_f1_real"] == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert s["documents"] == 4.0 and s["documents_real"] == 2.0


def test_narrative_scores_keep_a_document_whose_gold_mixes_other_in() -> None:
    s = narrative_scores([{"N1"}], [{"N1: a"}], [{"N1", OTHER}], [{"N1: a", OTHER}])
    assert s["documents_real"] == 1.0
    assert s["coarse_f1_real"] == pytest.approx(2 / 3)


def test_narrative_scores_all_other() -> None:
    s = narrative_scores([{OTHER}], [{OTHER}], [{OTHER}], [{OTHER}])
    assert s["coarse_f1"] == 1.0 and s["documents_real"] == 0.0 and s["coarse_f1_real"] == 0.0


def test_role_scores() -> None:
    s = role_scores(
        ["Antagonist", "Protagonist", "Innocent", "Antagonist"],
        ["Antagonist", "Antagonist", "Innocent", "Antagonist"],
        [{"Tyrant"}, {"Guardian"}, {"Victim", "Exploited"}, {"Deceiver", "Tyrant"}],
        [{"Tyrant"}, {"Deceiver"}, {"Victim"}, {"Tyrant", "Deceiver"}],
    )
    assert s["main_role_accuracy"] == pytest.approx(3 / 4)
    assert s["fine_role_exact_match"] == pytest.approx(2 / 4)  # a superset is not a match
    assert s["mentions"] == 4.0


def test_role_scores_of_nothing() -> None:
    assert role_scores([], [], [], []) == {
        "main_role_accuracy": 0.0,
        "fine_role_exact_match": 0.0,
        "mentions": 0.0,
    }


def test_macro_f1() -> None:
    gold = ["news", "news", "opinion", "satire", "opinion"]
    pred = ["news", "opinion", "opinion", "news", "opinion"]
    # news: tp 1 fp 1 fn 1 -> 1/2; opinion: tp 2 fp 1 fn 0 -> 4/5; satire: tp 0 fn 1 -> 0
    labels = ["news", "opinion", "satire"]
    assert macro_f1(pred, gold, labels) == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    # only the listed labels count
    assert macro_f1(pred, gold, ["opinion"]) == pytest.approx(0.8)
    assert macro_f1(gold, gold, labels) == 1.0


def test_micro_f1() -> None:
    pred = [{"Economic", "Political"}, {"Morality"}, set()]
    gold = [{"Economic"}, {"Morality", "Fairness"}, {"Security"}]
    # tp 2, |pred| 3, |gold| 4 -> 4/7
    assert micro_f1(pred, gold) == pytest.approx(4 / 7)
    assert micro_f1([set()], [set()]) == 0.0
    assert micro_f1(gold, gold) == 1.0
