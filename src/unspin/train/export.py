"""Export a trained technique tagger to the runtime format: OpenVINO IR + tokenizer + label map.

Usage: python -m unspin.train.export --checkpoint build/techniques --out src/unspin/assets/techniques
       [--weights fp16|int8]

The graph takes ``input_ids`` and ``attention_mask`` [windows, length] and returns per-token technique
logits [windows, length, 23]. Weights are stored compressed (fp16 by default, ~45 MB; int8 ~23 MB); the
runtime decides the compute precision (bf16 on CPUs with AMX/AVX512-BF16, f32 elsewhere).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import openvino as ov
import torch
from transformers import AutoConfig, AutoModel

from unspin.taxonomy import TECHNIQUES
from unspin.train.common import base_model_dir, log
from unspin.train.techniques import MAX_LEN, TechniqueTagger


def load_tagger(checkpoint: Path) -> TechniqueTagger:
    base = base_model_dir()
    encoder = AutoModel.from_config(AutoConfig.from_pretrained(str(base)))
    model = TechniqueTagger(encoder, len(TECHNIQUES))
    model.load_state_dict(torch.load(checkpoint / "model.pt", map_location="cpu"))
    return model.eval()


def to_openvino(model: torch.nn.Module) -> ov.Model:
    example = (torch.ones(2, 64, dtype=torch.int64), torch.ones(2, 64, dtype=torch.int64))
    with torch.no_grad():
        ov_model = ov.convert_model(
            model,
            example_input=example,
            input=[("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64)],
        )
    ov_model.outputs[0].get_tensor().set_names({"logits"})
    return ov_model


def compress_int8(ov_model: ov.Model) -> ov.Model:
    import nncf

    return nncf.compress_weights(ov_model, mode=nncf.CompressWeightsMode.INT8_ASYM)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", type=Path, default=Path("build/techniques"))
    ap.add_argument("--out", type=Path, default=Path("src/unspin/assets/techniques"))
    ap.add_argument("--weights", choices=["fp16", "fp32", "int8"], default="fp16")
    args = ap.parse_args(argv)

    metrics = json.loads((args.checkpoint / "metrics.json").read_text())
    model = load_tagger(args.checkpoint)
    ov_model = to_openvino(model)
    if args.weights == "int8":
        ov_model = compress_int8(ov_model)
    args.out.mkdir(parents=True, exist_ok=True)
    ov.save_model(ov_model, str(args.out / "model.xml"), compress_to_fp16=args.weights == "fp16")
    shutil.copy(base_model_dir() / "tokenizer.json", args.out / "tokenizer.json")
    config = {
        "name": "unspin-techniques",
        "version": metrics.get("version", "0.1.0"),
        "labels": list(TECHNIQUES),
        "thresholds": [metrics["thresholds"][t] for t in TECHNIQUES],
        "max_len": MAX_LEN,
        "stride": metrics["config"]["infer_stride"],
        "weights": args.weights,
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    log("exported", out=str(args.out), weights=args.weights,
        mb=round(sum(p.stat().st_size for p in args.out.iterdir()) / 1e6, 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
