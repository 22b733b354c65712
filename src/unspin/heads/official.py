"""Predictions in the shared tasks' own terms, from one encoder pass per article: what the exporters write
and what ``unspin evaluate`` scores (so both go through exactly the same code)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unspin.analyzer import Analyzer
from unspin.document import Document
from unspin.errors import BadInput
from unspin.heads import ArticleHeads
from unspin.heads.labels import pick_frames
from unspin.model.probes import doc_pool


@dataclass
class Pass:
    """One article through the encoder: the document, token offsets and hidden states."""

    doc: Document
    offsets: np.ndarray
    hidden: np.ndarray
    heads: ArticleHeads

    @classmethod
    def run(cls, analyzer: Analyzer, text: str) -> Pass:
        if not analyzer.heads:
            raise BadInput(f"The model at {analyzer.model_dir} has no article heads (probes.json).")
        offsets, _, hidden = analyzer.predict(text, with_hidden=True)
        assert hidden is not None
        return cls(Document.from_text(text, token_offsets=offsets), offsets, hidden, analyzer.heads)

    def narratives(self) -> tuple[list[str], list[str]]:
        """SemEval-2025 subtask 2: (narratives, subnarratives), ``Other`` when none."""
        head = self.heads.narratives
        if head is None:
            raise BadInput("The model has no narrative head.")
        return head.decode(head.scores(doc_pool(self.hidden))).official()

    def roles(self, spans: Sequence[tuple[int, int]]) -> list[tuple[str, list[str]]]:
        """SemEval-2025 subtask 1 on given mentions: (main role, fine roles) each, always a role (the
        official format frames every listed mention)."""
        if self.heads.roles is None:
            raise BadInput("The model has no role head.")
        calls = self.heads.role_calls(self.doc, self.offsets, self.hidden, list(spans))
        thresholds = self.heads.roles.fine_thresholds
        return [(c.main_role, [r for r, _ in c.fine_roles(c.main_role, thresholds)]) for c in calls]

    def genre(self) -> str:
        if self.heads.genre is None:
            raise BadInput("The model has no genre head.")
        probs = self.heads.genre(doc_pool(self.hidden))
        return self.heads.genre.labels[int(np.argmax(probs))]

    def frames(self) -> list[str]:
        if self.heads.frames is None:
            raise BadInput("The model has no frames head.")
        return [f for f, _ in pick_frames(self.heads.frames, self.heads.frames(doc_pool(self.hidden)), at_least_one=True)]
