"""Predictions in the shared tasks' own terms, from one encoder pass per article: what the exporters write
and what ``unspin evaluate`` scores (so both go through exactly the same code)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from unspin.analyzer import Analyzer
from unspin.encoder.encoded import Encoded
from unspin.errors import BadInput
from unspin.heads.base import Head
from unspin.heads.entities import RawMention
from unspin.heads.entity_head import EntityHead
from unspin.heads.frames import FrameHead
from unspin.heads.genre import GenreHead
from unspin.heads.narratives import NarrativeHead

H = TypeVar("H")


@dataclass
class Pass:
    """One article through the encoder, and the model's heads to read it with."""

    enc: Encoded
    heads: dict[str, Head]

    @classmethod
    def run(cls, analyzer: Analyzer, text: str) -> Pass:
        if len(analyzer.heads) < 2:
            raise BadInput(f"The model at {analyzer.model_dir} has no article heads (heads.json).")
        return cls(analyzer.encode(text), analyzer.heads)

    def _head(self, kind: type[H]) -> H:
        head = self.heads.get(kind.name)  # type: ignore[attr-defined]
        if not isinstance(head, kind):
            raise BadInput(f"The model has no {kind.name} head.")  # type: ignore[attr-defined]
        return head

    def narratives(self) -> tuple[list[str], list[str]]:
        """SemEval-2025 subtask 2: (narratives, subnarratives), ``Other`` when none."""
        return self._head(NarrativeHead).call(self.enc).official()

    def roles(self, spans: Sequence[tuple[int, int]]) -> list[tuple[str, list[str]]]:
        """SemEval-2025 subtask 1 on given mentions: (main role, fine roles) each, always a role (the
        official format frames every listed mention)."""
        head = self._head(EntityHead)
        calls = head.role_calls(self.enc, list(spans))
        thresholds = head.roles.fine_thresholds
        return [(c.main_role, [r for r, _ in c.fine_roles(c.main_role, thresholds)]) for c in calls]

    def mentions(self) -> list[RawMention]:
        """The entity mentions the tagger finds."""
        return self._head(EntityHead).detect(self.enc)

    def genre(self) -> str:
        return self._head(GenreHead).label(self.enc)

    def frames(self) -> list[str]:
        return self._head(FrameHead).labels(self.enc)
