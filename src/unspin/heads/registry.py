"""Which heads exist, in the order they run, and how a model folder's heads are loaded.

Adding a head: write its module (a class with ``name``, ``writes``, ``load(section)`` and ``__call__(enc)``,
see ``heads.base.Head``) and add it to ``HEADS``. A model folder carries the heads it was trained with; the
analysis is assembled from whatever they write (``unspin.analyzer``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from unspin.errors import ModelError
from unspin.heads.base import Head, SavedHeads, Section
from unspin.heads.checkworthy import CheckworthyHead
from unspin.heads.entity_head import EntityHead
from unspin.heads.frames import FrameHead
from unspin.heads.genre import GenreHead
from unspin.heads.narratives import NarrativeHead
from unspin.heads.techniques import TechniqueHead


class HeadType(Protocol):
    name: str

    def load(self, section: Section) -> Head: ...


HEADS: tuple[HeadType, ...] = (
    TechniqueHead,
    NarrativeHead,
    EntityHead,
    GenreHead,
    FrameHead,
    CheckworthyHead,
)


def load_heads(model_dir: Path) -> dict[str, Head]:
    """Every head the model folder has a section for, built from it, by name, in ``HEADS`` order."""
    saved = SavedHeads.read(model_dir)
    known = {h.name for h in HEADS}
    unknown = set(saved.sections) - known
    if unknown:
        raise ModelError(f"{model_dir} has heads this unspin does not know: {sorted(unknown)}")
    heads: dict[str, Head] = {}
    written: dict[str, str] = {}
    for head_type in HEADS:
        section = saved.section(head_type.name)
        if section is None:
            continue
        head = head_type.load(section)
        for field in head.writes:
            if field in written:
                raise ModelError(f"heads {written[field]!r} and {head.name!r} both write {field!r}")
            written[field] = head.name
        heads[head.name] = head
    if TechniqueHead.name not in heads:
        raise ModelError(f"{model_dir} has no technique head: the encoder's outputs cannot be read")
    return heads
