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
from functools import cache, lru_cache

import numpy as np

from unspin.heads import entity_rules as rules
from unspin.heads import entity_tables as tb
from unspin.heads.entity_rules import RawMention as RawMention

KINDS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
TAGS: tuple[str, ...] = ("O", *(f"{p}-{k}" for k in KINDS for p in ("B", "I")))

# Leading words that are not part of a name ("the West" and "West" are one entity).
_LEADING = re.compile(r"^(?:the|a|an|president|prime minister|minister|mr|mrs|ms|dr|sir)\.?\s+", re.I)
_RU_LEADING = re.compile(r"^(?:президент|премьер-министр|министр|глава|лидер|генсек)\S*\s+(?=\S+\s+\S)", re.I)
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
    **tb.EN_ALIASES,
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
    **tb.EN_DEMONYMS,
}


def decode_mentions(
    text: str, offsets: np.ndarray, tag_probs: np.ndarray, min_confidence: float = 0.5
) -> list[RawMention]:
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


@lru_cache(maxsize=65536)
def normalize(name: str, demonyms: bool = True) -> str:
    """The key of a name: titles, "the", possessives, dots and initials dropped, aliases resolved; Russian
    words reduced to their stems so that every case of a name is one key ("Путина" -> "путин"), and
    Russian forms of the actors mapped to the English keys ("России" -> "russia")."""
    n = " ".join(name.replace("’", "'").split()).casefold()
    while True:
        m = _LEADING.match(n) or _RU_LEADING.match(n)
        if not m:
            break
        n = n[m.end() :]
    n = _POSSESSIVE.sub("", n).replace(".", " ").replace("#", "").strip()
    n = re.sub(r"\b(\w) (?=\w\b)", r"\1", n)  # "u s" (from "U.S.") -> "us"
    words = n.split()
    if len(words) > 1 and len(words[0]) == 1:
        words = words[1:]  # an initial: "В. Путин", "T. Carlson"
    if tb.is_cyrillic(n):
        acronyms = {w.casefold() for w in name.split() if w.isupper() and len(w) > 1}
        key = " ".join(w if w in acronyms else tb.ru_stem(w) for w in words)
        if demonyms and key in tb.RU_DEMONYMS:
            return tb.RU_DEMONYMS[key]
        return tb.RU_KEYS.get(key, key)
    n = " ".join(words)
    n = ALIASES.get(n, n)
    return DEMONYMS.get(n, n) if demonyms else n


def is_demonym(name: str) -> bool:
    """A nationality word ("Russians", "российских"), not a name of the country itself."""
    key = normalize(name, demonyms=False)
    return key in DEMONYMS or key in tb.RU_DEMONYMS


def _nominative_like(name: str) -> bool:
    """Every word ends as a Russian nominative singular of a name would (a consonant but not an
    instrumental -ом/-ым, or -ий/-ый), or is an acronym."""
    oblique = ("ом", "ем", "ым", "им", "ой", "ей", "ою", "ею", "ах", "ях", "ами", "ями")
    return all(
        w.isupper() or w.endswith(("ий", "ый")) or (w[-1:] not in "аяуюыиеоьй" and not w.endswith(oblique))
        for w in name.split()
    )


# Display names of keys that title case gets wrong.
EN_NAMES = {
    "sbu": "SBU",
    "fsb": "FSB",
    "nato": "NATO",
    "west": "the West",
    "european union": "European Union",
}


@dataclass
class Group:
    key: str
    kind: str
    mentions: list[RawMention]
    names: Counter[str]

    @property
    def name(self) -> str:
        """The most complete frequent name (longest of the two most frequent surface forms that are names,
        not nationality words); a country named only by its demonym gets its own name; a known actor
        named in Russian gets its Russian name in the nominative."""
        cyrillic = sum(c for n, c in self.names.items() if tb.is_cyrillic(n))
        if self.key in tb.RU_NAMES and cyrillic * 2 > sum(self.names.values()):
            return tb.RU_NAMES[self.key]
        proper = Counter({n: c for n, c in self.names.items() if not is_demonym(n)})
        if not proper:
            return EN_NAMES.get(self.key, self.key.title())
        canonical = [
            n
            for n, _ in proper.most_common()
            if normalize(n, demonyms=False) == n.casefold().removeprefix("the ")
        ]
        if canonical and self.key in tb.KNOWN_KINDS:
            return canonical[
                0
            ]  # "United States" rather than "U.S.", "Russia" rather than "Russian Federation"
        if cyrillic:
            # Russian: the form that looks nominative ("Путин", not "Путина"), then the most frequent.
            return max(proper, key=lambda n: (_nominative_like(n), len(n.split()), proper[n]))
        top = [n for n, _ in proper.most_common(2)]
        # The longer of the two; on a tie the canonical spelling ("Kyiv" over "Kiev").
        return max(top, key=lambda n: (len(n), n.casefold() == self.key))


def group_mentions(text: str, mentions: Sequence[RawMention], refine: bool = True) -> list[Group]:
    """Mentions -> entities: same normalized name, known aliases, demonyms to countries, and a person's
    surname to the full name used elsewhere in the article ("Putin" -> "Vladimir Putin").

    With ``refine`` (the default) the tagger's mentions first go through ``entity_rules.refine``
    (fragments completed, non-names and datelines dropped, known actors added), and descriptions of an
    office ("the Russian president") join the person when the article names exactly one holder."""
    if refine:
        mentions = rules.refine(text, mentions, normalize, known_starts())
    groups: dict[str, Group] = {}
    for m in mentions:
        key = normalize(text[m.start : m.end])
        if not key:
            continue
        g = groups.setdefault(key, Group(key, m.kind, [], Counter()))
        g.mentions.append(m)
        g.names[text[m.start : m.end]] += 1
    _fold_short_names(groups)
    if refine:
        _link_descriptions(text, groups)
    out = list(groups.values())
    for g in out:
        g.kind = _kind(g)
        g.mentions.sort(key=lambda m: m.start)
    return out


@cache
def known_starts() -> frozenset[str]:
    """First words (as ``entity_rules.first_word`` gives them) of every name the rules know."""
    out: set[str] = set()
    for surface, key in [*ALIASES.items(), *DEMONYMS.items(), *((k, k) for k in tb.KNOWN_KINDS)]:
        if key in tb.KNOWN_KINDS:
            out.add(surface.split()[0])
    for stem, key in [*tb.RU_KEYS.items(), *tb.RU_DEMONYMS.items()]:
        if key in tb.KNOWN_KINDS:
            out.add(stem.split()[0])
    # "the" opens "the usa" but the gazetteer never starts a name with an article: keeping it would make
    # every "the" of the article a candidate.
    return frozenset((out | tb.RU_PERSON_STEMS) - {"the", "a", "an"})


def _fold_short_names(groups: dict[str, Group]) -> None:
    """A person's surname joins the full name used elsewhere ("Putin" -> "Vladimir Putin"); a place or an
    organization of two words or more joins the one longer name that ends with it ("Far East" -> "Russian
    Far East", "Kuril Islands" -> "South Kuril Islands"; not when another longer name also holds it)."""
    ranked = sorted(groups.values(), key=lambda g: -len(g.key))
    for short in ranked:
        person = _kind(short) == "PERSON"
        if not person and " " not in short.key:
            continue
        fulls = [
            g
            for g in ranked
            if g is not short
            and g.key in groups
            and (_kind(g) == "PERSON") == person
            and len(g.key) > len(short.key)
            and g.key.endswith(" " + short.key)
        ]
        # A place or organization folds only when no other longer name holds it anywhere ("Armed Forces"
        # beside "Armed Forces of Ukraine" and "Russian Armed Forces" belongs to neither side).
        holders = [
            g for g in ranked if g is not short and g.key in groups and f" {short.key} " in f" {g.key} "
        ]
        if short.key in groups and fulls and (person or len(holders) == 1):
            fulls[0].mentions += short.mentions
            fulls[0].names.update(short.names)
            del groups[short.key]


def _link_descriptions(text: str, groups: dict[str, Group]) -> None:
    """ "the Russian president" joins Vladimir Putin's mentions when he is the only holder of the office
    the article names; the nationality word inside the description stops counting for the country."""
    for d in rules.descriptions(text, normalize):
        people = [
            g
            for g in groups.values()
            if _kind(g) == "PERSON" and any(g.key == h or g.key.endswith(" " + h) for h in d.holders)
        ]
        if len(people) != 1:
            continue
        for g in groups.values():
            g.mentions = [m for m in g.mentions if not (m.start < d.end and d.start < m.end)]
        people[0].mentions.append(RawMention(d.start, d.end, "PERSON", 0.5))
    for key in [k for k, g in groups.items() if not g.mentions]:
        del groups[key]


def _kind(g: Group) -> str:
    kinds = Counter(m.kind for m in g.mentions)
    if (g.key in DEMONYMS.values() or g.key in tb.RU_DEMONYMS.values()) and "GPE" not in kinds:
        return "GPE"
    # A country named by its demonym is still a country.
    ranked = kinds.most_common()
    if len(ranked) > 1 and ranked[0][0] == "NORP" and "GPE" in kinds:
        return "GPE"
    return ranked[0][0]
