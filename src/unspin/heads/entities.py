"""Named entities from the shared pass: a token tagger (BIO over PERSON, ORG, GPE, NORP, LOC) decoded into
mentions, and simple rules that group mentions into entities.

The tagger is a linear probe distilled from spaCy's English pipeline on the training corpora (plus the
SemEval-2025 role annotations), so the runtime needs neither spaCy nor a second model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

KINDS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
TAGS: tuple[str, ...] = ("O", *(f"{p}-{k}" for k in KINDS for p in ("B", "I")))

# Leading words that are not part of a name ("the West" and "West" are one entity).
_LEADING = re.compile(r"^(?:the|a|an|president|prime minister|minister|mr|mrs|ms|dr|sir)\.?\s+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_EDGE = ".,;:!?\"'“”‘’«»()[]{}—–-"
# Same entity, different names: normalized form -> canonical key.
ALIASES: dict[str, str] = {
    "us": "united states",
    "usa": "united states",
    "america": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "eu": "european union",
    "un": "united nations",
    "russian federation": "russia",
    "west": "west",
    "western": "west",
    "prc": "china",
    "dprk": "north korea",
}
# Nationality words point at their country: "Russian troops" frames Russia.
DEMONYMS: dict[str, str] = {
    "russian": "russia",
    "russians": "russia",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "american": "united states",
    "americans": "united states",
    "japanese": "japan",
    "chinese": "china",
    "british": "united kingdom",
    "german": "germany",
    "germans": "germany",
    "french": "france",
    "polish": "poland",
    "israeli": "israel",
    "israelis": "israel",
    "iranian": "iran",
    "belarusian": "belarus",
}


@dataclass(frozen=True)
class RawMention:
    start: int
    end: int
    kind: str
    confidence: float


def decode_mentions(text: str, offsets: np.ndarray, tag_probs: np.ndarray, min_confidence: float = 0.5) -> list[RawMention]:
    """Token tag probabilities [n, len(TAGS)] -> mention spans (exact slices of ``text``).

    A mention is a run of entity-tagged tokens of one kind (a B tag starts a new one; tokens of one word
    share the tag of the word's first piece, so an entity never ends inside a word).
    """
    if not len(offsets):
        return []
    best = tag_probs.argmax(axis=1)
    out: list[RawMention] = []
    cur: list[int] = []
    cur_kind = ""

    def flush() -> None:
        if not cur:
            return
        s, e = int(offsets[cur[0], 0]), int(offsets[cur[-1], 1])
        s, e = trim(text, s, e)
        conf = float(1.0 - tag_probs[cur, 0].mean())
        if e > s and conf >= min_confidence:
            out.append(RawMention(s, e, cur_kind, conf))
        cur.clear()

    prev_end = -1
    word_tag = 0
    for i in range(len(offsets)):
        s, e = int(offsets[i, 0]), int(offsets[i, 1])
        same_word = s == prev_end and text[s : s + 1].isalnum() and text[s - 1 : s].isalnum()
        tag = word_tag if same_word else int(best[i])
        word_tag = tag
        prev_end = e
        name = TAGS[tag]
        if name == "O":
            flush()
            continue
        kind = name.split("-", 1)[1]  # B and I alike: adjacency decides (see below)
        gap = text[int(offsets[cur[-1], 1]) : s] if cur else ""
        # The tagger often restarts a multi-word name with B, sometimes with another kind ("the Far|East",
        # "Soviet|Union"): entity tokens separated by plain spaces only are one name, whose kind is that of
        # its last word (the head noun: "Soviet Union" is a GPE); punctuation or a line break separates
        # two names ("Russia, Ukraine").
        joined = bool(cur) and (gap == "" or gap.isspace()) and "\n" not in gap and "\r" not in gap
        capitalized = text[s : s + 1].isupper()
        if cur and joined and (kind == cur_kind or (capitalized and not same_word)):
            cur.append(i)
            cur_kind = kind
        else:
            flush()
            cur.append(i)
            cur_kind = kind
    flush()
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation, quotes and a trailing possessive; keep a final dot of an abbreviation."""
    while start < end and (text[start] in _EDGE or text[start].isspace()):
        start += 1
    while end > start:
        piece = text[start:end]
        m = _POSSESSIVE.search(piece)
        if m and len(piece) > len(m.group(0)):
            end -= len(m.group(0))
            continue
        ch = text[end - 1]
        if ch == "." and re.search(r"(?:^|[.\s])[A-Za-z]\.$", piece):
            break  # U.S.
        if ch in _EDGE or ch.isspace():
            end -= 1
            continue
        break
    return start, end


def normalize(name: str, demonyms: bool = True) -> str:
    n = " ".join(name.replace("’", "'").split()).casefold()
    while True:
        m = _LEADING.match(n)
        if not m:
            break
        n = n[m.end() :]
    n = _POSSESSIVE.sub("", n).replace(".", "").strip()
    n = ALIASES.get(n, n)
    return DEMONYMS.get(n, n) if demonyms else n


@dataclass
class Group:
    key: str
    kind: str
    mentions: list[RawMention]
    names: Counter[str]

    @property
    def name(self) -> str:
        """The most complete frequent name (longest of the two most frequent surface forms that are names,
        not nationality words); a country named only by its demonym gets its own name."""
        proper = Counter({n: c for n, c in self.names.items() if normalize(n, demonyms=False) not in DEMONYMS})
        if not proper:
            return self.key.title()
        top = [n for n, _ in proper.most_common(2)]
        return max(top, key=len)


def group_mentions(text: str, mentions: Sequence[RawMention]) -> list[Group]:
    """Mentions -> entities: same normalized name, known aliases, demonyms to countries, and a person's
    surname to the full name used elsewhere in the article ("Putin" -> "Vladimir Putin")."""
    groups: dict[str, Group] = {}
    for m in mentions:
        key = normalize(text[m.start : m.end])
        if not key:
            continue
        g = groups.setdefault(key, Group(key, m.kind, [], Counter()))
        g.mentions.append(m)
        g.names[text[m.start : m.end]] += 1
    # Persons: fold a group whose name is the last word(s) of a longer person's name into it.
    persons = sorted((g for g in groups.values() if _kind(g) == "PERSON"), key=lambda g: -len(g.key))
    for short in list(persons):
        for full in persons:
            if full is short or full.key not in groups or short.key not in groups:
                continue
            if len(full.key) > len(short.key) and full.key.endswith(" " + short.key):
                full.mentions += short.mentions
                full.names.update(short.names)
                del groups[short.key]
                break
    out = list(groups.values())
    for g in out:
        g.kind = _kind(g)
        g.mentions.sort(key=lambda m: m.start)
    return out


def _kind(g: Group) -> str:
    kinds = Counter(m.kind for m in g.mentions)
    if g.key in DEMONYMS.values() and "GPE" not in kinds:
        return "GPE"
    # A country named by its demonym is still a country.
    ranked = kinds.most_common()
    if len(ranked) > 1 and ranked[0][0] == "NORP" and "GPE" in kinds:
        return "GPE"
    return ranked[0][0]
