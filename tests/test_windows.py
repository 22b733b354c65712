from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from unspin.document import Segment
from unspin.encoder.encoded import segment_index
from unspin.encoder.windows import Tokens, make_windows, merge_windows, window_starts
from unspin.heads.spans import decode_spans


@given(st.integers(0, 3000), st.integers(8, 300), st.integers(1, 300))
def test_windows_cover_every_token(n: int, content: int, stride: int) -> None:
    stride = min(stride, content)
    starts = window_starts(n, content, stride)
    covered = np.zeros(n, dtype=bool)
    for s in starts:
        assert s >= 0 and (n <= content or s + content <= n)
        covered[s : s + content] = True
    assert covered.all()


def test_merge_averages_overlapping_windows() -> None:
    tokens = Tokens(
        np.arange(1000, 1010, dtype=np.int64), np.stack([np.arange(10), np.arange(10) + 1], axis=1)
    )
    win = make_windows(tokens, max_len=8, stride=3)  # 6 content tokens per window
    assert win.input_ids[0, 0] == 101 and 102 in win.input_ids[0]
    logits = np.zeros((len(win.starts), win.input_ids.shape[1], 1), dtype=np.float32)
    for i, (_s, ln) in enumerate(zip(win.starts, win.lengths, strict=True)):
        logits[i, 1 : ln + 1, 0] = i + 1  # window i says i+1 for all of its tokens
    merged = merge_windows(win, logits, 10)[:, 0]
    # windows cover [0,6) [3,9) [4,10): token 0 is seen by the first only, token 4 by all three
    assert list(win.starts) == [0, 3, 4]
    assert merged[0] == 1 and merged[4] == (1 + 2 + 3) / 3 and merged[8] == (2 + 3) / 2 and merged[9] == 3


def test_decode_spans_are_word_aligned_and_stay_in_paragraph() -> None:
    text = "Unbelievably corrupt elites.\nA plain line."
    # word pieces: "Unbeliev" "ably" "corrupt" "elites" "." | "A" "plain" "line" "."
    offs = np.array([[0, 8], [8, 12], [13, 20], [21, 27], [27, 28], [29, 30], [31, 36], [37, 41], [41, 42]])
    probs = np.zeros((9, 1), dtype=np.float32)
    probs[[1, 2], 0] = 0.9  # second piece of a word and the next word
    probs[5, 0] = 0.9  # first token of the next paragraph: must not join the previous run
    tok_par = segment_index(offs, [Segment(0, 28), Segment(29, 42)])
    spans = decode_spans(text, probs, offs, tok_par, np.array([0.5], dtype=np.float32))
    assert [text[s.start : s.end] for s in spans] == ["Unbelievably corrupt", "A"]
    assert spans[0].confidence > 0.8
