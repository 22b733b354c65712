"""Windows with a tokenizer's own special ids, and SentencePiece offsets that start on whitespace."""

from __future__ import annotations

import numpy as np

from unspin.encoder.windows import Tokens, make_windows, skip_leading_space


def test_default_specials_are_bert_and_others_are_parameters() -> None:
    tokens = Tokens(np.arange(10, 15, dtype=np.int64), np.zeros((5, 2), dtype=np.int64))
    bert = make_windows(tokens, 6, 2, pad_to=8)
    assert bert.input_ids[0].tolist() == [101, 10, 11, 12, 13, 102, 0, 0]
    e5 = make_windows(tokens, 6, 2, pad_to=8, cls_id=0, sep_id=2, pad_id=1)
    assert e5.input_ids[0].tolist() == [0, 10, 11, 12, 13, 2, 1, 1]
    assert e5.input_ids[-1].tolist() == [0, 11, 12, 13, 14, 2, 1, 1]
    assert (e5.attention_mask == bert.attention_mask).all() and (e5.starts == bert.starts).all()


def test_offsets_skip_the_whitespace_a_metaspace_piece_owns() -> None:
    text = "Title\r\n\r\nSecond  para ."
    # "▁Title", "▁Second" (owning "\n"), "▁para" (owning a space), a lone "▁" (a space), "."
    offsets = np.asarray([[0, 5], [8, 15], [16, 21], [21, 22], [22, 23]])
    out = skip_leading_space(text, offsets)
    assert [text[s:e] for s, e in out] == ["Title", "Second", "para", "", "."]
    assert (out[:, 1] == offsets[:, 1]).all() and out[3, 0] == out[3, 1] == 22


def test_wordpiece_offsets_are_returned_unchanged() -> None:
    text = "Hello world"
    offsets = np.asarray([[0, 5], [6, 11]])
    assert skip_leading_space(text, offsets) is offsets
    assert skip_leading_space("", np.zeros((0, 2), dtype=np.int64)).shape == (0, 2)
