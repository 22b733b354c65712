"""The entity head: a token tagger finds the mentions (``heads.entities`` decodes and groups them into
entities a person would list), and the role layers (``heads.roles``) say how the article casts each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from unspin.analysis import Entity, EntityMention, RoleScore, TextSpan
from unspin.encoder.encoded import Encoded
from unspin.errors import ModelError
from unspin.heads import entities as ent
from unspin.heads.base import Linear, Section, clip01
from unspin.heads.roles import ROLE_FEATURES, RoleCall, RoleScorer, role_features
from unspin.taxonomy import roles as role_tax

# A main role this far (or less) ahead of the runner-up, or under this probability, is a guess.
UNCERTAIN_MARGIN = 0.2
UNCERTAIN_BELOW = 0.6


def is_uncertain(scores: Mapping[str, float]) -> bool:
    ranked = sorted(scores.values(), reverse=True)
    if not ranked:
        return True
    runner_up = ranked[1] if len(ranked) > 1 else 0.0
    return ranked[0] < UNCERTAIN_BELOW or ranked[0] - runner_up < UNCERTAIN_MARGIN


class EntityHead:
    name: ClassVar[str] = "entities"
    writes: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(
        self, tagger: Linear, roles: RoleScorer, min_confidence: float = 0.5, role_features: str = "context"
    ) -> None:
        if role_features not in ROLE_FEATURES:
            raise ModelError(f"unknown role features {role_features!r}: one of {ROLE_FEATURES}")
        self.tagger = tagger
        self.roles = roles
        self.min_confidence = float(min_confidence)
        self.role_features = role_features

    @classmethod
    def load(cls, section: Section) -> EntityHead:
        roles = RoleScorer(section.linear("framed"), section.linear("role"), section.linear("fine_role"))
        head = cls(
            section.linear("tagger"),
            roles,
            min_confidence=section.get("min_confidence"),
            role_features=section.get("role_features"),
        )
        section.done()
        return head

    def settings(self) -> dict[str, Any]:
        return {"min_confidence": self.min_confidence, "role_features": self.role_features}

    def detect(self, enc: Encoded) -> list[ent.RawMention]:
        """Mentions the tagger finds (exact slices of the text)."""
        assert enc.hidden is not None
        return ent.decode_mentions(enc.text, enc.offsets, self.tagger(enc.hidden), self.min_confidence)

    def role_calls(self, enc: Encoded, spans: Sequence[tuple[int, int]]) -> list[RoleCall]:
        """Role probabilities for mentions given as (start, end): what the official format scores."""
        return self.roles(role_features(enc, spans, self.role_features)) if spans else []

    def __call__(self, enc: Encoded) -> Mapping[str, Any]:
        if enc.hidden is None or not len(enc):
            return {"entities": []}
        groups = ent.group_mentions(enc.text, self.detect(enc))
        calls = self.role_calls(enc, [(m.start, m.end) for g in groups for m in g.mentions])
        ranked: list[tuple[bool, float, int, Entity]] = []
        k = 0
        for g in groups:
            ranked.append(self._entity(enc, g, calls[k : k + len(g.mentions)]))
            k += len(g.mentions)
        # Framed entities first, the most clearly framed first; then by how often they are mentioned.
        ranked.sort(key=lambda t: (not t[0], -t[1], -t[2], t[3].mentions[0].start))
        return {"entities": [e for *_, e in ranked]}

    def _entity(self, enc: Encoded, g: ent.Group, calls: list[RoleCall]) -> tuple[bool, float, int, Entity]:
        """One entity: its mentions with their roles, and the role of the whole entity (the mentions'
        main-role probabilities weighted by how clearly each is framed)."""
        doc, text, head = enc.doc, enc.text, self.roles
        sentence = [doc.segment_at(m.start, "sentence", nearest=True) or 0 for m in g.mentions]
        mentions = []
        for i, m in enumerate(g.mentions):
            c = calls[i]
            role = c.main_role if head.is_framed(c) else None
            conf = c.main_scores[c.main_role] if role else 1.0 - c.framed
            mentions.append(
                EntityMention(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    sentence=sentence[i],
                    role=role,
                    confidence=clip01(conf),
                )
            )
        w = np.array([c.framed for c in calls]) + 1e-6
        scores = {
            r: float(np.dot(w, [c.main_scores[r] for c in calls]) / w.sum()) for r in role_tax.MAIN_ROLES
        }
        best = int(np.argmax(w))
        main = max(scores, key=lambda r: scores[r])
        role_scores = {r: clip01(v) for r, v in scores.items()}
        if not head.is_framed(calls[best]):
            entity = Entity(
                name=g.name,
                kind=g.kind,
                mentions=mentions,
                confidence=clip01(1.0 - calls[best].framed),
                role_scores=role_scores,
            )
            return False, 0.0, len(mentions), entity
        evidence = doc.sentences[sentence[best]] if doc.sentences else None
        entity = Entity(
            name=g.name,
            kind=g.kind,
            mentions=mentions,
            main_role=main,
            confidence=clip01(scores[main]),
            role_scores=role_scores,
            fine_roles=[
                RoleScore(role=r, confidence=clip01(p), definition=role_tax.FINE_ROLE_DEFINITIONS.get(r, ""))
                for r, p in calls[best].fine_roles(main, head.fine_thresholds)
            ],
            uncertain=is_uncertain(scores),
            evidence=None
            if evidence is None
            else TextSpan(start=evidence.start, end=evidence.end, text=doc.span_text(evidence)),
        )
        return True, calls[best].framed, len(mentions), entity
