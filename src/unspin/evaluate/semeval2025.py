"""Scores of SemEval-2025 Task 10 (subtask 2: narratives, subtask 1: entity framing) and of the
SemEval-2023 Task 3 article labels (genre, frames), as the official scorers compute them.

- Narratives: samples-averaged F1 over documents, coarse (narratives) and fine (subnarratives); reported
  over all documents and over those with a real narrative (gold not ``Other``).
- Roles on gold mentions: main-role accuracy and fine-role exact match ratio (the set of fine roles must
  be exactly the gold set).
- Genre: macro-F1; frames: micro-F1.
"""

from __future__ import annotations

from collections.abc import Sequence

OTHER = "Other"


def set_f1(pred: set[str], gold: set[str]) -> float:
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    if not tp:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def samples_f1(pred: Sequence[set[str]], gold: Sequence[set[str]]) -> float:
    return sum(set_f1(p, g) for p, g in zip(pred, gold, strict=True)) / max(1, len(gold))


def narrative_scores(
    pred_coarse: Sequence[set[str]],
    pred_fine: Sequence[set[str]],
    gold_coarse: Sequence[set[str]],
    gold_fine: Sequence[set[str]],
) -> dict[str, float]:
    real = [i for i, g in enumerate(gold_coarse) if g != {OTHER}]

    def sub(xs: Sequence[set[str]]) -> list[set[str]]:
        return [xs[i] for i in real]

    return {
        "coarse_f1": samples_f1(pred_coarse, gold_coarse),
        "fine_f1": samples_f1(pred_fine, gold_fine),
        "coarse_f1_real": samples_f1(sub(pred_coarse), sub(gold_coarse)),
        "fine_f1_real": samples_f1(sub(pred_fine), sub(gold_fine)),
        "documents": float(len(gold_coarse)),
        "documents_real": float(len(real)),
    }


def role_scores(
    pred_main: Sequence[str],
    gold_main: Sequence[str],
    pred_fine: Sequence[set[str]],
    gold_fine: Sequence[set[str]],
) -> dict[str, float]:
    n = max(1, len(gold_main))
    return {
        "main_role_accuracy": sum(p == g for p, g in zip(pred_main, gold_main, strict=True)) / n,
        "fine_role_exact_match": sum(p == g for p, g in zip(pred_fine, gold_fine, strict=True)) / n,
        "mentions": float(len(gold_main)),
    }


def macro_f1(pred: Sequence[str], gold: Sequence[str], labels: Sequence[str]) -> float:
    scores = []
    for lab in labels:
        tp = sum(p == lab and g == lab for p, g in zip(pred, gold, strict=True))
        fp = sum(p == lab and g != lab for p, g in zip(pred, gold, strict=True))
        fn = sum(p != lab and g == lab for p, g in zip(pred, gold, strict=True))
        scores.append(2 * tp / max(1, 2 * tp + fp + fn))
    return sum(scores) / max(1, len(scores))


def micro_f1(pred: Sequence[set[str]], gold: Sequence[set[str]]) -> float:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    return 2 * tp / max(1, sum(len(p) for p in pred) + sum(len(g) for g in gold))
