"""One training run of the technique tagger (token head + paragraph head, joint loss) on a set of articles,
resumable at epoch boundaries.

The encoder and tokenizer are parameters (``encoders.EncoderSpec``); word embeddings are frozen; forward
passes run under bf16 autocast on CPUs with native bf16 and in fp32 elsewhere (emulated bf16 was 2.5x
slower here); windows are 256 tokens at stride 192. After each
epoch the whole state (model, optimizer, schedule, random generators) goes to ``ckpt.pt`` and
``on_epoch(epoch, model)`` runs (cross-validation writes its out-of-fold predictions there). A run that finds
a checkpoint continues from it; an epoch whose product ``is_done(epoch)`` reports is never redone.
The learning-rate schedule always spans ``epochs``; ``stop_after`` ends earlier on the same schedule, so a
final model stopped after the epoch cross-validation chose is the model cross-validation measured.
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
from unspin.taxonomy import TECHNIQUES
from unspin.train import encoders
from unspin.train.common import log, seed_everything
from unspin.train.techniques import TechniqueTagger, build_train_set, positive_weight

CKPT = "ckpt.pt"


@dataclass(frozen=True)
class FitConfig:
    epochs: int = 3  # length of the learning-rate schedule
    stop_after: int = 0  # stop after this many epochs (0: all)
    batch: int = 16
    lr: float = 6e-5
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


def make_model(spec: encoders.EncoderSpec, seed: int) -> TechniqueTagger:
    encoder = encoders.load_encoder(spec, seed)
    frozen = encoders.freeze_word_embeddings(encoder)
    model = TechniqueTagger(encoder, len(TECHNIQUES))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log("model", encoder=spec.name, frozen=frozen, trainable=trainable)
    return model


def fit(
    spec: encoders.EncoderSpec,
    articles: list[sd.Article],
    out: Path,
    cfg: FitConfig,
    on_epoch: Callable[[int, TechniqueTagger], None] | None = None,
    is_done: Callable[[int], bool] | None = None,
) -> TechniqueTagger:
    out.mkdir(parents=True, exist_ok=True)
    seed_everything(cfg.seed)
    last = cfg.stop_after or cfg.epochs
    bf16 = native_bf16() if cfg.bf16 is None else cfg.bf16
    model = make_model(spec, cfg.seed)
    data = build_train_set(articles, str(spec.tokenizer), stride=cfg.stride, specials=spec.specials)
    log(
        "windows", n=len(data.ids), articles=len(articles), pieces=sum(len(p) for p in data.pieces), bf16=bf16
    )
    tok_pw = positive_weight((data.labels == 1).sum(axis=(0, 1)), (data.labels == 0).sum(axis=(0, 1)))
    piece_y = np.stack([y for ps in data.pieces for _, _, y in ps])
    par_pw = positive_weight(piece_y.sum(0), (1 - piece_y).sum(0))
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    body = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": cfg.lr}, {"params": heads, "lr": cfg.head_lr}], weight_decay=0.01
    )
    steps_per_epoch = math.ceil(len(data.ids) / cfg.batch)
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
        if state["config"] != asdict(cfg) | {"stop_after": state["config"]["stop_after"]}:
            raise SystemExit(f"{out / CKPT} was written with another configuration: remove it to start over")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        done = int(state["epoch"])
        log("resumed", out=str(out), epoch=done)
        if on_epoch is not None and not (is_done and is_done(done)):
            on_epoch(done, model)
    tok_loss = nn.BCEWithLogitsLoss(pos_weight=tok_pw, reduction="none")
    par_loss = nn.BCEWithLogitsLoss(pos_weight=par_pw)
    for epoch in range(done + 1, last + 1):
        model.train()
        order = rng.permutation(len(data.ids))[: steps_per_epoch * cfg.batch]
        t0, running = time.time(), 0.0
        for step, b in enumerate(range(0, len(order), cfg.batch), start=1):
            sel = order[b : b + cfg.batch]
            x, m, y = (torch.from_numpy(a[sel]) for a in (data.ids, data.masks, data.labels))
            pieces = [(w, s, e) for w, i in enumerate(sel) for s, e, _ in data.pieces[i]]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits, hidden = model(x, m)
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
            if step % 50 == 0 or step == steps_per_epoch:
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
            "model": model.state_dict(),
            "opt": opt.state_dict(),
            "sched": sched.state_dict(),
            "rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "config": asdict(cfg),
        },
        tmp,
    )
    os.replace(tmp, out / CKPT)
