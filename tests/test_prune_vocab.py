"""Vocabulary pruning: ids remapped consistently, missing pieces fall back to shorter ones, nothing crashes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from tokenizers import Tokenizer

from unspin.encoder.windows import load_tokenizer, make_windows, tokenize
from unspin.train import e5convert, prune_vocab
from unspin.train.encoders import special_ids

PIECES = [
    "<s>",
    "<pad>",
    "</s>",
    "<unk>",
    "▁",
    "▁the",
    "▁cat",
    "▁dog",
    "s",
    "▁ca",
    "t",
    "h",
    "e",
    "c",
    "a",
    "d",
    "o",
    "g",
]
SCORES = np.asarray([0, 0, 0, 0, -2.0, -1.0, -1.5, -1.5, -3.0, -4.0, -4.0, -5, -5, -5, -5, -5, -5, -5])


def _full(tmp_path: Path) -> tuple[dict, Tokenizer]:
    path = tmp_path / "full.json"
    e5convert.build_tokenizer(PIECES, SCORES, {}).save(str(path))
    return json.loads(path.read_text()), load_tokenizer(str(path))


def test_pruned_tokenizer_keeps_used_pieces_and_falls_back(tmp_path: Path) -> None:
    tok_json, full = _full(tmp_path)
    used = prune_vocab.used_pieces(full, ["the cats"])
    keep = prune_vocab.keep_ids(tok_json, used)
    # specials, every single character, and the pieces "the cats" used; "▁dog" and "▁ca" are dropped
    assert PIECES.index("▁dog") not in keep and PIECES.index("▁ca") not in keep
    assert set(range(4)) <= set(keep.tolist()) and PIECES.index("g") in keep
    path = tmp_path / "pruned.json"
    path.write_text(json.dumps(prune_vocab.pruned_tokenizer_json(tok_json, keep)))
    pruned = load_tokenizer(str(path))
    # the same pieces wherever the kept vocabulary suffices, with ids remapped in order
    a, b = full.encode("the cats"), pruned.encode("the cats", add_special_tokens=False)
    assert a.tokens[1:-1] == b.tokens
    assert b.ids == [int(np.flatnonzero(keep == i)[0]) for i in a.ids[1:-1]]
    # a dropped piece falls back to shorter ones; a character never seen is <unk>; specials keep 0-3
    assert pruned.encode("dog", add_special_tokens=False).tokens == ["▁", "d", "o", "g"]
    assert pruned.encode("the ж", add_special_tokens=False).ids[-1] == 3
    assert special_ids(path) == {"cls_id": 0, "sep_id": 2, "pad_id": 1}
    assert pruned.encode("the").ids[0] == 0 and pruned.encode("the").ids[-1] == 2
    # windows carry the tokenizer's own specials
    win = make_windows(tokenize(pruned, "the cats"), 8, 4, pad_to=8, **special_ids(path))
    assert win.input_ids[0].tolist()[:4] == [0, *b.ids, 2][:4] and win.input_ids[0, -1] == 1


def test_compare_reports_identity_per_language(tmp_path: Path) -> None:
    from unspin.train.corpus import Text

    tok_json, full = _full(tmp_path)
    keep = prune_vocab.keep_ids(tok_json, prune_vocab.used_pieces(full, ["the cats"]))
    path = tmp_path / "pruned.json"
    path.write_text(json.dumps(prune_vocab.pruned_tokenizer_json(tok_json, keep)))
    docs = [Text("en", "x", "1", "the cats\nthe cat"), Text("fr", "x", "2", "the dog\nthe cat")]
    out = prune_vocab.compare(full, load_tokenizer(str(path)), docs)
    assert out["en"]["documents_identical_pct"] == 100.0 and out["en"]["pieces_per_100_full"] == 100.0
    assert out["fr"]["paragraphs_identical_pct"] == 50.0 and out["fr"]["pieces_per_100_full"] > 100.0
    assert 0 < out["fr"]["pieces_identical_pct"] < 100
