"""Rules that turn the tagger's raw mentions into names a person would list, in English and Russian.

``refine`` completes fragments ("the Far" -> "the Far East", "Union" -> "Soviet Union", "U" -> "U.S.",
"Верховная" -> "Верховная рада"), splits compounds of two actors ("Russian-Ukrainian"), drops what is not
a name (pronouns, lower-case words that are not nationality words, datelines such as "LONDON —"), and
adds the war's actors and institutions where the tagger missed them (both sides alike: the tables in
``entity_tables``). ``descriptions`` finds "the Russian president" / "президент России", which
``entities.group_mentions`` links to the person when the article names exactly one holder of the office.
Every mention stays an exact slice of the text.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from unspin.heads import entity_tables as tb


@dataclass(frozen=True)
class RawMention:
    """A mention: [start, end) in the text, its kind (PERSON, ORG, GPE, NORP, LOC) and the tagger's
    confidence (0.5 for mentions the rules found)."""

    start: int
    end: int
    kind: str
    confidence: float


Mention = RawMention


@dataclass(frozen=True)
class Description:
    """A description of an office holder: its span, and the surnames that may hold it."""

    start: int
    end: int
    holders: tuple[str, ...]


Normalizer = Callable[[str], str]

_WORD = re.compile(r"[\w'’]+(?:[.-][\w'’]+)*\.?")
_TITLES = tb.words(
    "president prime minister foreign defence defense secretary chancellor general mr mrs ms dr "
    "sir king queen pope senator sen rep governor mayor chief spokesman spokeswoman director "
    "premier state affairs президент премьер министр глава лидер генсек госсекретарь rabbi "
    "cardinal archbishop patriarch"
)
# A dateline: upper-case place words at the start of a paragraph, maybe ", REGION" or ", date", maybe the
# agency in brackets, then a dash or a bar ("KYIV (Reuters) -", "NUSA DUA –", "СИМФЕРОПОЛЬ, 11 июл –").
_DATELINE = re.compile(
    r"(?m)^[ \t\ufeff]*(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ'’.\-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ'’.\-]+)*)"
    r"(?:,\s*(?:[A-ZА-ЯЁ][A-ZА-ЯЁ ]+|[^,\n–—|]*\d[^,\n–—|]*))?\s*(?:\([^)\n]{1,30}\))?\s*[–—|-]"
)


def _is_upper_start(s: str) -> bool:
    return s[:1].isupper()


def _title_case_line(text: str, pos: int) -> bool:
    """Is the line around ``pos`` a headline in Title Case (where capitals say nothing about names)?"""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)].strip()
    if len(line) > 160 or ". " in line or line.endswith((".", "!", "?", '"', "”", "»")):
        return False  # a sentence, not a headline
    long = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    return len(long) >= 4 and sum(_is_upper_start(w) for w in long) / len(long) > 0.6


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'“«‘(")
    return not before or before[-1] in ".!?\n\r:"


def datelines(text: str) -> list[tuple[int, int]]:
    """The place words of datelines: not entities of the article."""
    return [m.span("place") for m in _DATELINE.finditer(text)]


def _known(key: str) -> bool:
    return key in tb.KNOWN_KINDS


def _extend(text: str, m: Mention, norm: Normalizer) -> Mention:
    """Complete a fragment with the capitalized words around it on the same line."""
    start, end = m.start, m.end
    # "U" of "U.S.": the tagger stopped inside an abbreviation.
    ab = re.match(r"(?:[A-Z]\.)+[A-Z]?\.?", text[start:])
    if ab and ab.end() > end - start:
        end = start + ab.end()
    if _title_case_line(text, start):
        return Mention(start, end, m.kind, m.confidence)
    own = norm(text[start:end])
    for _ in range(3):
        nxt = re.match(r"[ -]([A-ZА-ЯЁ][\w'’-]*)", text[end:])
        if not nxt or (text[end - 1 : end] in ".!?:" and not ab):
            break
        word = nxt.group(1)
        if word.casefold() in tb.NOT_NAMES or word.casefold() in _TITLES or _known(norm(word)):
            break  # not a name, or another actor ("Japan Russia's")
        end += nxt.end()
    words = text[start:end].split()
    head = bool(words) and (
        words[0].strip(".,").casefold() in tb.HEAD_WORDS or tb.ru_stem(words[0]) in tb.HEAD_WORDS
    )
    for _ in range(2):
        prev = re.search(r"([A-ZА-ЯЁ][\w'’-]*) $", text[max(0, start - 40) : start])
        if not prev:
            break
        word = prev.group(1)
        p_start = start - len(prev.group(0))
        if (
            word.casefold() in tb.NOT_NAMES
            or word.casefold() in _TITLES
            or (_known(own) and _known(norm(word)))
        ):
            break
        # Mid-sentence capitals belong to the name ("Recep Tayyip Erdoğan"); at the start of a sentence
        # only before a head word ("Soviet Union") or as a Russian first name ("Владимир Путин"; English
        # sentences open with too many capitalized words: "Later", "Meanwhile").
        if _sentence_start(text, p_start) and not head and not (m.kind == "PERSON" and tb.is_cyrillic(word)):
            break
        if (_known(norm(word)) or _known(own) or norm(word) in tb.COUNTRIES) and not head:
            break  # two actors side by side ("Japan Russia's control") stay two
        start = p_start
    return Mention(start, end, m.kind, m.confidence)


def _strip(text: str, m: Mention) -> Mention:
    """Spaces, brackets, quotes and dashes at the edges are not part of a name."""
    edge = " \t\r\n\"'“”‘’«»()[]{}—–-,;:!?"
    s, e = m.start, m.end
    while s < e and text[s] in edge:
        s += 1
    while e > s and text[e - 1] in edge:
        e -= 1
    return Mention(s, e, m.kind, m.confidence)


def _trim_words(text: str, m: Mention, norm: Normalizer) -> Mention:
    """Lower-case words at the edges are not part of a name ("базы США", "Global South country", "В РФ
    придумывали"), nor is a function word opening a sentence ("Если ВС РФ"); nationality words stay
    ("российские")."""
    words = list(re.finditer(r"\S+", text[m.start : m.end]))

    def drop(w: re.Match[str]) -> bool:
        word = w.group(0)
        if word.casefold().strip(".,") in tb.NOT_NAMES:
            return True
        return not _is_upper_start(word) and norm(word) == tb.ru_stem(word)

    while len(words) > 1 and drop(words[0]):
        words.pop(0)
    while len(words) > 1 and drop(words[-1]):
        words.pop()
    return Mention(m.start + words[0].start(), m.start + words[-1].end(), m.kind, m.confidence)


def _split_compound(text: str, m: Mention, norm: Normalizer) -> list[Mention]:
    """'Russian-Ukrainian', 'Finnish-Russian', 'Russia-Ukraine', 'Japan Russia': two actors, two mentions."""
    piece = text[m.start : m.end]
    pair = piece.split(" ")
    if len(pair) == 2 and all(norm(w) in tb.COUNTRIES and norm(w) == w.casefold() for w in pair):
        a = m.start + len(pair[0])
        return [Mention(m.start, a, "GPE", m.confidence), Mention(a + 1, m.end, "GPE", m.confidence)]
    parts = piece.split("-")
    if len(parts) == 2 and all(parts) and all(_known(norm(p)) or norm(p) != p.casefold() for p in parts):
        a = m.start + len(parts[0])
        return [Mention(m.start, a, "NORP", m.confidence), Mention(a + 1, m.end, "NORP", m.confidence)]
    return [m]


def _is_name(text: str, m: Mention, norm: Normalizer) -> bool:
    piece = text[m.start : m.end]
    words = piece.split()
    if not words or len(piece.strip(".")) < 2 or not any(ch.isalpha() for ch in piece):
        return False
    if piece.casefold() in tb.NOT_NAMES:
        return False
    if not any(_is_upper_start(w) for w in words):
        # Lower case: only nationality words ("российские войска", "western") are names.
        key = norm(piece)
        return key != " ".join(tb.ru_stem(w) for w in piece.casefold().split()) and key != piece.casefold()
    return True


def first_word(token: str) -> str:
    """The form of a word that ``starts`` sets hold: case-folded, without a possessive or dots, a Russian
    word as its stem (acronyms as written)."""
    w = token.casefold()
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    elif w.endswith(("'", "’")):
        w = w[:-1]
    if "." in w:
        w = w.replace(".", "")
    return tb.ru_stem(token.rstrip(".")) if "\u0400" <= w[:1] <= "\u04ff" else w


def _gazetteer(text: str, norm: Normalizer, starts: frozenset[str] | None = None) -> list[Mention]:
    """Mentions of the known actors and institutions (up to four words), wherever they are written as
    names: capitalized, or a lower-case Russian nationality word. ``starts``: the first words a known
    name can have; other tokens are skipped without normalizing anything (the scan must stay cheap: it
    reads every token of the article)."""
    tokens = list(_WORD.finditer(text))
    if starts is not None:
        # Only tokens that can open a known name are tried (most of an article's words are skipped here).
        words = [t.group(0) for t in tokens]
        candidates = [i for i, w in enumerate(words) if first_word(w) in starts]
    else:
        candidates = list(range(len(tokens)))
    out: list[Mention] = []
    next_free = 0
    for i in candidates:
        if i < next_free:
            continue
        hit = None
        for n in (4, 3, 2, 1):
            group = tokens[i : i + n]
            if len(group) < n or any(text[a.end() : b.start()] != " " for a, b in itertools.pairwise(group)):
                continue
            s, e = group[0].start(), group[-1].end()
            while e > s and text[e - 1] == "." and not re.search(r"(?:^|\.)[A-Z]\.$", text[s:e]):
                e -= 1
            e -= len(m.group(0)) if (m := re.search(r"['’]s?$", text[s:e])) else 0
            if not text[s:e].strip() or text[s:e].split()[0].casefold() in ("the", "a", "an"):
                continue
            piece = text[s:e]
            key = norm(piece)
            if (
                n == 1
                and tb.is_cyrillic(piece)
                and _is_upper_start(piece)
                and tb.ru_stem(piece) in tb.RU_PERSON_STEMS
            ):
                hit = (_extend(text, Mention(s, e, "PERSON", 0.5), norm), 1)
                break
            if not _known(key):
                continue
            stem = " ".join(tb.ru_stem(w) for w in piece.split())
            russian_demonym = tb.is_cyrillic(piece) and stem in tb.RU_DEMONYMS
            if not _is_upper_start(piece) and not russian_demonym:
                continue
            # "российские" is a nationality word (NORP), as spaCy tags "Russian"; the group is still Russia.
            kind = "NORP" if russian_demonym and tb.KNOWN_KINDS[key] == "GPE" else tb.KNOWN_KINDS[key]
            hit = (Mention(s, e, kind, 0.5), n)
            break
        if hit:
            out.append(hit[0])
            next_free = i + hit[1]
    return out


def refine(
    text: str, mentions: Sequence[Mention], norm: Normalizer, starts: frozenset[str] | None = None
) -> list[Mention]:
    """The tagger's mentions, completed, cleaned and supplemented (sorted, no mention inside another).
    ``starts`` (see ``_gazetteer``) only makes it faster."""
    dates = datelines(text)
    known = _gazetteer(text, norm, starts)  # sorted, disjoint
    known_starts = [k.start for k in known]
    out: list[Mention] = []
    for m in mentions:
        m = _strip(text, m)
        if m.end <= m.start:
            continue
        m = _trim_words(text, m, norm)
        for part in _split_compound(text, m, norm):
            if not _is_name(text, part, norm):
                continue  # a lower-case word is no seed to grow a name from ("country" -> "Global South country")
            part = _extend(text, part, norm)
            # Snap into a known name that contains it ("Верховная" -> "Верховная рада").
            i = bisect_right(known_starts, part.start) - 1
            if (
                i >= 0
                and known[i].end >= part.end
                and (known[i].start, known[i].end) != (part.start, part.end)
            ):
                part = Mention(known[i].start, known[i].end, part.kind, part.confidence)
            if any(a < part.end and part.start < b for a, b in dates):
                continue
            if _is_name(text, part, norm):
                out.append(part)
    # Known names the tagger missed: those that overlap none of its mentions (checked against the union
    # of the mentions' spans, by bisection: an article can hold thousands of both).
    covered: list[tuple[int, int]] = []
    for m in sorted(out, key=lambda m: m.start):
        if covered and m.start <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(covered[-1][1], m.end))
        else:
            covered.append((m.start, m.end))
    cover_starts = [a for a, _ in covered]
    for k in known:
        j = bisect_right(cover_starts, k.end - 1) - 1
        if j >= 0 and covered[j][1] > k.start:
            continue
        if not any(a < k.end and k.start < b for a, b in dates):
            out.append(k)
    out.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in out:
        if kept and m.start < kept[-1].end:
            continue  # inside (or overlapping) the longer mention before it
        kept.append(m)
    return kept


_EN_DESC = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<c>[A-Z][\w.]*?)(?:'s|’s)?\s+(?P<o>president|leader|prime minister|premier|foreign minister|chief)\b"
)
_RU_DESC_AFTER = re.compile(
    r"(?P<o>президент|лидер|глав|премьер(?:-министр)?)[а-яё]*\s+(?P<c>[А-ЯЁ][\w-]*)", re.I
)
_RU_DESC_BEFORE = re.compile(
    r"(?P<c>[а-яёА-ЯЁ]+ск[а-яё]+)\s+(?P<o>президент|лидер|премьер(?:-министр)?)[а-яё]*", re.I
)


_EN_OFFICE_WORDS = ("president", "leader", "minister", "premier", "chief")
_RU_OFFICE_WORDS = ("президент", "лидер", "глав", "премьер")


def descriptions(text: str, norm: Normalizer) -> list[Description]:
    """ "the Russian president", "Russia's leader", "президент России", "белорусский лидер": an office
    described by its country, not followed by the holder's name (then it is the name's title)."""
    out: list[Description] = []
    low = text.casefold()
    for rx, words in (
        (_EN_DESC, _EN_OFFICE_WORDS),
        (_RU_DESC_AFTER, _RU_OFFICE_WORDS),
        (_RU_DESC_BEFORE, _RU_OFFICE_WORDS),
    ):
        if not any(w in low for w in words):
            continue  # no office word at all: skip the scan
        for m in rx.finditer(text):
            country = norm(m.group("c"))
            if country == "kremlin":
                country = "russia"
            office = tb.OFFICES.get(m.group("o").casefold()) or tb.OFFICES.get(tb.ru_stem(m.group("o")))
            if m.group("o").casefold() == "chief" and country == "russia":
                office = "president"
            holders = tb.OFFICE_HOLDERS.get((country, office or ""))
            if not holders or re.match(r"\s+[A-ZА-ЯЁ]", text[m.end() :]):
                continue
            out.append(Description(m.start(), m.end(), holders))
    return out
