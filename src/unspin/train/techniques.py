"""Train the technique tagger: MiniLM-L6 + a multi-label token head + a paragraph head, 23 techniques.

Usage: python -m unspin.train.techniques --out build/techniques [--epochs 3] [--smoke]

Articles are tokenized whole and cut into overlapping 256-token windows (the same windows the runtime uses);
each token is labelled with every technique whose gold span it overlaps, and each paragraph piece inside a
window with every technique of the gold spans it overlaps. Both heads read the same hidden states. After each
epoch the held-out articles are decoded exactly as at run time, per-technique thresholds are tuned, and the
best epoch is kept.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from unspin.data import semeval2023 as sd
from unspin.document import Segment
from unspin.encoder.encoded import segment_index
from unspin.encoder.windows import Tokens, load_tokenizer, make_windows, merge_windows, tokenize
from unspin.evaluate.semeval2023 import score
from unspin.heads.base import Linear, sigmoid
from unspin.taxonomy import TECHNIQUES
from unspin.train import checkworthy
from unspin.train.common import base_model_dir, log, seed_everything

SEED = 13
MAX_LEN = 256
TRAIN_STRIDE = 128
INFER_STRIDE = 192
CPU = torch.device("cpu")


class TechniqueTagger(nn.Module):
    """Encoder + token head (+ paragraph head over [mean, max]-pooled paragraph states).

    ``forward`` returns (token logits [batch, length, techniques], hidden states [batch, length, hidden]):
    the exported graph has exactly these two outputs; the paragraph head runs outside it (numpy).
    """

    def __init__(
        self,
        encoder: nn.Module,
        n_labels: int,
        dropout: float = 0.1,
        n_doc_labels: int = 0,
        n_role_labels: int = 0,
        claims: bool = False,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        hidden = encoder.config.hidden_size
        self.head = nn.Linear(hidden, n_labels)
        self.paragraph_head = nn.Linear(2 * hidden, n_labels)
        # Auxiliary document labels (narratives, genre, frames) seen per window during training only: they
        # teach the shared encoder what articles are about, for the heads trained on it afterwards.
        self.doc_head = nn.Linear(2 * hidden, n_doc_labels) if n_doc_labels else None
        # Auxiliary entity roles (main role, fine roles) from [mention, sentence] mean states.
        self.role_head = nn.Linear(2 * hidden, n_role_labels) if n_role_labels else None
        # Check-worthiness of a sentence from its [mean, max]-pooled token states (train/checkworthy.py);
        # runs outside the graph at run time, like the paragraph head.
        self.claim_head = nn.Linear(2 * hidden, 1) if claims else None

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden)), hidden

    def paragraph_logits(self, hidden: torch.Tensor, pieces: list[tuple[int, int, int]]) -> torch.Tensor:
        """Logits for paragraph pieces (window, first token, end token) of a batch."""
        pooled = torch.stack(
            [torch.cat([hidden[w, s:e].mean(0), hidden[w, s:e].max(0).values]) for w, s, e in pieces]
        )
        return self.paragraph_head(self.dropout(pooled))

    def doc_logits(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits of the auxiliary document labels from each window's [mean, max]-pooled states."""
        assert self.doc_head is not None
        return self.doc_head(self.dropout(mean_max(hidden, mask)))

    def claim_logits(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, content: torch.Tensor
    ) -> torch.Tensor:
        """Check-worthiness logits [batch] of single sentences; ``content`` masks [CLS]/[SEP]/padding out."""
        assert self.claim_head is not None
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.claim_head(self.dropout(mean_max(hidden, content))).squeeze(-1)

    def role_logits(
        self, hidden: torch.Tensor, mentions: list[tuple[int, int, int, int, int]]
    ) -> torch.Tensor:
        """Logits of mentions (window, first, end, sentence first, sentence end) of a batch."""
        assert self.role_head is not None
        pooled = torch.stack(
            [torch.cat([hidden[w, s:e].mean(0), hidden[w, a:b].mean(0)]) for w, s, e, a, b in mentions]
        )
        return self.role_head(self.dropout(pooled))

    def export_paragraph_head(self) -> Linear:
        w = self.paragraph_head.weight.detach().float().cpu().numpy().T.copy()
        return Linear(TECHNIQUES, w, self.paragraph_head.bias.detach().float().cpu().numpy().copy())


def mean_max(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """[mean, max] of the states where mask is 1, per row: [batch, 2 * hidden]."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
    mx = hidden.masked_fill(m == 0, -1e4).max(1).values
    return torch.cat([mean, mx], dim=-1)


@dataclass
class TrainSet:
    ids: np.ndarray  # [n, L]
    masks: np.ndarray  # [n, L]
    labels: np.ndarray  # [n, L, K]; -1 where ignored (CLS/SEP/PAD)
    pieces: list[
        list[tuple[int, int, np.ndarray]]
    ]  # per window: (first, end, label vector) in window positions
    owners: list[str] = field(default_factory=list)  # article id of each window
    doc_y: np.ndarray | None = None  # [n, A] auxiliary document labels of each window's article
    doc_mask: np.ndarray | None = None  # [n, A] 1 where the article has that label group
    # per window: (first, end, sentence first, sentence end, main role index, fine-role vector)
    mentions: list[list[tuple[int, int, int, int, int, np.ndarray]]] = field(default_factory=list)


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


def build_train_set(
    articles: list[sd.Article],
    tokenizer_path: str,
    *,
    stride: int = TRAIN_STRIDE,
    specials: dict[str, int] | None = None,
) -> TrainSet:
    """Training windows of ``articles``; ``specials`` (cls_id, sep_id, pad_id) for a non-BERT vocabulary."""
    tok = load_tokenizer(tokenizer_path)
    ids, masks, labels, pieces, owners = [], [], [], [], []
    for art in articles:
        tokens = tokenize(tok, art.text)
        if not len(tokens):
            continue
        y = token_labels(art, tokens)
        tok_par = segment_index(tokens.offsets, [Segment(s, e) for _, s, e in sd.iter_paragraphs(art)])
        win = make_windows(tokens, MAX_LEN, stride, pad_to=MAX_LEN, **(specials or {}))
        for i, (s, ln) in enumerate(zip(win.starts, win.lengths, strict=True)):
            lab = np.full((MAX_LEN, len(TECHNIQUES)), -1.0, dtype=np.float32)
            lab[1 : ln + 1] = y[s : s + ln]
            ids.append(win.input_ids[i])
            owners.append(art.id)
            masks.append(win.attention_mask[i])
            labels.append(lab)
            # Paragraph pieces in this window; a piece's labels are the techniques its tokens carry.
            win_pieces = []
            par = tok_par[s : s + ln]
            for p in np.unique(par[par >= 0]):
                where = np.flatnonzero(par == p)
                first, last = int(where[0]), int(where[-1])
                win_pieces.append((first + 1, last + 2, y[s + first : s + last + 1].max(axis=0)))
            pieces.append(win_pieces)
    return TrainSet(np.stack(ids), np.stack(masks), np.stack(labels), pieces, owners)


@torch.no_grad()
def predict_article(
    model: TechniqueTagger,
    tok: Any,
    text: str,
    batch: int = 16,
    device: torch.device = CPU,
    specials: dict[str, int] | None = None,
    bf16: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offsets, token probabilities, merged hidden states), windows as at run time."""
    tokens = tokenize(tok, text)
    k = len(TECHNIQUES)
    if not len(tokens):
        return tokens.offsets, np.zeros((0, k), np.float32), np.zeros((0, model.head.in_features), np.float32)
    win = make_windows(tokens, MAX_LEN, INFER_STRIDE, **(specials or {}))
    logits_out, hidden_out = [], []
    for b in range(0, len(win.starts), batch):
        x, m = (
            torch.from_numpy(win.input_ids[b : b + batch]).to(device),
            torch.from_numpy(win.attention_mask[b : b + batch]).to(device),
        )
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            logits, hidden = model(x, m)
        logits_out.append(logits.float().cpu().numpy())
        hidden_out.append(hidden.float().cpu().numpy())
    probs = sigmoid(merge_windows(win, np.concatenate(logits_out), len(tokens)))
    hidden = merge_windows(win, np.concatenate(hidden_out), len(tokens))
    return tokens.offsets, probs, hidden


def evaluate_heldout(
    model: TechniqueTagger,
    tokenizer_path: str,
    articles: list[sd.Article],
    clause_labels: frozenset[int] = frozenset(),
    device: torch.device = CPU,
) -> dict[str, Any]:
    """Decode held-out articles as the runtime does, tune the decoder, report metrics."""
    model.eval()
    tok = load_tokenizer(tokenizer_path)
    return score(
        articles,
        lambda text: predict_article(model, tok, text, device=device),
        list(TECHNIQUES),
        paragraph_head=model.export_paragraph_head(),
        clause_labels=clause_labels,
    )


def positive_weight(pos: np.ndarray, neg: np.ndarray) -> torch.Tensor:
    # Rare techniques get more weight per positive, capped so they cannot swamp the loss.
    return torch.tensor(np.clip(np.sqrt(neg / np.maximum(pos, 1)), 1.0, 10.0), dtype=torch.float32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("build/techniques"))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=6e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--paragraph-weight", type=float, default=1.0, help="weight of the paragraph loss")
    ap.add_argument(
        "--auxiliary",
        type=float,
        default=0.0,
        help="weight of the auxiliary document loss (narratives, genre, frames); 0 disables it",
    )
    ap.add_argument(
        "--checkworthy",
        type=float,
        default=0.0,
        help="weight of the check-worthiness loss (CheckThat! 2024 sentences); 0 disables it",
    )
    ap.add_argument("--claim-batch", type=int, default=32, help="check-worthiness sentences per step")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--device", default="cpu", help="torch device: cpu (make train) or cuda")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: no limit)")
    ap.add_argument("--smoke", action="store_true", help="a few articles, a few steps: checks the code runs")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args(argv)

    seed_everything(args.seed)
    device = torch.device(args.device)
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
    clause_labels = frozenset(TECHNIQUES.index(t) for t in sd.clause_techniques(train_arts))

    data = build_train_set(train_arts, tokenizer_path)
    doc_labels: list[str] = []
    if args.auxiliary:
        from unspin.train import auxiliary

        data, doc_labels = auxiliary.extend(data, train_arts, tokenizer_path, smoke=args.smoke)
        log("auxiliary", windows=len(data.ids), labels=len(doc_labels))
    log("windows", n=len(data.ids), pieces=sum(len(p) for p in data.pieces))
    tok_pw = positive_weight((data.labels == 1).sum(axis=(0, 1)), (data.labels == 0).sum(axis=(0, 1)))
    piece_y = np.stack([y for ps in data.pieces for _, _, y in ps])
    par_pw = positive_weight(piece_y.sum(0), (1 - piece_y).sum(0))

    n_roles = 0
    if data.mentions and any(data.mentions):
        n_roles = len(next(m for ms in data.mentions for m in ms)[5]) + 3
    claim_sets = None
    if args.checkworthy:
        limit = 64 if args.smoke else 0
        claim_sets = tuple(checkworthy.build(s, tokenizer_path, limit) for s in ("train", "dev", "dev-test"))
        log("checkworthy", sentences=[len(c) for c in claim_sets])
    model = TechniqueTagger(
        # float32 master weights whatever the stored dtype (a base carried as fp16, say)
        AutoModel.from_pretrained(str(base)).float(),
        len(TECHNIQUES),
        n_doc_labels=len(doc_labels),
        n_role_labels=n_roles,
        claims=claim_sets is not None,
    ).to(device)
    heads = list(model.head.parameters()) + list(model.paragraph_head.parameters())
    if model.doc_head is not None:
        heads += list(model.doc_head.parameters())
    if model.role_head is not None:
        heads += list(model.role_head.parameters())
    if model.claim_head is not None:
        heads += list(model.claim_head.parameters())
    opt = torch.optim.AdamW(
        [{"params": model.encoder.parameters(), "lr": args.lr}, {"params": heads, "lr": args.head_lr}],
        weight_decay=0.01,
    )
    steps_per_epoch = math.ceil(len(data.ids) / args.batch)
    total = steps_per_epoch * args.epochs
    if args.max_steps:
        total = min(total, args.max_steps)
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    tok_loss = nn.BCEWithLogitsLoss(pos_weight=tok_pw.to(device), reduction="none")
    par_loss = nn.BCEWithLogitsLoss(pos_weight=par_pw.to(device))
    rng = np.random.default_rng(args.seed)
    claim_batches = (
        checkworthy.endless_batches(claim_sets[0], args.claim_batch, np.random.default_rng(args.seed + 1))
        if claim_sets is not None
        else None
    )
    best: dict[str, Any] | None = None
    step, history, running = 0, [], 0.0
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(data.ids))
        t0 = time.time()
        for b in range(0, len(order), args.batch):
            sel = order[b : b + args.batch]
            x, m, y = (torch.from_numpy(a[sel]).to(device) for a in (data.ids, data.masks, data.labels))
            pieces = [(w, s, e) for w, i in enumerate(sel) for s, e, _ in data.pieces[i]]
            with torch.autocast(device.type, dtype=torch.bfloat16):
                logits, hidden = model(x, m)
                plogits = model.paragraph_logits(hidden, pieces) if pieces else None
                dlogits = model.doc_logits(hidden, m) if model.doc_head is not None else None
                ments = [
                    (w, *mm[:4])
                    for w, i in enumerate(sel)
                    for mm in (data.mentions[i] if data.mentions else [])
                ]
                rlogits = model.role_logits(hidden, ments) if ments and model.role_head is not None else None
                if claim_sets is not None and claim_batches is not None:
                    cx, cm, cc, cy = (t.to(device) for t in claim_sets[0].batch(next(claim_batches)))
                    clogits = model.claim_logits(cx, cm, cc)
            valid = (y >= 0).float()
            loss = (tok_loss(logits.float(), y.clamp(min=0)) * valid).sum() / valid.sum().clamp(min=1)
            if plogits is not None:
                py = torch.from_numpy(np.stack([lab for i in sel for _, _, lab in data.pieces[i]])).to(device)
                loss = loss + args.paragraph_weight * par_loss(plogits.float(), py)
            if dlogits is not None and data.doc_y is not None and data.doc_mask is not None:
                dy, dm = (
                    torch.from_numpy(data.doc_y[sel]).to(device),
                    torch.from_numpy(data.doc_mask[sel]).to(device),
                )
                dl = nn.functional.binary_cross_entropy_with_logits(dlogits.float(), dy, reduction="none")
                loss = loss + args.auxiliary * (dl * dm).sum() / dm.sum().clamp(min=1)
            if rlogits is not None:
                rl = rlogits.float()
                main = torch.tensor([mm[4] for i in sel for mm in data.mentions[i]]).to(device)
                fine = torch.from_numpy(np.stack([mm[5] for i in sel for mm in data.mentions[i]])).to(device)
                role_loss = nn.functional.cross_entropy(rl[:, :3], main)
                role_loss = role_loss + nn.functional.binary_cross_entropy_with_logits(rl[:, 3:], fine)
                loss = loss + args.auxiliary * role_loss
            if claim_sets is not None:
                loss = loss + args.checkworthy * nn.functional.binary_cross_entropy_with_logits(
                    clogits.float(), cy
                )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 20 == 0:
                per_step = (time.time() - t0) / (b // args.batch + 1)
                log(
                    "step",
                    epoch=epoch,
                    step=step,
                    of=total,
                    loss=round(running, 4),
                    s_per_step=round(per_step, 2),
                )
            if args.max_steps and step >= args.max_steps:
                break
        metrics = evaluate_heldout(model, tokenizer_path, held_arts, clause_labels, device)
        if claim_sets is not None:
            metrics.update(checkworthy.evaluate(model.claim_logits, claim_sets[1], claim_sets[2], device))
        summary = {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)}
        log("heldout", epoch=epoch, mix=metrics["mix"], **summary)
        history.append({"epoch": epoch, "mix": metrics["mix"], **summary})
        if best is None or metrics["paragraph_micro_f1"] > best["paragraph_micro_f1"]:
            best = {**metrics, "epoch": epoch}
            torch.save(model.state_dict(), args.out / "model.pt")
        if args.max_steps and step >= args.max_steps:
            break
    assert best is not None
    best["history"] = history
    best["config"] = {
        "seed": args.seed,
        "device": str(device),
        "checkworthy": args.checkworthy,
        "claim_batch": args.claim_batch,
        "max_len": MAX_LEN,
        "train_stride": TRAIN_STRIDE,
        "infer_stride": INFER_STRIDE,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "paragraph_weight": args.paragraph_weight,
        "auxiliary": args.auxiliary,
        "auxiliary_labels": doc_labels,
        "split_seed": sd.SPLIT_SEED,
        "heldout_fraction": sd.HELDOUT_FRACTION,
        "train_articles": len(train_arts),
        "heldout_articles": len(held_arts),
        "heldout_ids": [a.id for a in held_arts],
    }
    (args.out / "metrics.json").write_text(json.dumps(best, indent=2))
    log("done", best_epoch=best["epoch"], paragraph_micro_f1=round(best["paragraph_micro_f1"], 4))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
