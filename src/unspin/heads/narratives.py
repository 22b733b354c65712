"""Narratives (SemEval-2025 Task 10 subtask 2): which known propaganda narratives an article pushes.

One sigmoid probe over the article vector scores every narrative and subnarrative of the taxonomy. The
decoder keeps the article's domain (war or climate: an article pushes narratives of one of them), takes
the subnarratives and narratives above their thresholds, makes the two levels agree (a subnarrative brings
its narrative; a narrative alone gets its ``: Other`` subnarrative, as the release spells it) and answers
``Other`` when nothing passes. Evidence: the same probe applied to each paragraph's vector ranks the
paragraphs that carry a label on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspin.model.probes import Probe
from unspin.taxonomy.narratives import OTHER, domain, parent


@dataclass(frozen=True)
class NarrativeCall:
    narratives: dict[str, float]  # narrative label -> confidence
    subnarratives: dict[str, float]  # subnarrative label -> confidence

    def official(self) -> tuple[list[str], list[str]]:
        """Labels in the release's format: (['Other'], ['Other']) when none was found."""
        if not self.narratives:
            return [OTHER], [OTHER]
        return list(self.narratives), list(self.subnarratives)


class NarrativeHead:
    def __init__(self, probe: Probe):
        self.probe = probe
        self.labels = probe.labels
        self.is_sub = np.array([lab.count(": ") >= 2 for lab in self.labels])
        self.domains = np.array([domain(lab) for lab in self.labels])
        s = probe.settings
        self.t_narrative = float(s.get("narrative_threshold", 0.5))
        self.t_sub = float(s.get("subnarrative_threshold", 0.5))
        self.domain_filter = bool(s.get("domain_filter", True))

    def scores(self, features: np.ndarray) -> np.ndarray:
        return self.probe(features)

    def decode(self, probs: np.ndarray) -> NarrativeCall:
        """Probabilities over the probe's labels (one article) -> the labels it pushes."""
        keep = np.ones(len(self.labels), bool)
        if self.domain_filter:
            # The article's domain: the one whose strongest label is strongest.
            best = {d: float(probs[self.domains == d].max(initial=0.0)) for d in ("URW", "CC")}
            keep = self.domains == max(best, key=lambda d: best[d])
        subs = {
            self.labels[i]: float(probs[i])
            for i in np.flatnonzero(keep & self.is_sub & (probs >= self.t_sub))
        }
        narrs = {
            self.labels[i]: float(probs[i])
            for i in np.flatnonzero(keep & ~self.is_sub & (probs >= self.t_narrative))
        }
        index = {lab: i for i, lab in enumerate(self.labels)}
        for sub, p in subs.items():
            # A narrative is at least as certain as its most certain subnarrative.
            par = parent(sub)
            narrs[par] = max(narrs.get(par, 0.0), float(probs[index[par]]) if par in index else 0.0, p)
        for narr in narrs:
            if not any(parent(s) == narr for s in subs):
                other = f"{narr}: Other"
                subs[other] = float(probs[index[other]]) if other in index else narrs[narr]
        order = sorted(narrs, key=lambda k: -narrs[k])
        sub_order = sorted(subs, key=lambda k: (order.index(parent(k)), -subs[k]))
        return NarrativeCall({k: narrs[k] for k in order}, {k: subs[k] for k in sub_order})

    def evidence(self, paragraph_probs: np.ndarray, label: str, top: int = 2, floor: float = 0.2) -> list[tuple[int, float]]:
        """The paragraphs that carry ``label`` most on their own: [(paragraph, score)], best first."""
        if label not in self.labels or not len(paragraph_probs):
            return []
        col = paragraph_probs[:, self.labels.index(label)]
        order = np.argsort(-col, kind="stable")[:top]
        picked = [(int(i), float(col[i])) for i in order if col[i] >= floor]
        return picked or [(int(order[0]), float(col[order[0]]))]
