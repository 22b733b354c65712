"""The technique decoder with a paragraph head: paragraph labels and spans always agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from unspin.model.heads import LinearHead, TechniqueDecoder

TEXT = "Cowardly traitors everywhere.\nThe meeting is on Tuesday.\nA shameful, disgraceful betrayal."
PARS = [(0, 29), (30, 56), (57, 90)]
OFFS = np.array([[0, 8], [9, 17], [18, 28], [28, 29], [30, 33], [34, 41], [42, 44], [45, 47], [48, 55], [55, 56],
                 [57, 58], [59, 67], [67, 68], [69, 80], [81, 89], [89, 90]])  # fmt: skip


def test_head_labels_drive_spans_and_every_label_has_a_span(tmp_path: Path) -> None:
    probs = np.zeros((len(OFFS), 1), dtype=np.float32)
    probs[[0, 1], 0] = 0.8  # paragraph 0: a clear token run
    probs[5, 0] = 0.7  # paragraph 1: a run the paragraph head will veto
    probs[[13, 14], 0] = [0.3, 0.25]  # paragraph 2: below the span threshold, but the head says yes
    hidden = np.zeros((len(OFFS), 2), dtype=np.float32)
    hidden[:4, 0] = 1.0
    hidden[10:, 0] = 1.0
    # The head fires on paragraphs whose pooled first feature is high (paragraphs 0 and 2).
    head = LinearHead(
        np.array([[10.0], [0.0], [0.0], [0.0]], dtype=np.float32), np.array([-5.0], dtype=np.float32)
    )
    head.save(tmp_path / "h.npz")
    head = LinearHead.load(tmp_path / "h.npz")
    dec = TechniqueDecoder(np.array([0.5], np.float32), np.array([0.5], np.float32), "head", head)
    out = dec.decode(TEXT, OFFS, probs, hidden, PARS)
    assert out.labels[:, 0].tolist() == [True, False, True]
    quoted = [TEXT[s.start : s.end] for s in out.spans]
    assert quoted == ["Cowardly traitors", "disgraceful betrayal"]


def test_token_mode_labels_follow_from_spans() -> None:
    probs = np.zeros((len(OFFS), 1), dtype=np.float32)
    probs[[0, 1], 0] = 0.8
    dec = TechniqueDecoder(np.array([0.5], np.float32), np.array([0.5], np.float32))
    out = dec.decode(TEXT, OFFS, probs, None, PARS)
    assert out.labels[:, 0].tolist() == [True, False, False]
    assert [TEXT[s.start : s.end] for s in out.spans] == ["Cowardly traitors"]
