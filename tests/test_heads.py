"""The technique decoder with a paragraph head: paragraph labels and spans always agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from unspin.document import Document, Segment
from unspin.encoder.encoded import Encoded
from unspin.heads.base import Linear, SavedHeads
from unspin.heads.techniques import TechniqueHead

TEXT = "Cowardly traitors everywhere.\nThe meeting is on Tuesday.\nA shameful, disgraceful betrayal."
PARS = [(0, 29), (30, 56), (57, 90)]
LABELS = ("Name_Calling-Labeling",)
OFFS = np.array([[0, 8], [9, 17], [18, 28], [28, 29], [30, 33], [34, 41], [42, 44], [45, 47], [48, 55], [55, 56],
                 [57, 58], [59, 67], [67, 68], [69, 80], [81, 89], [89, 90]])  # fmt: skip


def encoded(probs: np.ndarray, hidden: np.ndarray | None) -> Encoded:
    return Encoded(Document.from_paragraphs(TEXT, [Segment(*p) for p in PARS]), OFFS, probs, hidden)


def test_head_labels_drive_spans_and_every_label_has_a_span(tmp_path: Path) -> None:
    probs = np.zeros((len(OFFS), 1), dtype=np.float32)
    probs[[0, 1], 0] = 0.8  # paragraph 0: a clear token run
    probs[5, 0] = 0.7  # paragraph 1: a run the paragraph head will veto
    probs[[13, 14], 0] = [0.3, 0.25]  # paragraph 2: below the span threshold, but the head says yes
    hidden = np.zeros((len(OFFS), 2), dtype=np.float32)
    hidden[:4, 0] = 1.0
    hidden[10:, 0] = 1.0
    # The head fires on paragraphs whose pooled first feature is high (paragraphs 0 and 2).
    layer = Linear(
        LABELS, np.array([[10.0], [0.0], [0.0], [0.0]], dtype=np.float32), np.array([-5.0], dtype=np.float32)
    )
    dec = TechniqueHead(LABELS, np.array([0.5], np.float32), np.array([0.5], np.float32), "head", layer)
    # The head as the model folder saves and loads it.
    saved = SavedHeads()
    saved.put(dec.name, dec.settings(), {"paragraph": dec.paragraph}, half=False)
    saved.write(tmp_path)
    section = SavedHeads.read(tmp_path).section(dec.name)
    assert section is not None
    dec = TechniqueHead.load(section)
    out = dec.decode(encoded(probs, hidden))
    assert out.labels[:, 0].tolist() == [True, False, True]
    quoted = [TEXT[s.start : s.end] for s in out.spans]
    assert quoted == ["Cowardly traitors", "disgraceful betrayal"]


def test_token_mode_labels_follow_from_spans() -> None:
    probs = np.zeros((len(OFFS), 1), dtype=np.float32)
    probs[[0, 1], 0] = 0.8
    dec = TechniqueHead(LABELS, np.array([0.5], np.float32), np.array([0.5], np.float32))
    out = dec.decode(encoded(probs, None))
    assert out.labels[:, 0].tolist() == [True, False, False]
    assert [TEXT[s.start : s.end] for s in out.spans] == ["Cowardly traitors"]


def test_each_technique_is_cut_at_its_own_threshold() -> None:
    """Per-technique thresholds are applied: a probability just under a technique's threshold flags
    nothing, just over it flags the span, and another technique's threshold does not leak into it."""
    labels = ("Loaded_Language", "Doubt")
    probs = np.zeros((len(OFFS), 2), dtype=np.float32)
    probs[[0, 1], 0] = 0.349  # Loaded_Language just under its 0.35
    probs[[0, 1], 1] = 0.351  # Doubt just over its own 0.35 (and far under Loaded_Language's 0.9 below)
    head = TechniqueHead(labels, np.array([0.35, 0.35], np.float32), np.array([0.35, 0.35], np.float32))
    out = head.decode(encoded(probs, None))
    assert [(labels[s.label], TEXT[s.start : s.end]) for s in out.spans] == [("Doubt", "Cowardly traitors")]
    assert out.labels[0].tolist() == [False, True]
    strict = TechniqueHead(labels, np.array([0.9, 0.35], np.float32), np.array([0.9, 0.352], np.float32))
    assert strict.decode(encoded(probs, None)).spans == []
