"""A title for text that came without one: its first line, when that line reads like a headline.

Pasted articles and saved pages usually start with their headline on a line of its own. The title is
metadata: the line stays in the analyzed text (offsets point into the text as given), it is only also
shown as the title, so the history and the reports name the article instead of "Untitled text".
"""

from __future__ import annotations

MAX_WORDS = 20  # headlines are short; a longer first line is the opening paragraph
MAX_CHARS = 200
_SENTENCE_END = (".", ",", ";", ":", "…")  # a headline may end in ? or !, rarely in these


def first_line_title(text: str) -> str | None:
    """The first non-blank line if it looks like a headline, else None.

    Headline-like: 2 to ``MAX_WORDS`` words, at most ``MAX_CHARS`` characters, not ending like a sentence
    or a label (``.``, ``,``, ``;``, ``:``), starting with a capital or a digit, and followed by more text
    that is longer than itself (the article).
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    first, rest = lines[0], lines[1:]
    words = first.split()
    if not 2 <= len(words) <= MAX_WORDS or len(first) > MAX_CHARS:
        return None
    if first.endswith(_SENTENCE_END) or not (first[0].isupper() or first[0].isdigit()):
        return None
    if sum(len(line) for line in rest) <= len(first):
        return None
    return " ".join(words)
