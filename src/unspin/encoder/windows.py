"""Tokenize a text once and cut it into overlapping encoder windows.

Every token keeps its character offsets into the original text, so whatever a head predicts per token maps
back to exact spans of the input. Windows overlap so that no token is seen only at a window's edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer

# BERT WordPiece's special ids (MiniLM); a model folder's config says its own (XLM-R: 0, 2, 1).
CLS_ID = 101
SEP_ID = 102
PAD_ID = 0


@dataclass(frozen=True)
class Tokens:
    """Word pieces of a whole text: ids and (start, end) character offsets, special tokens excluded."""

    ids: np.ndarray  # int64 [n]
    offsets: np.ndarray  # int64 [n, 2]

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class Windows:
    """A batch of encoder inputs covering ``Tokens``; ``starts[i]`` is the first token index of window i."""

    input_ids: np.ndarray  # int64 [w, L]
    attention_mask: np.ndarray  # int64 [w, L]
    starts: np.ndarray  # int64 [w]
    lengths: np.ndarray  # int64 [w] content tokens (without CLS/SEP)


def load_tokenizer(path: str) -> Tokenizer:
    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    return tok


def tokenize(tokenizer: Tokenizer, text: str) -> Tokens:
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    return Tokens(ids, skip_leading_space(text, offsets))


# Every character str.isspace() accepts (all are below U+3001).
_SPACES = np.asarray([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def skip_leading_space(text: str, offsets: np.ndarray) -> np.ndarray:
    """Move each token's start past the whitespace it begins with.

    A SentencePiece (Metaspace) piece such as "▁world" owns the space or line break before its word, so its
    offsets start there: in a new paragraph the first piece would start in the line break that ends the
    previous one and belong to neither. WordPiece offsets never start with whitespace: unchanged.
    A piece that is only whitespace (a lone "▁") becomes empty at the end of that whitespace."""
    if not len(offsets):
        return offsets
    space = np.isin(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32), _SPACES)
    start, end = offsets[:, 0], offsets[:, 1]
    move = (start < end) & space[np.minimum(start, len(space) - 1)]
    if not move.any():
        return offsets
    start = start.copy()
    while move.any():
        start[move] += 1
        move = (start < end) & space[np.minimum(start, len(space) - 1)]
    return np.stack([start, end], axis=1)


def window_starts(n_tokens: int, content_len: int, stride: int) -> list[int]:
    """Start indices so that windows of ``content_len`` tokens cover ``n_tokens``; the last one is flush right."""
    if n_tokens <= content_len:
        return [0]
    starts = list(range(0, n_tokens - content_len, stride))
    starts.append(n_tokens - content_len)
    return starts


def make_windows(
    tokens: Tokens,
    max_len: int = 256,
    stride: int = 192,
    pad_to: int | None = None,
    *,
    cls_id: int = CLS_ID,
    sep_id: int = SEP_ID,
    pad_id: int = PAD_ID,
) -> Windows:
    """Cut tokens into windows of at most ``max_len`` (CLS + content + SEP), padded to the longest window.

    The special ids default to BERT WordPiece's ([CLS] 101, [SEP] 102, [PAD] 0); an XLM-R/e5 vocabulary
    passes its own (<s> 0, </s> 2, <pad> 1)."""
    content_len = max_len - 2
    n = len(tokens)
    starts = window_starts(n, content_len, stride)
    lengths = [min(content_len, n - s) for s in starts]
    width = (pad_to or (max(lengths) + 2)) if n else 2
    ids = np.full((len(starts), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(starts), width), dtype=np.int64)
    for i, (s, ln) in enumerate(zip(starts, lengths, strict=True)):
        ids[i, 0] = cls_id
        ids[i, 1 : ln + 1] = tokens.ids[s : s + ln]
        ids[i, ln + 1] = sep_id
        mask[i, : ln + 2] = 1
    return Windows(ids, mask, np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64))


def add_window(
    total: np.ndarray, window: np.ndarray, start: int, length: int, count: np.ndarray | None = None
) -> None:
    """Add one window's per-token outputs [L, k] (CLS at 0, content at 1..length) onto the text's tokens,
    and count the window on them."""
    total[start : start + length] += window[1 : length + 1]
    if count is not None:
        count[start : start + length] += 1.0


def merge_windows(windows: Windows, logits: np.ndarray, n_tokens: int) -> np.ndarray:
    """Average per-token outputs [w, L, k] of overlapping windows back onto the token sequence -> [n, k]."""
    total = np.zeros((n_tokens, logits.shape[-1]), dtype=np.float32)
    count = np.zeros((n_tokens, 1), dtype=np.float32)
    for i, (s, ln) in enumerate(zip(windows.starts, windows.lengths, strict=True)):
        add_window(total, logits[i], int(s), int(ln), count)
    return total / np.maximum(count, 1.0)
