"""Narratives (SemEval-2025 Task 10 subtask 2): which known propaganda narratives an article pushes.

One sigmoid probe over the article vector scores every narrative and subnarrative of the taxonomy. The
decoder keeps the article's domain (war or climate: an article pushes narratives of one of them), takes
the subnarratives and narratives above their thresholds, makes the two levels agree (a subnarrative brings
its narrative; a narrative alone gets its ``: Other`` subnarrative, as the release spells it) and answers
``Other`` when nothing passes. An optional gate (a sigmoid over the same vector, trained on the release's
on-topic ``Other`` documents against the rest) first asks whether the article pushes any narrative at all:
below its threshold the answer is ``Other`` whatever the labels score, so a report on the war is not read
as pushing a war narrative because of its topic. Evidence: the same probe applied to each paragraph's
vector ranks the paragraphs that carry a label on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import Evidence, NarrativeFinding, SubnarrativeFinding
from unspin.encoder.encoded import Encoded
from unspin.heads.base import Linear, Section, clip01, strength
from unspin.taxonomy import narratives as tax
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
    name: ClassVar[str] = "narratives"
    writes: ClassVar[tuple[str, ...]] = ("narratives",)
    needs_article: ClassVar[bool] = True  # read from the whole article: not assessed on a short text

    def __init__(
        self,
        probe: Linear,
        narrative_threshold: float = 0.5,
        subnarrative_threshold: float = 0.5,
        domain_filter: bool = True,
        gate: Linear | None = None,
        gate_threshold: float = 0.0,
    ) -> None:
        self.probe = probe
        self.gate = gate
        self.gate_threshold = float(gate_threshold)
        self.labels = probe.labels
        self.is_sub = np.array([lab.count(": ") >= 2 for lab in self.labels])
        self.domains = np.array([domain(lab) for lab in self.labels])
        self.t_narrative = float(narrative_threshold)
        self.t_sub = float(subnarrative_threshold)
        self.domain_filter = bool(domain_filter)

    @classmethod
    def load(cls, section: Section) -> NarrativeHead:
        head = cls(
            section.linear("probe"),
            narrative_threshold=section.get("narrative_threshold"),
            subnarrative_threshold=section.get("subnarrative_threshold"),
            domain_filter=section.get("domain_filter"),
            # Optional: heads written before the gate have neither key.
            gate=section.linear("gate") if section.get("gate", None) is not None else None,
            gate_threshold=section.get("gate_threshold", 0.0),
        )
        section.done()
        return head

    def settings(self) -> dict[str, Any]:
        return {
            "narrative_threshold": self.t_narrative,
            "subnarrative_threshold": self.t_sub,
            "domain_filter": self.domain_filter,
            "gate_threshold": self.gate_threshold,
        }

    def scores(self, features: np.ndarray) -> np.ndarray:
        return self.probe(features)

    def gate_scores(self, features: np.ndarray) -> np.ndarray | None:
        """P(the article pushes some narrative) per row of ``features``; None without a gate."""
        return None if self.gate is None else self.gate(features)[..., 0]

    def call(self, enc: Encoded) -> NarrativeCall:
        """The labels of the SemEval-2025 task for this article (what the exporter writes)."""
        vector = enc.article_vector()
        gate = self.gate_scores(vector)
        return self.decode(self.scores(vector), None if gate is None else float(gate))

    def decode(self, probs: np.ndarray, gate: float | None = None) -> NarrativeCall:
        """Probabilities over the probe's labels (one article) -> the labels it pushes; ``gate``: the
        gate's P(some narrative), when the head has one."""
        if gate is not None and gate < self.gate_threshold:
            return NarrativeCall({}, {})
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

    def evidence(
        self, paragraph_probs: np.ndarray, label: str, top: int = 2, floor: float = 0.2
    ) -> list[tuple[int, float]]:
        """The paragraphs that carry ``label`` most on their own: [(paragraph, score)], best first."""
        if label not in self.labels or not len(paragraph_probs):
            return []
        col = paragraph_probs[:, self.labels.index(label)]
        order = np.argsort(-col, kind="stable")[:top]
        picked = [(int(i), float(col[i])) for i in order if col[i] >= floor]
        return picked or [(int(order[0]), float(col[order[0]]))]

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        if enc.hidden is None or not len(enc):
            return {"narratives": []}
        call = self.call(enc)
        doc = enc.doc
        par_probs = (
            self.scores(enc.pool(doc.paragraphs)) if doc.paragraphs else np.zeros((0, len(self.labels)))
        )

        def common(label: str, conf: float, threshold: float) -> dict[str, Any]:
            evidence = [
                Evidence(
                    start=doc.paragraphs[i].start,
                    end=doc.paragraphs[i].end,
                    text=doc.span_text(doc.paragraphs[i]),
                    paragraph=i,
                    score=clip01(score),
                )
                for i, score in self.evidence(par_probs, label)
            ]
            return {
                "label": label,
                "name": tax.short(label),
                "definition": tax.definition(label),
                "confidence": clip01(conf),
                "strength": strength(conf, threshold),
                "evidence": evidence,
            }

        findings = []
        for label, conf in call.narratives.items():
            subs = [
                SubnarrativeFinding(**common(s, p, self.t_sub))
                for s, p in call.subnarratives.items()
                if parent(s) == label
            ]
            findings.append(
                NarrativeFinding(
                    **common(label, conf, self.t_narrative),
                    domain=domain(label),  # type: ignore[arg-type]
                    subnarratives=subs,
                )
            )
        return {"narratives": findings}
