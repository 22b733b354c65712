"""Genre and frames of an article (SemEval-2023 Task 3 subtasks 1 and 2), from the article vector."""

from __future__ import annotations

import numpy as np

from unspin.model.probes import Probe


def genre_scores(probe: Probe, features: np.ndarray) -> dict[str, float]:
    """Probability per genre (softmax over opinion, reporting, satire)."""
    return {lab: float(p) for lab, p in zip(probe.labels, probe(features), strict=True)}


def pick_frames(probe: Probe, probs: np.ndarray, at_least_one: bool = False) -> list[tuple[str, float]]:
    """Frames above their thresholds, most confident first (the best one when ``at_least_one``: the
    official format needs a label per article)."""
    t = probe.thresholds if probe.thresholds is not None else np.full(len(probe.labels), 0.5)
    order = np.argsort(-probs, kind="stable")
    picked = [(probe.labels[i], float(probs[i])) for i in order if probs[i] >= t[i]]
    if not picked and at_least_one and len(order):
        picked = [(probe.labels[order[0]], float(probs[order[0]]))]
    return picked
