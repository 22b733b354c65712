"""Check-worthiness as a second task of the shared encoder (CheckThat! 2024, English).

Sentences are encoded alone ([CLS] sentence [SEP], at most ``MAX_LEN`` tokens) and the claim head reads the
[mean, max] of their content tokens — exactly what the runtime pools over a sentence's tokens of the article
pass, so the head transfers without a second encoder run. Batches are short (padded to their longest
sentence), so the extra task costs far less than its sentence count suggests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch

from unspin.data import checkthat
from unspin.encoder.windows import load_tokenizer, make_windows, tokenize

MAX_LEN = 96


@dataclass
class SentenceSet:
    ids: list[np.ndarray]  # per sentence: [CLS] tokens [SEP]
    labels: np.ndarray  # [n] 0/1

    def __len__(self) -> int:
        return len(self.ids)

    def batch(self, sel: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(input ids, attention mask, content mask without [CLS]/[SEP], labels) padded to the longest."""
        width = max(len(self.ids[i]) for i in sel)
        x = np.zeros((len(sel), width), np.int64)
        att = np.zeros((len(sel), width), np.int64)
        content = np.zeros((len(sel), width), np.float32)
        for row, i in enumerate(sel):
            n = len(self.ids[i])
            x[row, :n], att[row, :n], content[row, 1 : n - 1] = self.ids[i], 1, 1.0
        return (
            torch.from_numpy(x),
            torch.from_numpy(att),
            torch.from_numpy(content),
            torch.from_numpy(self.labels[sel].astype(np.float32)),
        )


def build(split: str, tokenizer_path: str, limit: int = 0) -> SentenceSet:
    tok = load_tokenizer(tokenizer_path)
    rows = checkthat.load(split)
    if limit:
        rows = rows[:limit]
    ids, labels = [], []
    for s in rows:
        tokens = tokenize(tok, s.text)
        if not len(tokens):
            continue
        win = make_windows(tokens, MAX_LEN, MAX_LEN)
        ids.append(
            win.input_ids[0][: int(win.lengths[0]) + 2].copy()
        )  # the first window: head of the sentence
        labels.append(int(s.checkworthy))
    return SentenceSet(ids, np.array(labels, np.int64))


def endless_batches(data: SentenceSet, batch: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Shuffled index batches, reshuffling at the end of each pass."""
    while True:
        order = rng.permutation(len(data))
        for b in range(0, len(order) - batch + 1, batch):
            yield order[b : b + batch]


def best_threshold(probs: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, F1 of the positive class) maximizing F1 over the observed probabilities."""
    best = (0.5, f1(probs >= 0.5, labels))
    for t in np.unique(np.round(probs, 3)):
        score = f1(probs >= t, labels)
        if score > best[1]:
            best = (float(t), score)
    return best


def f1(pred: np.ndarray, labels: np.ndarray) -> float:
    tp = float(np.sum(pred & (labels == 1)))
    fp, fn = float(np.sum(pred & (labels == 0))), float(np.sum(~pred & (labels == 1)))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


@torch.no_grad()
def probabilities(
    logits_of: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
    data: SentenceSet,
    device: torch.device,
    batch: int = 64,
) -> np.ndarray:
    out = []
    for b in range(0, len(data), batch):
        x, att, content, _ = data.batch(np.arange(b, min(b + batch, len(data))))
        with torch.autocast(device.type, dtype=torch.bfloat16):
            logits = logits_of(x.to(device), att.to(device), content.to(device))
        out.append(torch.sigmoid(logits.float()).cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def evaluate(
    logits_of: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
    dev: SentenceSet,
    dev_test: SentenceSet,
    device: torch.device,
) -> dict[str, float]:
    """Threshold tuned on dev; dev-test scored with it (never tuned on)."""
    threshold, dev_f1 = best_threshold(probabilities(logits_of, dev, device), dev.labels)
    test_probs = probabilities(logits_of, dev_test, device)
    return {
        "claim_threshold": threshold,
        "claim_dev_f1": dev_f1,
        "claim_devtest_f1": f1(test_probs >= threshold, dev_test.labels),
        "claim_devtest_f1_at_0.5": f1(test_probs >= 0.5, dev_test.labels),
    }
