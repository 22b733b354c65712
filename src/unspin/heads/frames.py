"""Frames of an article (SemEval-2023 Task 3 subtask 2: 14 frames, several per article), from its vector."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import FrameFinding
from unspin.encoder.encoded import Encoded
from unspin.heads.base import ProbeHead, clip01
from unspin.taxonomy import frames as tax


class FrameHead(ProbeHead):
    name: ClassVar[str] = "frames"
    writes: ClassVar[tuple[str, ...]] = ("frames",)
    needs_article: ClassVar[bool] = True  # read from the whole article: not assessed on a short text

    def pick(self, probs: np.ndarray, at_least_one: bool = False) -> list[tuple[str, float]]:
        """Frames above their thresholds, most confident first (the best one when ``at_least_one``: the
        official format needs a label per article)."""
        probe = self.probe
        t = probe.thresholds if probe.thresholds is not None else np.full(len(probe.labels), 0.5)
        order = np.argsort(-probs, kind="stable")
        picked = [(probe.labels[i], float(probs[i])) for i in order if probs[i] >= t[i]]
        if not picked and at_least_one and len(order):
            picked = [(probe.labels[order[0]], float(probs[order[0]]))]
        return picked

    def labels(self, enc: Encoded) -> list[str]:
        """The official format's frames: at least one."""
        return [f for f, _ in self.pick(self.probe(enc.article_vector()), at_least_one=True)]

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        if enc.hidden is None or not len(enc):
            return {"frames": []}
        frames = [
            FrameFinding(
                frame=f,
                name=tax.frame_name(f),
                confidence=clip01(p),
                definition=tax.FRAME_DEFINITIONS.get(f, ""),
            )
            for f, p in self.pick(self.probe(enc.article_vector()))
        ]
        return {"frames": frames}
