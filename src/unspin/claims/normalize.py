"""Normalization shared by the readers, the store and the bundle: text for comparison, stable keys,
URLs, dates, language names and list fields."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit, urlunsplit

_WORD = re.compile(r"\w+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
ELLIPSES = ("…", "...")
_LANGUAGE_TAG = re.compile(r"[a-z]{2}(?:-[a-z0-9]{2,8})*")  # BCP 47 as fact-checkers write it: en, pt-br


def normalize_text(text: str) -> str:
    """Lower-case words separated by single spaces: what two spellings of one claim have in common.

    NFKC folds typographic variants (curly quotes, ligatures, full-width letters), casefold handles
    case (ß → ss), and keeping only word characters drops punctuation and quote styles.
    """
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def one_line(text: str) -> str:
    """Collapse all whitespace (line breaks in a CSV cell included) into single spaces."""
    return " ".join(text.split())  # str.split() splits on exactly what \s matches, and faster


def paragraphs(text: str) -> str:
    """Keep line breaks but unify them (``\\r\\n`` → ``\\n``) and trim every line."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def is_truncated(title: str) -> bool:
    return title.rstrip().endswith(ELLIPSES)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "Invalid IPv6 URL" and the like: not a usable link (found by fuzzing)
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def canonical_url(url: str) -> str:
    """A URL in the form used for keys: https, lower-case host without ``www.``, no fragment or final
    slash. Two spellings of one address (``http://www.x.eu/a/`` and ``https://x.eu/a``) agree."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def url_key(url: str, title: str | None = None) -> str:
    """Key of a claim known by its page. With ``title``, for pages that may review several claims
    (a ClaimReview article often checks three statements under one URL)."""
    key = "url:" + canonical_url(url)
    if title is not None:
        key += "#" + _digest(normalize_text(title))[:16]
    return key


def text_key(title: str, day: str | None, source: str) -> str:
    """Key of a claim without a page of its own: its words, its date and who said it."""
    return "text:" + _digest(normalize_text(title), day or "", normalize_text(source))


def parse_iso_date(value: str) -> str:
    """``YYYY-MM-DD`` from an ISO date or date-time; raises ValueError with a readable message."""
    match = _ISO_DATE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"bad date {value.strip()!r}: expected YYYY-MM-DD")
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        raise ValueError(f"bad date {value.strip()!r}: no such day") from None


# ISO 639-1 codes (as ClaimReview's inLanguage gives them) to the English names EUvsDisinfo uses, so that
# one language is counted and searched under one name.
_LANGUAGE_CODES = {
    "ar": "Arabic", "hy": "Armenian", "az": "Azerbaijani", "be": "Belarusian", "bs": "Bosnian",
    "bg": "Bulgarian", "ca": "Catalan", "zh": "Chinese", "hr": "Croatian", "cs": "Czech", "da": "Danish",
    "nl": "Dutch", "en": "English", "et": "Estonian", "fi": "Finnish", "fr": "French", "ka": "Georgian",
    "de": "German", "el": "Greek", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "kk": "Kazakh", "ko": "Korean", "lv": "Latvian", "lt": "Lithuanian",
    "mk": "Macedonian", "no": "Norwegian", "nb": "Norwegian", "fa": "Persian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak",
    "sl": "Slovenian", "es": "Spanish", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
}  # fmt: skip
# Names seen in the EUvsDisinfo exports that are not the plain English name of a language: countries
# typed into the language column of the 2015-2018 export, and dialect labels.
_LANGUAGE_ALIASES = {
    "bulgaria": "Bulgarian", "spain": "Spanish", "castilian": "Spanish", "lithuania": "Lithuanian",
    "moldova": "Romanian", "moldavian": "Romanian", "romania": "Romanian", "serbia": "Serbian",
    "germany": "German", "belarus": "Belarusian", "venezuela": "Spanish",
    "português (brazil)": "Portuguese", "português": "Portuguese",
}  # fmt: skip


def language_name(value: str) -> str:
    """An English language name for a code (``en``, ``pt-BR``) or a name; unknown values pass through."""
    value = one_line(value)
    low = value.casefold().replace("_", "-")
    if _LANGUAGE_TAG.fullmatch(low) and low[:2] in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[low[:2]]
    return _LANGUAGE_ALIASES.get(low, value)


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values in first-seen order, without case-insensitive repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = one_line(value)
        folded = value.casefold()
        if value and folded not in seen:
            seen.add(folded)
            out.append(value)
    return tuple(out)


def split_list(value: str, separators: str) -> tuple[str, ...]:
    """Split a list cell (``"NATO, Military"``, ``"Russia+Germany"``) on any of ``separators``."""
    return unique(re.split("[" + re.escape(separators) + "]", value))


# Words that start a sentence with a capital without naming anything: what the claim cues (``rank``) and
# the verifier's contrast features (``contrast``) skip when they look for names.
SENTENCE_START_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "this",
        "that",
        "it",
        "i",
        "but",
        "and",
        "as",
        "he",
        "she",
        "they",
        "we",
        "if",
        "when",
        "after",
    ]
)
