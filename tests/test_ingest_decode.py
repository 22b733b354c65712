"""Bytes to text: encodings, byte order marks, and refusing binary data."""

from __future__ import annotations

import codecs
import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.errors import BadInput
from unspin.ingest import decode_bytes

ENGLISH = "The Senate passed the bill on Tuesday.\r\nCritics called it a disaster.\n"
MIXED = "The Senate passed the bill. Сенат принял закон, который критики называют катастрофой."
RUSSIAN = "Сенат принял закон, который критики называют катастрофой для всей страны."
FRENCH = "Le café était fermé à cause de la grève générale, a déclaré le ministre."

# Text as the model will see it: no control characters but tab/newlines, no lone surrogates.
text_chars = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r")
texts = st.text(text_chars, max_size=200).filter(lambda s: not s.startswith("\ufeff"))


def test_utf8_is_kept_exactly() -> None:
    assert decode_bytes(ENGLISH.encode()) == (ENGLISH, "utf-8")  # \r\n stays \r\n


def test_utf8_bom_is_removed() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + MIXED.encode()) == (MIXED, "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
@pytest.mark.parametrize("text", [ENGLISH, MIXED, RUSSIAN])
def test_utf16_and_utf32_with_bom(bom: bytes, codec: str, text: str) -> None:
    assert decode_bytes(bom + text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [ENGLISH, MIXED])
def test_utf16_and_utf32_without_bom_by_nul_pattern(codec: str, text: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_or_nuls_is_detected(codec: str) -> None:
    # Pure Cyrillic UTF-16 has no NUL bytes at all: charset-normalizer has to find it.
    assert decode_bytes(RUSSIAN.encode(codec)) == (RUSSIAN, codec)


@pytest.mark.parametrize("text", [RUSSIAN, "Привет, мир", "Путин заявил"])
def test_cp1251_cyrillic(text: str) -> None:
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας.", "cp1253"),
        ("政府宣布了新的经济措施，所有公民都必须缴纳更多的税款。", "gb18030"),
        ("政府は新しい経済対策を発表した。国民は税金を払わなければならない。", "shift_jis"),
        ("Er sagte: „Der Fuß“ ist groß, „Spaß“ und Maß.", "cp1252"),  # "ß“" is valid UTF-8 by accident
    ],
)
def test_other_legacy_encodings(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "政府宣布了新的经济措施，所有公民都必须在2025年缴纳更多的税款。总理说：这是唯一的出路。",
        "政府宣布了新的经济措施，所有公民都必须缴纳更多的税款。",  # no ASCII at all: no NUL bytes
    ],
)
def test_utf16_cjk_without_bom(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_koi8r_cyrillic() -> None:
    assert decode_bytes(RUSSIAN.encode("koi8-r")) == (RUSSIAN, "koi8-r")


@pytest.mark.parametrize(
    "text",
    [FRENCH, "café naïve", "Die Bürger müssen größere Opfer bringen.", "El niño comió jamón, según él."],
)
def test_latin1(text: str) -> None:
    decoded, encoding = decode_bytes(text.encode("latin-1"))
    assert decoded == text
    assert encoding in ("cp1252", "iso8859-1")  # identical for these bytes; the web calls both cp1252


def test_cp1250_is_not_mistaken_for_cp1252() -> None:
    text = "Rząd ogłosił, że wszyscy obywatele muszą zapłacić większe podatki."
    assert decode_bytes(text.encode("cp1250")) == (text, "cp1250")


def test_declared_charset_is_used_when_not_utf8() -> None:
    data = "Η κυβέρνηση".encode("iso8859-7")  # too short to detect reliably
    assert decode_bytes(data, "ISO-8859-7") == ("Η κυβέρνηση", "iso8859-7")


def test_declared_latin1_means_windows_1252() -> None:
    assert decode_bytes(b"\x93Quoted\x94 caf\xe9", "iso-8859-1") == ("“Quoted” café", "cp1252")


def test_utf8_wins_over_a_wrong_declaration() -> None:
    assert decode_bytes("Сенат".encode(), "windows-1252") == ("Сенат", "utf-8")


@pytest.mark.parametrize("declared", ["no-such-charset", "base64", "rot13", "utf-7", "", '"'])
def test_unknown_or_unsafe_declarations_are_ignored(declared: str) -> None:
    assert decode_bytes(RUSSIAN.encode("cp1251"), declared) == (RUSSIAN, "cp1251")


def test_mostly_utf8_with_a_stray_byte_stays_utf8() -> None:
    text = "Der Bürger ärgert sich über die Maßnahmen der Regierung, sagt er. Größe zählt: „Zitat“."
    decoded, encoding = decode_bytes(text.encode() + b" \x93oops\x94")
    assert encoding == "utf-8"
    assert decoded == text + " \ufffdoops\ufffd"


def test_utf8_bom_with_a_bad_byte_stays_utf8() -> None:
    data = codecs.BOM_UTF8 + "Größe zählt.".encode() + b"\x93"
    assert decode_bytes(data) == ("Größe zählt.\ufffd", "utf-8")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        (gzip.compress(ENGLISH.encode() * 50), "gzip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (zlib.compress(bytes(range(256)) * 8), "binary"),
        (b"plain text with one NUL\x00 in the middle", "NUL"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x01\x02\x03\x04\x05\x06text\x07\x08\x0e\x0f", "control characters"),
    ],
)
def test_binary_data_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(BadInput, match="looks like binary data") as err:
        decode_bytes(data)
    assert what in str(err.value) or what == "binary"


def test_empty_bytes_decode_to_empty_text() -> None:
    # Emptiness is the caller's error to word (load_source), not a decoding failure.
    assert decode_bytes(b"") == ("", "utf-8")


def test_broken_bom_is_refused() -> None:
    with pytest.raises(BadInput, match="byte order mark"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone high surrogate


@given(texts)
def test_utf8_round_trips_exactly(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


@given(texts)
def test_utf16_with_bom_round_trips_exactly(text: str) -> None:
    assert decode_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))[0] == text


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_raise_bad_input(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except BadInput:
        return
    assert isinstance(text, str)
    assert codecs.lookup(encoding)  # always a real codec name
