"""Cleaning what the corpus report counts: entity names and repeated wordings.

The entity tagger leaves fragments ("S", "t") and spellings of one name that differ only trivially ("the
Kremlin", "Kremlin", "KREMLIN", "Kremlin's"); counting them apart splits one entity into several rows and
fills tables with noise. Repetition spans, likewise, are often a single function word ("the", "this"):
true repetitions, but not wordings anyone would want to read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

MIN_NAME_CHARS = 2  # "S", "U", "t": fragments, not entities
_POSSESSIVE = re.compile(r"[’']s$")
_LEADING_THE = re.compile(r"^the\s+")
_WORD = re.compile(r"\w+")

# English function words: a wording made only of these says nothing about an outlet's rhetoric.
# fmt: off
STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
    "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor",
    "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
))
# fmt: on


def entity_key(name: str) -> str:
    """The form two spellings of one entity share: case, accents' composition, spacing, punctuation, a
    leading "the" and a possessive "'s" set aside. "" for a fragment too short to be a name."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _POSSESSIVE.sub("", _LEADING_THE.sub("", text))
    words = _WORD.findall(text)
    key = "".join(words) if all(len(w) == 1 for w in words) else " ".join(words)  # "U.S." = "US"
    return key if len(key.replace(" ", "")) >= MIN_NAME_CHARS else ""


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Each name -> the display name of its group: the group's most frequent spelling (ties: not all
    capitals, then the shortest: "Kremlin" over "the Kremlin"). Fragments map to ""."""
    counts = Counter(names)
    groups: dict[str, Counter[str]] = {}
    for name, n in counts.items():
        key = entity_key(name)
        if key:
            groups.setdefault(key, Counter())[name] += n
    best = {
        key: sorted(group.items(), key=lambda kv: (-kv[1], kv[0].isupper(), len(kv[0]), kv[0]))[0][0]
        for key, group in groups.items()
    }
    return {name: best.get(entity_key(name), "") for name in counts}


def is_content_wording(text: str) -> bool:
    """False for a wording made only of function words, numbers or punctuation ("the", "this", "of the")."""
    words = [w for w in _WORD.findall(text.casefold()) if not w.isdigit()]
    return any(w not in STOPWORDS and len(w) > 1 for w in words)
