"""Prune e5's 250,002-piece vocabulary to the pieces unspin's languages use.

Usage: python -m unspin.train.prune_vocab [--model build/e5-small] [--out build/e5-pruned]

Kept: the four specials, every single-character piece (any text still tokenizes: a word whose pieces were
dropped falls back to shorter pieces, down to characters, never to a crash), and every piece the full
tokenizer produces on the text of ../shared/data (SemEval-2023 six languages, SemEval-2025 five,
EUvsDisinfo, CheckThat!) except a fixed ~10% of documents held out (``corpus.held_out``). On those
held-out documents the pruned and full tokenizers are compared piece by piece, per language.

Ids are remapped in one order-preserving pass (specials keep 0-3), in the embedding matrix and in
tokenizer.json alike; the mapping (new id -> original id) is saved as ``pruned_ids.npy``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from unspin.encoder.windows import load_tokenizer
from unspin.train import corpus
from unspin.train.common import log

N_SPECIAL = 4
EMBEDDING = "embeddings.word_embeddings.weight"


def used_pieces(tok: Tokenizer, texts: list[str], batch: int = 256) -> set[int]:
    used: set[int] = set()
    for i in range(0, len(texts), batch):
        for enc in tok.encode_batch(texts[i : i + batch], add_special_tokens=False):
            used.update(enc.ids)
    return used


def keep_ids(tok_json: dict[str, Any], used: set[int]) -> np.ndarray:
    """Sorted original ids to keep: specials, single characters, and ``used``."""
    vocab = tok_json["model"]["vocab"]
    single = {i for i, (piece, _) in enumerate(vocab) if len(piece) == 1}
    return np.asarray(sorted(set(range(N_SPECIAL)) | single | used), dtype=np.int64)


def pruned_tokenizer_json(tok_json: dict[str, Any], keep: np.ndarray) -> dict[str, Any]:
    out = json.loads(json.dumps(tok_json))
    vocab = tok_json["model"]["vocab"]
    out["model"]["vocab"] = [vocab[i] for i in keep]
    out["model"]["unk_id"] = int(np.flatnonzero(keep == tok_json["model"]["unk_id"])[0])
    new_id = {int(old): new for new, old in enumerate(keep)}
    for added in out.get("added_tokens", []):
        added["id"] = new_id[added["id"]]
    for spec in (out.get("post_processor") or {}).get("special_tokens", {}).values():
        spec["ids"] = [new_id[i] for i in spec["ids"]]
    return out


def compare(full: Tokenizer, pruned: Tokenizer, docs: list[corpus.Text]) -> dict[str, dict[str, float]]:
    """Per language: share of held-out documents and paragraphs whose pieces are identical, share of the
    full reading's pieces the pruned reading keeps (in order), and pieces per 100 full-vocabulary pieces
    (how much longer the pruned reading is)."""
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for doc in docs:
        s = stats[doc.lang]
        paragraphs = [p for p in doc.text.split("\n") if p.strip()]
        a_doc, b_doc = (t.encode(doc.text, add_special_tokens=False).tokens for t in (full, pruned))
        s["documents"] += 1
        s["documents_identical"] += a_doc == b_doc
        s["pieces_full"] += len(a_doc)
        s["pieces_pruned"] += len(b_doc)
        for enc_a, enc_b in zip(
            full.encode_batch(paragraphs, add_special_tokens=False),
            pruned.encode_batch(paragraphs, add_special_tokens=False),
            strict=True,
        ):
            s["paragraphs"] += 1
            s["paragraphs_identical"] += enc_a.tokens == enc_b.tokens
            # pieces of the full reading that the pruned one keeps, in order
            matcher = SequenceMatcher(None, enc_a.tokens, enc_b.tokens, autojunk=False)
            s["pieces_matched"] += sum(block.size for block in matcher.get_matching_blocks())
            s["paragraph_pieces"] += len(enc_a.tokens)
    out = {}
    for lang, s in sorted(stats.items()):
        out[lang] = {
            "documents": int(s["documents"]),
            "documents_identical_pct": round(100 * s["documents_identical"] / s["documents"], 2),
            "paragraphs": int(s["paragraphs"]),
            "paragraphs_identical_pct": round(100 * s["paragraphs_identical"] / max(1, s["paragraphs"]), 2),
            "pieces_identical_pct": round(100 * s["pieces_matched"] / max(1, s["paragraph_pieces"]), 2),
            "pieces_per_100_full": round(100 * s["pieces_pruned"] / max(1, s["pieces_full"]), 2),
        }
    return out


def prune(model: Path, out: Path, held_percent: int = 10) -> dict[str, Any]:
    tok_json = json.loads((model / "tokenizer.json").read_text(encoding="utf-8"))
    full = load_tokenizer(str(model / "tokenizer.json"))
    docs = list(corpus.iter_texts())
    train_docs = [d for d in docs if not corpus.held_out(d, held_percent)]
    held_docs = [d for d in docs if corpus.held_out(d, held_percent)]
    keep = keep_ids(tok_json, used_pieces(full, [d.text for d in train_docs]))
    log("pruned", kept=len(keep), of=len(tok_json["model"]["vocab"]))

    out.mkdir(parents=True, exist_ok=True)
    for name in ("conversion.json",):
        if (model / name).exists():
            shutil.copy(model / name, out / name)
    new_json = pruned_tokenizer_json(tok_json, keep)
    (out / "tokenizer.json").write_text(json.dumps(new_json, ensure_ascii=False), encoding="utf-8")
    weights = load_file(str(model / "model.safetensors"))
    weights[EMBEDDING] = weights[EMBEDDING][keep].clone()
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    config = json.loads((model / "config.json").read_text())
    config["vocab_size"] = len(keep)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    np.save(out / "pruned_ids.npy", keep)

    pruned = load_tokenizer(str(out / "tokenizer.json"))
    report = {
        "pieces_full": len(tok_json["model"]["vocab"]),
        "pieces_kept": len(keep),
        "single_characters": sum(1 for p, _ in tok_json["model"]["vocab"] if len(p) == 1),
        "train_documents": len(train_docs),
        "held_out_documents": len(held_docs),
        "held_out": compare(full, pruned, held_docs),
        "parameters": {k: int(v.numel()) for k, v in weights.items() if k == EMBEDDING}
        | {"encoder": int(sum(v.numel() for k, v in weights.items() if k != EMBEDDING))},
    }
    (out / "pruning.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=Path("build/e5-small"))
    ap.add_argument("--out", type=Path, default=Path("build/e5-pruned"))
    ap.add_argument("--held-out", type=int, default=10, help="percent of documents held out for the check")
    args = ap.parse_args(argv)
    report = prune(args.model, args.out, args.held_out)
    for lang, row in report["held_out"].items():
        log("held-out", lang=lang, **row)
    log("done", out=str(args.out), pieces=report["pieces_kept"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
