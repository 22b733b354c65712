"""FTS5 queries from free text: what both full-text indexes (known claims, stored analyses) are searched with."""

from __future__ import annotations

import re
import unicodedata

MAX_TERMS = 32  # a pasted paragraph is a query too; 32 words rank as well and keep the OR query cheap
_WORD = re.compile(r"\w+")
# English function words: near-zero BM25 weight (they are in most claims) but the longest posting lists,
# so dropping them makes a sentence-long query ~10x faster at the same ranking. A query made only of
# them keeps them.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "said",
        "says",
    ]
)


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for free text that can never be an FTS5 syntax error.

    The text is cut into words and each word is quoted, so ``"``, ``*``, ``NEAR(``, ``AND``/``OR``/
    ``NOT`` and column filters (``title:``) are plain words; the words are OR-ed so a claim matching
    most of them ranks first without having to match all. None when there is no word to search for.
    """
    seen: set[str] = set()
    words: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text)):
        folded = word.casefold()
        # "_" alone is a \w run but no FTS token: an empty phrase would match nothing anyway.
        if folded in seen or not any(ch.isalnum() for ch in word):
            continue
        seen.add(folded)
        words.append(word)
        if sum(w.casefold() not in STOPWORDS for w in words) == MAX_TERMS:
            break
    content = [w for w in words if w.casefold() not in STOPWORDS]
    return " OR ".join(f'"{w}"' for w in (content or words)) or None
