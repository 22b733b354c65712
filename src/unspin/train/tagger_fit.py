"""Training runs of the technique tagger (token head + paragraph head, joint loss), resumable per epoch.

``prepare`` tokenizes every article of a run once into 256-token windows (stride 192) and, when only the
top ``train_layers`` layers train, computes the frozen bottom's states once (``cached``). ``fit`` trains on
some of those articles (a fold's training folds, or all of them for the final model). The encoder and
tokenizer are parameters (``encoders.EncoderSpec``); word embeddings are always frozen; forward passes run
under bf16 autocast on CPUs with native bf16 and in fp32 elsewhere (emulated bf16 was 2.5x slower here).

After each epoch the whole state (trainable weights, optimizer, schedule, random generators) goes to
``ckpt.pt`` and ``on_epoch(epoch, model)`` runs (cross-validation writes its out-of-fold predictions
there). A run that finds a checkpoint continues from it; ``is_done(epoch)`` tells whether that epoch's
product exists. The learning-rate schedule always spans ``epochs``; ``stop_after`` ends earlier on the same
schedule, so a final model stopped after the epoch cross-validation chose is the model it measured.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from unspin.data import semeval2023 as sd
from unspin.encoder.windows import load_tokenizer, make_windows, merge_windows, tokenize
from unspin.heads.base import sigmoid
from unspin.taxonomy import TECHNIQUES
from unspin.train import cached, encoders
from unspin.train.common import log, seed_everything
from unspin.train.techniques import MAX_LEN, TechniqueTagger, TrainSet, build_train_set, positive_weight

CKPT = "ckpt.pt"


@dataclass(frozen=True)
class FitConfig:
    epochs: int = 2  # length of the learning-rate schedule
    stop_after: int = 0  # stop after this many epochs (0: all)
    train_layers: int = 2  # top encoder layers that train (the rest and the embeddings are frozen)
    batch: int = 16
    lr: float = 1e-4
    head_lr: float = 1e-3
    paragraph_weight: float = 1.0
    stride: int = 192
    seed: int = 13
    bf16: bool | None = None  # None: bf16 autocast where the CPU computes bf16 natively, fp32 elsewhere
    max_steps: int = 0  # per epoch, smoke runs only (0: no limit)


def native_bf16() -> bool:
    """Whether the CPU has bf16 instructions (AVX512-BF16 or AMX). Without them oneDNN emulates bf16:
    measured here (AVX512 without BF16) a training step of e5-small took 2.5x as long as in fp32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def make_model(spec: encoders.EncoderSpec, seed: int, train_layers: int = 0) -> TechniqueTagger:
    encoder = encoders.load_encoder(spec, seed)
    frozen = encoders.freeze_word_embeddings(encoder)
    if 0 < train_layers < cached.n_layers(encoder):
        cached.freeze_below(encoder, cached.n_layers(encoder) - train_layers)
    model = TechniqueTagger(encoder, len(TECHNIQUES))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log("model", encoder=spec.name, word_embeddings_frozen=frozen, trainable=trainable)
    return model


@dataclass
class RunData:
    """Every window of a run's articles, the rows of each article, and the frozen bottom's states."""

    spec: encoders.EncoderSpec
    data: TrainSet
    rows: dict[str, np.ndarray]  # article key -> its window rows, in order
    split: int  # first trained layer (== number of layers: full fine-tuning, no cache)
    bottom: np.ndarray | None  # fp16 [windows, length, hidden]


def prepare(
    spec: encoders.EncoderSpec, articles: list[sd.Article], cfg: FitConfig, cache_dir: Path
) -> RunData:
    keys = {a.id: a.key for a in articles}
    if len(keys) != len(articles):
        raise ValueError("article ids repeat across languages: windows could not be told apart")
    data = build_train_set(articles, str(spec.tokenizer), stride=cfg.stride, specials=spec.specials)
    owners = np.asarray([keys[o] for o in data.owners])
    rows = {key: np.flatnonzero(owners == key) for key in dict.fromkeys(owners.tolist())}
    log("windows", run=spec.name, n=len(data.ids), articles=len(articles))
    encoder = make_model(spec, cfg.seed).encoder
    layers = cached.n_layers(encoder)
    split = layers - cfg.train_layers if 0 < cfg.train_layers < layers else layers
    bottom = None
    if split < layers:
        cache_dir.mkdir(parents=True, exist_ok=True)
        bottom = cached.bottom_cache(encoder, data.ids, data.masks, split, cache_dir / f"bottom{split}.npy")
    return RunData(spec, data, rows, split, bottom)


def encode(model: TechniqueTagger, run: RunData, sel: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """(token logits, last hidden states) of windows ``sel``: from the cache through the top layers, or
    the whole encoder without a cache."""
    m = torch.from_numpy(run.data.masks[sel])
    if run.bottom is None:
        return model(torch.from_numpy(run.data.ids[sel]), m)
    h = torch.from_numpy(np.asarray(run.bottom[sel], dtype=np.float32))
    hidden = cached.top(model.encoder, h, m, run.split)
    return model.head(model.dropout(hidden)), hidden


@torch.no_grad()
def predict(
    model: TechniqueTagger, run: RunData, art: sd.Article, bf16: bool = False
) -> tuple[np.ndarray, ...]:
    """(offsets, token probabilities, merged hidden states) of an article, windows as at run time (stride
    192; the training windows are those same windows when the training stride is 192)."""
    tokens = tokenize(_tokenizer(run.spec.tokenizer), art.text)
    k = len(TECHNIQUES)
    if not len(tokens):
        return tokens.offsets, np.zeros((0, k), np.float32), np.zeros((0, model.head.in_features), np.float32)
    win = make_windows(tokens, MAX_LEN, 192, pad_to=MAX_LEN, **run.spec.specials)
    sel = run.rows[art.key]
    if not np.array_equal(run.data.ids[sel], win.input_ids):
        raise ValueError(
            f"{art.key}: cached windows differ from the runtime windows (training stride != 192?)"
        )
    model.eval()
    logits, hidden = [], []
    for b in range(0, len(sel), 16):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            lo, hi = encode(model, run, sel[b : b + 16])
        logits.append(lo.float().numpy())
        hidden.append(hi.float().numpy())
    probs = sigmoid(merge_windows(win, np.concatenate(logits), len(tokens)))
    return tokens.offsets, probs, merge_windows(win, np.concatenate(hidden), len(tokens))


_TOKENIZERS: dict[Path, object] = {}


def _tokenizer(path: Path):  # type: ignore[no-untyped-def]
    if path not in _TOKENIZERS:
        _TOKENIZERS[path] = load_tokenizer(str(path))
    return _TOKENIZERS[path]


def fit(
    run: RunData,
    keys: list[str],
    out: Path,
    cfg: FitConfig,
    on_epoch: Callable[[int, TechniqueTagger], None] | None = None,
    is_done: Callable[[int], bool] | None = None,
) -> TechniqueTagger:
    """Train on the windows of articles ``keys``."""
    out.mkdir(parents=True, exist_ok=True)
    seed_everything(cfg.seed)
    last = cfg.stop_after or cfg.epochs
    bf16 = native_bf16() if cfg.bf16 is None else cfg.bf16
    model = make_model(run.spec, cfg.seed, cfg.train_layers)
    rows = np.concatenate([run.rows[k] for k in keys if k in run.rows])
    data = run.data
    labels = data.labels[rows]
    tok_pw = positive_weight((labels == 1).sum(axis=(0, 1)), (labels == 0).sum(axis=(0, 1)))
    piece_y = np.stack([y for i in rows for _, _, y in data.pieces[i]])
    par_pw = positive_weight(piece_y.sum(0), (1 - piece_y).sum(0))
    del labels
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    body = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": cfg.lr}, {"params": heads, "lr": cfg.head_lr}], weight_decay=0.01
    )
    steps_per_epoch = math.ceil(len(rows) / cfg.batch)
    if cfg.max_steps:
        steps_per_epoch = min(steps_per_epoch, cfg.max_steps)
    total = steps_per_epoch * cfg.epochs
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    rng = np.random.default_rng(cfg.seed)
    done = 0
    if (out / CKPT).exists():
        state = torch.load(out / CKPT, map_location="cpu", weights_only=False)
        if {**state["config"], "stop_after": 0} != {**asdict(cfg), "stop_after": 0}:
            raise SystemExit(f"{out / CKPT} was written with another configuration: remove it to start over")
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        done = int(state["epoch"])
        log("resumed", out=str(out), epoch=done)
        if on_epoch is not None and not (is_done and is_done(done)):
            on_epoch(done, model)
    log(
        "fit",
        out=str(out),
        windows=len(rows),
        steps_per_epoch=steps_per_epoch,
        bf16=bf16,
        first_epoch=done + 1,
    )
    tok_loss = nn.BCEWithLogitsLoss(pos_weight=tok_pw, reduction="none")
    par_loss = nn.BCEWithLogitsLoss(pos_weight=par_pw)
    for epoch in range(done + 1, last + 1):
        model.train()
        order = rows[rng.permutation(len(rows))][: steps_per_epoch * cfg.batch]
        t0, running = time.time(), 0.0
        for step, b in enumerate(range(0, len(order), cfg.batch), start=1):
            sel = np.sort(order[b : b + cfg.batch])  # sorted: the memory-mapped cache reads forward
            y = torch.from_numpy(data.labels[sel])
            pieces = [(w, s, e) for w, i in enumerate(sel) for s, e, _ in data.pieces[i]]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits, hidden = encode(model, run, sel)
                plogits = model.paragraph_logits(hidden, pieces) if pieces else None
            valid = (y >= 0).float()
            loss = (tok_loss(logits.float(), y.clamp(min=0)) * valid).sum() / valid.sum().clamp(min=1)
            if plogits is not None:
                py = torch.from_numpy(np.stack([lab for i in sel for _, _, lab in data.pieces[i]]))
                loss = loss + cfg.paragraph_weight * par_loss(plogits.float(), py)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + heads, 1.0)
            opt.step()
            sched.step()
            running = loss.item() if step == 1 else 0.98 * running + 0.02 * loss.item()
            if step % 25 == 0 or step == steps_per_epoch:
                per_step = (time.time() - t0) / step
                log(
                    "step",
                    run=str(out),
                    epoch=epoch,
                    step=step,
                    of=steps_per_epoch,
                    loss=round(running, 4),
                    s_per_step=round(per_step, 2),
                    eta_min=round(per_step * (steps_per_epoch - step) / 60, 1),
                )
        save_checkpoint(out, model, opt, sched, rng, epoch, cfg)
        log("epoch", run=str(out), epoch=epoch, minutes=round((time.time() - t0) / 60, 1))
        if on_epoch is not None:
            on_epoch(epoch, model)
    return model


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The weights training changes (heads, top layers): checkpoints skip the frozen ones (they are the
    base encoder's, loaded again on resume)."""
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: v for k, v in model.state_dict().items() if k in names}


def save_checkpoint(
    out: Path,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    sched: torch.optim.lr_scheduler.LRScheduler,
    rng: np.random.Generator,
    epoch: int,
    cfg: FitConfig,
) -> None:
    """Everything needed to continue, written atomically (a kill mid-write leaves the previous one)."""
    tmp = out / (CKPT + ".tmp")
    torch.save(
        {
            "epoch": epoch,
            "model": trainable_state(model),
            "opt": opt.state_dict(),
            "sched": sched.state_dict(),
            "rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "config": asdict(cfg),
        },
        tmp,
    )
    os.replace(tmp, out / CKPT)
