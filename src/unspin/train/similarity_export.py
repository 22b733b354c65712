"""Export the original all-MiniLM-L6-v2 sentence encoder to OpenVINO IR for known-claims similarity.

Usage: python -m unspin.train.similarity_export --out src/unspin/assets/similarity

The graph takes ``input_ids`` and ``attention_mask`` [batch, length] and returns the sentence embedding
[batch, 384]: mean of the token states over the attention mask, L2-normalized (what sentence-transformers
computes for this model), all inside the graph. Weights are int8 (nncf ``compress_weights``); the export
checks the cosine between these embeddings and PyTorch's on ``FIDELITY_SENTENCES`` and writes it into
config.json and MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import openvino as ov
import torch
from transformers import AutoModel

from unspin.train.common import base_model_dir, log

NAME = "all-MiniLM-L6-v2"
# 1.0.0: int8 weights; 1.1.0: int4 word embeddings (groups of 32), int8 elsewhere — 5 MB smaller, so the
# multilingual technique model and this one fit the 50 MB budget together. A new version re-embeds every
# known claim on its next search (vectors are stored per model name and version).
VERSIONS = {"int8": "1.0.0", "int4emb": "1.1.0", "int4": "1.2.0"}
MAX_LEN = 128

FIDELITY_SENTENCES = [
    "NATO is preparing to invade Russia from the Baltic states.",
    "The West staged the chemical attack in Syria to blame Assad.",
    "Ukraine is a failed state run by neo-Nazis.",
    "The MH17 crash was caused by a Ukrainian fighter jet.",
    "Vaccines developed in the West are used to experiment on people in Africa.",
    "The European Union is collapsing and will cease to exist within a few years.",
    "Sanctions against Russia hurt Europe more than Russia.",
    "Crimea joined Russia after a legitimate referendum.",
    "George Soros funds the protests in Eastern Europe.",
    "The United States created the coronavirus in a military laboratory.",
    "Migrants are bringing terrorism and disease to Sweden.",
    "The Skripal poisoning was a British false flag operation.",
    "Poland wants to annex western Ukraine.",
    "The Baltic states discriminate against Russian speakers.",
    "Georgia started the 2008 war on orders from Washington.",
    "The White Helmets are a terrorist organisation.",
    "Brussels dictates laws to sovereign nations.",
    "Western media hide the truth about the Donbas.",
    "Russia has never interfered in foreign elections.",
    "The Maidan was a coup organised by the CIA.",
    "Central bank raises interest rates to fight inflation.",
    "The football team won the championship after a dramatic final.",
    "A new species of frog was discovered in the rainforest.",
    "The recipe calls for two cups of flour and a pinch of salt.",
    "Scientists measured the distance to a faraway galaxy.",
    "The museum opens a new exhibition of impressionist paintings.",
    "Heavy snow closed the mountain roads for two days.",
    "The company reported record profits in the third quarter.",
    "Parliament passed the budget after a long debate.",
    "The train was delayed because of a signal failure.",
    "Children learn languages faster than adults.",
    "The election results were certified by the commission.",
    "Doctors recommend regular exercise and a balanced diet.",
    "The bridge was built in the nineteenth century.",
    "Farmers protest against low milk prices.",
    "A cyber attack disrupted the hospital's computer systems.",
    "The minister resigned after the corruption scandal.",
    "Oil prices fell sharply on Monday.",
    "The festival attracted thousands of visitors.",
    "Researchers developed a faster battery for electric cars.",
    "Wildfires spread across the southern region.",
    "The president met his counterpart to discuss trade.",
    "Refugees crossed the border in search of safety.",
    "The court ruled the law unconstitutional.",
    "A peace agreement was signed after months of negotiations.",
    "Unemployment dropped to its lowest level in a decade.",
    "The satellite was launched successfully into orbit.",
    "Teachers went on strike demanding higher wages.",
    "The novel won the prize for best fiction.",
    "Gas supplies to Europe were cut off in winter; prices rose and governments scrambled to find "
    "alternatives while accusing each other of failing to prepare for the crisis.",
]


class MeanPooled(torch.nn.Module):
    """Encoder + masked mean pooling + L2 normalization: the sentence-transformers embedding."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2.0, dim=1)


def torch_embeddings(model: torch.nn.Module, texts: list[str]) -> np.ndarray:
    from unspin.encoder.similarity import encode_batch_inputs, load_similarity_tokenizer

    tok = load_similarity_tokenizer(base_model_dir() / "tokenizer.json")
    rows = []
    with torch.no_grad():
        for text in texts:
            ids, mask = encode_batch_inputs(tok, [text], MAX_LEN)
            out = model(torch.from_numpy(ids), torch.from_numpy(mask))
            rows.append(out.numpy()[0])
    return np.stack(rows).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("src/unspin/assets/similarity"))
    ap.add_argument("--weights", choices=sorted(VERSIONS), default="int4emb")
    args = ap.parse_args(argv)
    version = VERSIONS[args.weights]

    base = base_model_dir()
    model = MeanPooled(AutoModel.from_pretrained(str(base))).eval()
    example = (torch.ones(2, 16, dtype=torch.int64), torch.ones(2, 16, dtype=torch.int64))
    with torch.no_grad():
        ov_model = ov.convert_model(
            model,
            example_input=example,
            input=[("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64)],
        )
    ov_model.outputs[0].get_tensor().set_names({"embedding"})
    if args.weights == "int4emb":
        from unspin.train.export import compress_int8_int4_embeddings

        ov_model = compress_int8_int4_embeddings(ov_model)
    elif args.weights == "int4":
        from unspin.train.export import EMBEDDINGS_KEPT, int4_then_int8

        ov_model = int4_then_int8(ov_model, EMBEDDINGS_KEPT)
    else:
        import nncf

        ov_model = nncf.compress_weights(ov_model, mode=nncf.CompressWeightsMode.INT8_ASYM)
    args.out.mkdir(parents=True, exist_ok=True)
    ov.save_model(ov_model, str(args.out / "model.xml"), compress_to_fp16=False)
    shutil.copy(base / "tokenizer.json", args.out / "tokenizer.json")
    config: dict[str, object] = {
        "name": NAME,
        "version": version,
        "max_len": MAX_LEN,
        "pooling": "mean-l2",
        "dim": 384,
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    from unspin.encoder.similarity import SentenceEncoder
    from unspin.options import RunOptions

    reference = torch_embeddings(model, FIDELITY_SENTENCES)
    results = {}
    for precision in ("f32", "auto"):
        exported = SentenceEncoder(args.out, options=RunOptions(precision=precision))
        cos = np.sum(exported.encode(FIDELITY_SENTENCES) * reference, axis=1)
        results[exported.precision] = (float(cos.min()), float(cos.mean()))
    config["fidelity"] = {
        "sentences": len(FIDELITY_SENTENCES),
        **{f"min_cosine_{p}": round(v[0], 4) for p, v in results.items()},
        **{f"mean_cosine_{p}": round(v[1], 4) for p, v in results.items()},
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    mb = sum(p.stat().st_size for p in args.out.iterdir() if p.name != "MODEL_CARD.md") / 1e6
    lines = [f"| {p} | {v[0]:.4f} | {v[1]:.4f} |" for p, v in results.items()]
    weights = {
        "int8": "int8 weights",
        "int4emb": "int4 word embeddings, int8 elsewhere",
        "int4": "int4 weights in groups of 32 (position and type embeddings int8)",
    }[args.weights]
    card = f"""# Similarity model: {NAME} {version} ({weights}, OpenVINO IR)

What it is: the original [sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2)
sentence encoder (6 layers, 384 dimensions), unchanged: *not* unspin's fine-tuned technique encoder.
unspin uses it to find known claims by meaning (`unspin claims search --mode dense|hybrid`).

- Licence: Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2).
- Graph: `input_ids`, `attention_mask` [batch, length] → `embedding` [batch, 384], the mean of the token
  states over the mask, L2-normalized, inside the graph. Inputs are cut at {MAX_LEN} tokens.
- Weights: {weights} (nncf `compress_weights`); compute in bf16 where the CPU has it, else f32.
- Size: {mb:.1f} MB (model.xml + model.bin + tokenizer.json + config.json).
- Exported with `python -m unspin.train.similarity_export`.

Fidelity: cosine between this model's embeddings and PyTorch's (fp32, same pooling) on
{len(FIDELITY_SENTENCES)} sentences:

| precision | min cosine | mean cosine |
|---|---|---|
{chr(10).join(lines)}
"""
    (args.out / "MODEL_CARD.md").write_text(card)
    log("exported", out=str(args.out), mb=round(mb, 1), fidelity=config["fidelity"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
