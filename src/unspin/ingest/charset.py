"""Bytes to text: find the encoding, refuse binary data, and say which encoding was used.

The order follows what browsers do, minus their locale guesswork: a byte order mark wins, then UTF-8
(nearly all text today, also when a few bytes in it are damaged), then the charset the sender declared,
then statistical detection (charset-normalizer, limited to encodings news text still comes in). Binary
data is refused early with a clear message instead of being "decoded" into thousands of control
characters that the model would happily analyze.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from unspin.errors import BadInput

# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats, for a more helpful message than "binary data". Most of them also
# contain NUL bytes, but some (GIF, PDF, bzip2) start with printable ASCII.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"OggS", "an Ogg media file"),
)

# The web treats these labels as windows-1252 (WHATWG Encoding Standard): servers that say "latin-1"
# almost always send Windows "smart quotes" in 0x80-0x9F, which true latin-1 would turn into controls.
_DECLARED_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}
# Declared charsets we never honour: UTF-7 lets ASCII-looking bytes smuggle arbitrary characters.
_NEVER_DECLARED = {"utf_7"}

# Tie-break among statistically equal guesses: the most common legacy encodings of news text first.
_PREFERRED = (
    "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "iso8859_15", "koi8_r",
    "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr",
)  # fmt: skip
# Encodings statistical detection may choose: those news text is still found in. Leaving out Mac, DOS
# and other rare code pages matters: on short texts they score as well as the right answer.
_DETECTABLE = [
    "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_9",
    "iso8859_13", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "cp866", "cp874", "tis_620",
    "gb18030", "gb2312", "gbk", "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "iso2022_jp",
    "euc_kr", "cp949", "iso2022_kr",
]  # fmt: skip
# charset-normalizer candidates within this much "chaos" of the best are treated as equally plausible.
_CHAOS_TOLERANCE = 0.05
# ... and within this much "coherence" (language fit) of the most coherent one.
_COHERENCE_TOLERANCE = 0.1

# More than this share of control characters (other than tab, newlines, form feed) means binary data.
_MAX_CONTROL_SHARE = 0.05
_CONTROL_SAMPLE = 65_536
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

# "Mostly UTF-8": a UTF-8 text with a few corrupt bytes (a stray Windows quote, a cut-off character) is
# still UTF-8; guessing a single-byte encoding for it would garble every other non-ASCII character.
# Legacy single-byte text has mostly invalid sequences (every accented letter before a plain one) and
# valid ones only by accident ("ß“" in cp1252), so valid ones outnumbering bad ones 3 to 1 means UTF-8.
_GOOD_PER_BAD_UTF8 = 3
# Last resort when detection fails (mixed encodings): UTF-8 with replacements, if few bytes are bad.
_MAX_BAD_UTF8_SHARE = 0.05


def _binary(what: str = "binary data") -> BadInput:
    return BadInput(f"The input looks like binary data ({what}), not text; give a text, HTML file or URL.")


def _codec_name(name: str) -> str | None:
    """Python's canonical name for an encoding label, or None if Python does not know it."""
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def _declared_codec(declared: str | None) -> str | None:
    if not declared:
        return None
    name = _codec_name(declared)
    if name is None:
        return None
    key = name.replace("-", "_")
    if key in _NEVER_DECLARED:
        return None
    return _DECLARED_ALIASES.get(key, name)


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        # LookupError: a codec that is not a text encoding (base64, rot13 ...) declared by a sender.
        return None


def _decode_by_nul_pattern(data: bytes) -> tuple[str, str] | None:
    """Decode BOM-less UTF-32 or UTF-16 recognised by where its NUL bytes sit, or return None.

    In UTF-32 the top byte of every code unit is zero; in UTF-16 Latin/ASCII characters put a zero in
    every other byte, always on the same side. Binary data has NULs scattered on both sides.
    """
    n = len(data)
    if n >= 4 and n % 4 == 0:
        if not any(data[3::4]) and max(data[2::4]) <= 0x10:
            text = _try_decode(data, "utf-32-le")
            if text is not None:
                return text, "utf-32-le"
        if not any(data[0::4]) and max(data[1::4]) <= 0x10:
            text = _try_decode(data, "utf-32-be")
            if text is not None:
                return text, "utf-32-be"
    if n >= 2 and n % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        # NULs mostly on one side, and not just a stray one or two: even CJK text has some ASCII
        # (digits, spaces, Latin names), while binary formats put NULs on both sides.
        for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if nuls >= 2 and nuls * 50 >= n // 2 and other * 4 <= nuls:
                text = _try_decode(data, codec)
                if text is not None:
                    return text, codec
    return None


def _utf8_replacing(data: bytes) -> tuple[str, int, int]:
    """UTF-8 with invalid bytes replaced by U+FFFD: ``(text, invalid sequences, valid non-ASCII chars)``."""
    text = data.decode("utf-8", errors="replace")
    genuine = data.count("\ufffd".encode())  # U+FFFD characters that were really in the data
    bad = text.count("\ufffd") - genuine
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return text, bad, non_ascii - bad


def _wrong_punctuation(text: str) -> int:
    """Count non-letters wedged between letters (``Rz¹d``): the mark of a wrong single-byte guess."""
    count = 0
    for i in range(1, len(text) - 1):
        ch = text[i]
        if (
            ord(ch) > 0x7F
            and not unicodedata.category(ch).startswith(("L", "M"))
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
        ):
            count += 1
    return count


def _detect(data: bytes) -> tuple[str, str] | None:
    """Statistical detection with charset-normalizer, with a tie-break that suits short news texts.

    On short texts several candidates score alike and charset-normalizer's own pick is close to random
    (mac_latin2 or hp_roman8 for plain Latin-1). So rare code pages are never candidates, and among
    equally plausible ones we pick the one without punctuation inside words, then the best language fit,
    then the most common encoding.
    """
    matches = list(from_bytes(data, cp_isolation=_DETECTABLE))
    if not matches:
        return None
    best_chaos = min(m.chaos for m in matches)
    scored: list[tuple[int, float, int, str, str]] = []
    for m in matches:
        if m.chaos > best_chaos + _CHAOS_TOLERANCE:
            continue
        # Each match lists every encoding that gives the same text; name the most common of them.
        codec = next((p for p in _PREFERRED if p in m.could_be_from_charset), m.encoding)
        rank = _PREFERRED.index(codec) if codec in _PREFERRED else len(_PREFERRED)
        sample = str(m)[:_CONTROL_SAMPLE]
        scored.append((_wrong_punctuation(sample), m.coherence, rank, codec, m.encoding))
    fewest = min(s[0] for s in scored)
    scored = [s for s in scored if s[0] == fewest]
    most_coherent = max(s[1] for s in scored)
    scored = [s for s in scored if s[1] >= most_coherent - _COHERENCE_TOLERANCE]
    _, _, _, codec, fallback = min(scored, key=lambda s: (s[2], -s[1]))
    for name in (codec, fallback):
        text = _try_decode(data, name)
        if text is not None:
            return text, _codec_name(name) or name
    return None


def _check_not_binary(text: str) -> None:
    sample = text[:_CONTROL_SAMPLE]
    if "\x00" in sample:
        raise _binary("it contains NUL characters")
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if sample and controls > _MAX_CONTROL_SHARE * len(sample):
        raise _binary(f"{controls} of its first {len(sample)} characters are control characters")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text and return ``(text, encoding)``; a leading byte order mark is removed.

    ``declared`` is the charset the sender named (HTTP header, HTML meta), used only when the data is
    not UTF-8. Returns Python's canonical codec name (``utf-8``, ``utf-16-le``, ``cp1251`` ...). The text is
    otherwise left exactly as decoded (no newline or Unicode normalization). A UTF-8 text with a few
    invalid bytes is decoded as UTF-8 with those bytes replaced by U+FFFD.

    Raises BadInput for binary data or bytes no known encoding decodes.
    """
    if not data:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data[len(bom) :], codec)
            if text is None and codec == "utf-8":
                # The mark says UTF-8, so a bad byte is damage, not another encoding: replace it.
                text = data[len(bom) :].decode("utf-8", errors="replace")
            if text is None:
                raise BadInput(f"The input starts with a {codec.upper()} byte order mark but is not {codec}.")
            _check_not_binary(text)
            return text, codec
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _binary(what)
    if b"\x00" in data:
        # Outside UTF-16/32, a NUL byte never occurs in text; in binary formats it is everywhere.
        found = _decode_by_nul_pattern(data)
        if found is None:
            raise _binary("it contains NUL bytes")
        _check_not_binary(found[0])
        return found

    text = _try_decode(data, "utf-8")
    if text is not None:
        _check_not_binary(text)
        return text, "utf-8"
    lenient, bad, good = _utf8_replacing(data)
    decoded: tuple[str, str] | None = None
    if good >= _GOOD_PER_BAD_UTF8 * bad:
        decoded = (lenient, "utf-8")
    if decoded is None and (charset := _declared_codec(declared)) is not None:
        declared_text = _try_decode(data, charset)
        if declared_text is None and charset == "cp1252":
            # The five bytes windows-1252 leaves undefined do decode in true latin-1.
            declared_text, charset = _try_decode(data, "latin-1"), "iso8859-1"
        if declared_text is not None:
            decoded = (declared_text, charset)
    if decoded is None:
        decoded = _detect(data)
    if decoded is None and bad <= _MAX_BAD_UTF8_SHARE * len(lenient):
        decoded = (lenient, "utf-8")
    if decoded is None:
        raise BadInput(
            "The input looks like binary data or text in an unknown encoding: it is not UTF-8 and no "
            "encoding could be detected."
        )
    _check_not_binary(decoded[0])
    return decoded
