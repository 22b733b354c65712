"""Article-level heads on the shared encoder pass: narratives, entities and their roles, genre, frames,
check-worthy claims.

``ArticleHeads.run`` takes the document and the hidden states the technique pass already computed and
returns the findings as analysis objects; it never runs the encoder again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.analysis import (
    Entity,
    EntityMention,
    Evidence,
    FrameFinding,
    Genre,
    NarrativeFinding,
    RoleScore,
    SubnarrativeFinding,
    TextSpan,
)
from unspin.document import Document
from unspin.heads import entities as ent
from unspin.heads.claims import ClaimSpotter, Spotted
from unspin.heads.labels import genre_scores, pick_frames
from unspin.heads.narratives import NarrativeHead
from unspin.heads.roles import RoleCall, RoleHead, mention_features, sentence_of
from unspin.model import decode
from unspin.model.heads import LinearHead
from unspin.model.probes import Probe, SpanPooler, doc_pool, load_probes
from unspin.taxonomy import frames as frame_tax
from unspin.taxonomy import narratives as narr_tax
from unspin.taxonomy import roles as role_tax


@dataclass
class Findings:
    narratives: list[NarrativeFinding] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    genre: Genre | None = None
    frames: list[FrameFinding] = field(default_factory=list)
    claims: list[Spotted] = field(default_factory=list)


def _r(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


class ArticleHeads:
    def __init__(self, probes: dict[str, Probe]):
        self.probes = probes
        self.narratives = NarrativeHead(probes["narratives"]) if "narratives" in probes else None
        self.genre = probes.get("genre")
        self.frames = probes.get("frames")
        self.ner = probes.get("ner")
        self.claims = ClaimSpotter(probes["checkworthy"]) if "checkworthy" in probes else None
        self.roles = (
            RoleHead(probes["framed"], probes["role"], probes["fine_role"])
            if {"framed", "role", "fine_role"} <= set(probes)
            else None
        )

    @classmethod
    def load(cls, model_dir: Path) -> ArticleHeads:
        probes = load_probes(model_dir)
        if "checkworthy" not in probes and (model_dir / "claim_head.npz").exists():
            # An encoder trained with the check-worthiness task (`--checkworthy`) carries its own claim head.
            import json

            head = LinearHead.load(model_dir / "claim_head.npz")
            threshold = json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("claim_threshold", 0.5)
            probes["checkworthy"] = Probe(
                ("checkworthy",), head.weight, head.bias, thresholds=np.array([threshold], np.float32)
            )
        return cls(probes)

    def __bool__(self) -> bool:
        return bool(self.probes)

    def run(self, doc: Document, offsets: np.ndarray, hidden: np.ndarray) -> Findings:
        out = Findings()
        if not len(hidden):
            return out
        article = doc_pool(hidden)
        tok_par = decode.token_paragraph_index(offsets, [(p.start, p.end) for p in doc.paragraphs])
        if self.narratives is not None:
            paragraphs = decode.paragraph_pool(hidden, tok_par, len(doc.paragraphs))
            out.narratives = self._narratives(doc, article, paragraphs)
        if self.genre is not None:
            scores = genre_scores(self.genre, article)
            best = max(scores, key=lambda k: scores[k])
            out.genre = Genre(
                label=best,  # type: ignore[arg-type]
                confidence=_r(scores[best]),
                scores={k: _r(v) for k, v in scores.items()},
                definition=frame_tax.GENRE_DEFINITIONS.get(best, ""),
            )
        if self.frames is not None:
            out.frames = [
                FrameFinding(
                    frame=f,
                    name=frame_tax.frame_name(f),
                    confidence=_r(p),
                    definition=frame_tax.FRAME_DEFINITIONS.get(f, ""),
                )
                for f, p in pick_frames(self.frames, self.frames(article))
            ]
        if self.ner is not None:
            out.entities = self._entities(doc, offsets, hidden)
        if self.claims is not None:
            out.claims = self.claims.spot(doc.text, hidden, offsets, [(s.start, s.end) for s in doc.sentences])
        return out

    def _narratives(self, doc: Document, article: np.ndarray, paragraphs: np.ndarray) -> list[NarrativeFinding]:
        assert self.narratives is not None
        head = self.narratives
        call = head.decode(head.scores(article))
        par_probs = head.scores(paragraphs) if len(paragraphs) else np.zeros((0, len(head.labels)))

        def evidence(label: str) -> list[Evidence]:
            out = []
            for i, score in head.evidence(par_probs, label):
                p = doc.paragraphs[i]
                out.append(Evidence(start=p.start, end=p.end, text=doc.span_text(p), paragraph=i, score=_r(score)))
            return out

        def common(label: str, conf: float) -> dict[str, object]:
            return {
                "label": label,
                "name": narr_tax.short(label),
                "definition": narr_tax.definition(label),
                "confidence": _r(conf),
                "evidence": evidence(label),
            }

        findings = []
        for label, conf in call.narratives.items():
            subs = [
                SubnarrativeFinding(**common(s, p))  # type: ignore[arg-type]
                for s, p in call.subnarratives.items()
                if narr_tax.parent(s) == label
            ]
            findings.append(
                NarrativeFinding(**common(label, conf), domain=narr_tax.domain(label), subnarratives=subs)  # type: ignore[arg-type]
            )
        return findings

    def detect(self, doc: Document, offsets: np.ndarray, hidden: np.ndarray) -> list[ent.RawMention]:
        assert self.ner is not None
        min_conf = float(self.ner.settings.get("min_confidence", 0.5))
        return ent.decode_mentions(doc.text, offsets, self.ner(hidden), min_conf)

    def role_calls(
        self, doc: Document, offsets: np.ndarray, hidden: np.ndarray, spans: list[tuple[int, int]]
    ) -> list[RoleCall]:
        """Role probabilities for mentions given as (start, end): what the official format scores."""
        assert self.roles is not None
        sents = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        pool = SpanPooler(hidden, offsets)
        feats = [mention_features(pool, sp, sents[sentence_of(sents, sp[0])]) for sp in spans]
        return self.roles(np.stack(feats)) if feats else []

    def _entities(self, doc: Document, offsets: np.ndarray, hidden: np.ndarray) -> list[Entity]:
        text = doc.text
        groups = ent.group_mentions(text, self.detect(doc, offsets, hidden))
        sents = [(s.start, s.end) for s in doc.sentences] or [(0, len(text))]
        spans = [(m.start, m.end) for g in groups for m in g.mentions]
        calls = self.role_calls(doc, offsets, hidden, spans) if self.roles is not None and spans else []
        ranked: list[tuple[bool, float, int, Entity]] = []
        k = 0
        for g in groups:
            mine = calls[k : k + len(g.mentions)]
            k += len(g.mentions)
            ranked.append(self._entity(g, mine, sents, text))
        ranked.sort(key=lambda t: (not t[0], -t[1], -t[2], t[3].mentions[0].start))
        return [e for *_, e in ranked]

    def _entity(
        self, g: ent.Group, calls: list[RoleCall], sents: list[tuple[int, int]], text: str
    ) -> tuple[bool, float, int, Entity]:
        """One entity: its mentions with their roles, and the role of the whole entity (the mentions'
        main-role probabilities weighted by how clearly each is framed)."""
        head = self.roles
        sentence = [sentence_of(sents, m.start) for m in g.mentions]
        mentions = []
        for i, m in enumerate(g.mentions):
            role, conf = None, 0.0
            if head is not None and calls:
                c = calls[i]
                role = c.main_role if head.is_framed(c) else None
                conf = c.main_scores[c.main_role] if role else 1.0 - c.framed
            mentions.append(
                EntityMention(
                    start=m.start, end=m.end, text=text[m.start : m.end], sentence=sentence[i], role=role, confidence=_r(conf)
                )
            )
        if head is None or not calls:
            return False, 0.0, len(mentions), Entity(name=g.name, kind=g.kind, mentions=mentions, confidence=0.0)
        w = np.array([c.framed for c in calls]) + 1e-6
        scores = {r: float(np.dot(w, [c.main_scores[r] for c in calls]) / w.sum()) for r in role_tax.MAIN_ROLES}
        best = int(np.argmax(w))
        framed = head.is_framed(calls[best])
        main = max(scores, key=lambda r: scores[r])
        if not framed:
            entity = Entity(
                name=g.name,
                kind=g.kind,
                mentions=mentions,
                confidence=_r(1.0 - calls[best].framed),
                role_scores={r: _r(v) for r, v in scores.items()},
            )
            return False, 0.0, len(mentions), entity
        s0, s1 = sents[sentence[best]]
        entity = Entity(
            name=g.name,
            kind=g.kind,
            mentions=mentions,
            main_role=main,
            confidence=_r(scores[main]),
            role_scores={r: _r(v) for r, v in scores.items()},
            fine_roles=[
                RoleScore(role=r, confidence=_r(p), definition=role_tax.FINE_ROLE_DEFINITIONS.get(r, ""))
                for r, p in calls[best].fine_roles(main, head.fine_thresholds)
            ],
            evidence=TextSpan(start=s0, end=s1, text=text[s0:s1]),
        )
        return True, calls[best].framed, len(mentions), entity
