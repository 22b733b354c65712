"""Train the technique tagger: MiniLM-L6 + a multi-label token head over the 23 SemEval-2023 techniques.

Usage: python -m unspin.train.techniques --out build/techniques [--epochs 4] [--smoke]

Articles are tokenized whole and cut into overlapping 256-token windows (the same windows the runtime uses);
each token is labelled with every technique whose gold span it overlaps. After each epoch the held-out
articles are decoded exactly as at run time, per-technique thresholds are tuned on paragraph F1, and the
best epoch is kept.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from unspin.data import semeval2023 as sd
from unspin.evaluate.semeval2023 import score
from unspin.model import decode
from unspin.model.windows import Tokens, load_tokenizer, make_windows, merge_windows, tokenize
from unspin.taxonomy import TECHNIQUES
from unspin.train.common import base_model_dir, log, seed_everything

SEED = 13
MAX_LEN = 256
TRAIN_STRIDE = 128
INFER_STRIDE = 192


class TechniqueTagger(nn.Module):
    """Encoder + token head. ``forward`` returns logits [batch, length, techniques]."""

    def __init__(self, encoder: nn.Module, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


def token_labels(article: sd.Article, tokens: Tokens) -> np.ndarray:
    """[n_tokens, K] 0/1: token overlaps a gold span of that technique."""
    index = {t: i for i, t in enumerate(TECHNIQUES)}
    y = np.zeros((len(tokens), len(TECHNIQUES)), dtype=np.float32)
    starts, ends = tokens.offsets[:, 0], tokens.offsets[:, 1]
    for span in article.spans:
        if span.technique not in index:
            continue
        sel = (starts < span.end) & (ends > span.start)
        y[sel, index[span.technique]] = 1.0
    return y


def build_train_windows(articles: list[sd.Article], tokenizer_path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tok = load_tokenizer(tokenizer_path)
    ids, masks, labels = [], [], []
    for art in articles:
        tokens = tokenize(tok, art.text)
        if not len(tokens):
            continue
        y = token_labels(art, tokens)
        win = make_windows(tokens, MAX_LEN, TRAIN_STRIDE, pad_to=MAX_LEN)
        for i, (s, ln) in enumerate(zip(win.starts, win.lengths, strict=True)):
            lab = np.full((MAX_LEN, len(TECHNIQUES)), -1.0, dtype=np.float32)  # -1: ignored (CLS/SEP/PAD)
            lab[1 : ln + 1] = y[s : s + ln]
            ids.append(win.input_ids[i])
            masks.append(win.attention_mask[i])
            labels.append(lab)
    return np.stack(ids), np.stack(masks), np.stack(labels)


@torch.no_grad()
def predict_article(model: nn.Module, tok: object, text: str, batch: int = 16) -> tuple[Tokens, np.ndarray]:
    tokens = tokenize(tok, text)  # type: ignore[arg-type]
    if not len(tokens):
        return tokens, np.zeros((0, len(TECHNIQUES)), dtype=np.float32)
    win = make_windows(tokens, MAX_LEN, INFER_STRIDE)
    outs = []
    for b in range(0, len(win.starts), batch):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(torch.from_numpy(win.input_ids[b : b + batch]), torch.from_numpy(win.attention_mask[b : b + batch]))
        outs.append(logits.float().numpy())
    merged = merge_windows(win, np.concatenate(outs), len(tokens))
    return tokens, decode.sigmoid(merged)


def evaluate_heldout(model: nn.Module, tokenizer_path: str, articles: list[sd.Article]) -> dict:
    """Decode held-out articles as the runtime does, tune thresholds, report metrics."""
    model.eval()
    tok = load_tokenizer(tokenizer_path)

    def predict(text: str) -> tuple[np.ndarray, np.ndarray]:
        tokens, probs = predict_article(model, tok, text)
        return tokens.offsets, probs

    return score(articles, predict, list(TECHNIQUES))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("build/techniques"))
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=6e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: no limit)")
    ap.add_argument("--smoke", action="store_true", help="a few articles, a few steps: checks the code runs")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args(argv)

    seed_everything(SEED)
    if args.threads:
        torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()
    tokenizer_path = str(base / "tokenizer.json")
    articles = sd.load_articles()
    train_arts, held_arts = sd.split(articles)
    if args.smoke:
        train_arts, held_arts = train_arts[:3], held_arts[:2]
        args.epochs, args.max_steps = 1, args.max_steps or 2
    log("data", train_articles=len(train_arts), heldout_articles=len(held_arts))

    ids, masks, labels = build_train_windows(train_arts, tokenizer_path)
    log("windows", n=len(ids))
    pos = (labels == 1).sum(axis=(0, 1))
    neg = (labels == 0).sum(axis=(0, 1))
    # Rare techniques get more weight per positive token, capped so they cannot swamp the loss.
    pos_weight = torch.tensor(np.clip(np.sqrt(neg / np.maximum(pos, 1)), 1.0, 10.0), dtype=torch.float32)

    encoder = AutoModel.from_pretrained(str(base))
    model = TechniqueTagger(encoder, len(TECHNIQUES))
    params = [
        {"params": model.encoder.parameters(), "lr": args.lr},
        {"params": model.head.parameters(), "lr": args.head_lr},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(ids) / args.batch)
    total = steps_per_epoch * args.epochs if not args.max_steps else min(args.max_steps, steps_per_epoch * args.epochs)
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
    rng = np.random.default_rng(SEED)
    best: dict | None = None
    step = 0
    history = []
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(ids))
        t0 = time.time()
        running = 0.0
        for b in range(0, len(order), args.batch):
            sel = order[b : b + args.batch]
            x, m, y = (torch.from_numpy(a[sel]) for a in (ids, masks, labels))
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(x, m)
            valid = (y >= 0).float()
            loss = (loss_fn(logits.float(), y.clamp(min=0)) * valid).sum() / valid.sum().clamp(min=1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 20 == 0:
                log("step", epoch=epoch, step=step, of=total, loss=round(running, 4), s_per_step=round((time.time() - t0) / (b // args.batch + 1), 2))
            if args.max_steps and step >= args.max_steps:
                break
        metrics = evaluate_heldout(model, tokenizer_path, held_arts)
        summary = {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)}
        log("heldout", epoch=epoch, **summary)
        history.append({"epoch": epoch, **summary})
        if best is None or metrics["paragraph_micro_f1"] > best["paragraph_micro_f1"]:
            best = {**metrics, "epoch": epoch}
            torch.save(model.state_dict(), args.out / "model.pt")
        if args.max_steps and step >= args.max_steps:
            break
    assert best is not None
    best["history"] = history
    best["config"] = {
        "seed": SEED, "max_len": MAX_LEN, "train_stride": TRAIN_STRIDE, "infer_stride": INFER_STRIDE,
        "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "head_lr": args.head_lr,
        "split_seed": sd.SPLIT_SEED, "heldout_fraction": sd.HELDOUT_FRACTION,
        "train_articles": len(train_arts), "heldout_articles": len(held_arts),
        "heldout_ids": [a.id for a in held_arts],
    }
    (args.out / "metrics.json").write_text(json.dumps(best, indent=2))
    log("done", best_epoch=best["epoch"], paragraph_micro_f1=round(best["paragraph_micro_f1"], 4))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
