"""Entity mentions from token tags (decode_mentions) and their grouping into entities (normalize,
group_mentions): synthetic tokens and tag probabilities, no model."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.heads.entities import TAGS, RawMention, decode_mentions, group_mentions, normalize

Token = tuple[str, str]  # (piece of the text, tag name)


def tagged(text: str, tokens: list[Token], p: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of each piece (found in order in ``text``) and tag probabilities with ``p`` on its tag."""
    offsets, probs = [], []
    cursor = 0
    for piece, tag in tokens:
        s = text.index(piece, cursor)
        offsets.append((s, s + len(piece)))
        cursor = s + len(piece)
        row = np.full(len(TAGS), (1.0 - p) / (len(TAGS) - 1))
        row[TAGS.index(tag)] = p
        probs.append(row)
    return np.array(offsets, np.int64), np.array(probs, np.float32)


def spans(text: str, mentions: list[RawMention]) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in mentions]


def decode(text: str, tokens: list[Token], **kw: float) -> list[tuple[str, str]]:
    offsets, probs = tagged(text, tokens)
    mentions = decode_mentions(text, offsets, probs, **kw)
    for m in mentions:
        piece = text[m.start : m.end]
        assert piece and piece == piece.strip(), (m, piece)
    return spans(text, mentions)


def test_tags_are_o_then_b_i_per_kind() -> None:
    assert TAGS[0] == "O"
    assert len(TAGS) == 11 and "B-PERSON" in TAGS and "I-LOC" in TAGS


def test_b_i_run_is_one_mention_that_slices_the_text() -> None:
    text = "Yesterday Vladimir Putin said no."
    offsets, probs = tagged(
        text,
        [
            ("Yesterday", "O"),
            ("Vladimir", "B-PERSON"),
            ("Putin", "I-PERSON"),
            ("said", "O"),
            ("no", "O"),
            (".", "O"),
        ],
    )
    (m,) = decode_mentions(text, offsets, probs)
    assert (m.start, m.end, m.kind) == (10, 24, "PERSON")
    assert text[m.start : m.end] == "Vladimir Putin"
    assert m.confidence > 0.95


def test_empty_input() -> None:
    assert decode_mentions("", np.zeros((0, 2), np.int64), np.zeros((0, len(TAGS)), np.float32)) == []


def test_restarted_b_tags_separated_by_a_space_merge() -> None:
    text = "Troops moved to the Far East quickly."
    toks = [
        ("Troops", "O"),
        ("moved", "O"),
        ("to", "O"),
        ("the", "O"),
        ("Far", "B-LOC"),
        ("East", "B-LOC"),
        ("quickly", "O"),
        (".", "O"),
    ]
    assert decode(text, toks) == [("Far East", "LOC")]


def test_adjacent_names_of_different_kinds_are_one_name_of_the_last_kind() -> None:
    # "Soviet Union" comes out of the tagger as NORP + GPE: one name, a GPE (its head noun's kind).
    text = "the Soviet Union fell"
    toks = [("the", "O"), ("Soviet", "B-NORP"), ("Union", "B-GPE"), ("fell", "O")]
    assert decode(text, toks) == [("Soviet Union", "GPE")]


def test_different_kinds_split_at_punctuation_and_lowercase_words() -> None:
    text = "Kremlin, Moscow and Kremlin officials"
    toks = [
        ("Kremlin", "B-ORG"),
        (",", "O"),
        ("Moscow", "B-GPE"),
        ("and", "O"),
        ("Kremlin", "B-ORG"),
        ("officials", "B-GPE"),
    ]
    assert decode(text, toks) == [
        ("Kremlin", "ORG"),
        ("Moscow", "GPE"),
        ("Kremlin", "ORG"),
        ("officials", "GPE"),
    ]


def test_comma_separated_names_stay_two() -> None:
    text = "Russia, Ukraine and Belarus"
    toks = [("Russia", "B-GPE"), (",", "O"), ("Ukraine", "B-GPE"), ("and", "O"), ("Belarus", "B-GPE")]
    assert decode(text, toks) == [("Russia", "GPE"), ("Ukraine", "GPE"), ("Belarus", "GPE")]


def test_comma_gap_without_a_token_separates_even_with_i_tags() -> None:
    # No token for the comma (the gap between the runs is ", "): punctuation separates two names.
    text = "Russia, Ukraine"
    assert decode(text, [("Russia", "B-GPE"), ("Ukraine", "I-GPE")]) == [
        ("Russia", "GPE"),
        ("Ukraine", "GPE"),
    ]


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\n\n", " \n "])
def test_a_name_never_crosses_a_line_break(brk: str) -> None:
    text = f"Vladimir{brk}Putin"
    got = decode(text, [("Vladimir", "B-PERSON"), ("Putin", "I-PERSON")])
    assert got == [("Vladimir", "PERSON"), ("Putin", "PERSON")]


def test_word_pieces_share_the_first_piece_tag() -> None:
    text = "Zelensky spoke"
    offsets = np.array([(0, 3), (3, 8), (9, 14)])
    probs = np.zeros((3, len(TAGS)), np.float32)
    probs[0, TAGS.index("B-PERSON")] = 1.0
    probs[1, 0] = 1.0  # the second piece of the word is tagged O
    probs[2, 0] = 1.0
    (m,) = decode_mentions(text, offsets, probs)
    assert text[m.start : m.end] == "Zelensky" and m.kind == "PERSON"


def test_word_whose_first_piece_is_o_stays_out() -> None:
    text = "Zelensky spoke"
    offsets = np.array([(0, 3), (3, 8), (9, 14)])
    probs = np.zeros((3, len(TAGS)), np.float32)
    probs[0, 0] = 1.0
    probs[1, TAGS.index("B-PERSON")] = 1.0  # a tag inside a word does not start a name there
    probs[2, 0] = 1.0
    assert decode_mentions(text, offsets, probs) == []


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_trailing_possessive_is_trimmed(apostrophe: str) -> None:
    text = f"It was Putin{apostrophe}s war."
    toks = [
        ("It", "O"),
        ("was", "O"),
        ("Putin", "B-PERSON"),
        (apostrophe, "I-PERSON"),
        ("s", "I-PERSON"),
        ("war", "O"),
        (".", "O"),
    ]
    assert decode(text, toks) == [("Putin", "PERSON")]


def test_abbreviation_keeps_its_final_dot() -> None:
    text = "Aid from the U.S. arrived."
    toks = [
        ("Aid", "O"),
        ("from", "O"),
        ("the", "O"),
        ("U", "B-GPE"),
        (".", "I-GPE"),
        ("S", "I-GPE"),
        (".", "I-GPE"),
        ("arrived", "O"),
        (".", "O"),
    ]
    assert decode(text, toks) == [("U.S.", "GPE")]


def test_sentence_final_dot_of_a_plain_name_is_dropped() -> None:
    text = "He went to Russia."
    toks = [("He", "O"), ("went", "O"), ("to", "O"), ("Russia", "B-GPE"), (".", "I-GPE")]
    assert decode(text, toks) == [("Russia", "GPE")]


def test_edge_quotes_and_leading_space_offsets_are_trimmed() -> None:
    text = 'the "Wagner" group'
    # Offsets that include the space before the word (as byte-level tokenizers give them) and the quotes.
    offsets = np.array([(0, 3), (3, 5), (5, 11), (11, 12), (12, 18)])
    probs = np.zeros((5, len(TAGS)), np.float32)
    probs[:, 0] = 1.0
    probs[1:4] = 0.0
    probs[1, TAGS.index("B-ORG")] = 1.0
    probs[2, TAGS.index("I-ORG")] = 1.0
    probs[3, TAGS.index("I-ORG")] = 1.0
    (m,) = decode_mentions(text, offsets, probs)
    assert text[m.start : m.end] == "Wagner"


def test_low_confidence_runs_are_dropped() -> None:
    text = "Maybe Smith came"
    offsets = np.array([(0, 5), (6, 11), (12, 16)])
    probs = np.zeros((3, len(TAGS)), np.float32)
    probs[[0, 2], 0] = 1.0
    probs[1, 0] = 0.4  # O is the runner-up: confidence 1 - 0.4 = 0.6
    probs[1, TAGS.index("B-PERSON")] = 0.45
    probs[1, TAGS.index("B-ORG")] = 0.15
    (m,) = decode_mentions(text, offsets, probs, min_confidence=0.5)
    assert text[m.start : m.end] == "Smith" and m.confidence == pytest.approx(0.6)
    assert decode_mentions(text, offsets, probs, min_confidence=0.7) == []


# Any tagging of a fixed tokenization: every mention is a clean, single-line slice of the text.
TEXT = 'The "U.S." and Russia\'s envoy, Mr. Lavrov,\nmet in the Far East (Vladivostok) - Zel-ensky’s aides.'
_WORDS = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", TEXT)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, len(TAGS) - 1), min_size=len(_WORDS), max_size=len(_WORDS)))
def test_any_tagging_gives_clean_single_line_slices(tags: list[int]) -> None:
    offsets = np.array(_WORDS)
    probs = np.full((len(tags), len(TAGS)), 0.01, np.float32)
    probs[np.arange(len(tags)), tags] = 0.9
    for m in decode_mentions(TEXT, offsets, probs):
        piece = TEXT[m.start : m.end]
        assert 0 <= m.start < m.end <= len(TEXT)
        assert piece == piece.strip() and "\n" not in piece
        assert m.kind in {"PERSON", "ORG", "GPE", "NORP", "LOC"}


# --- normalize and group_mentions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("US", "united states"),
        ("U.S.", "united states"),
        ("the United States", "united states"),
        ("America", "united states"),
        ("Putin’s", "putin"),
        ("President Vladimir Putin", "vladimir putin"),
        ("the  West", "west"),
        ("Russian", "russia"),
        ("Russians", "russia"),
        ("Britain", "united kingdom"),
    ],
)
def test_normalize(name: str, key: str) -> None:
    assert normalize(name) == key


def test_normalize_without_demonyms_keeps_the_nationality_word() -> None:
    assert normalize("Russians", demonyms=False) == "russians"


def mentions_of(text: str, names: list[tuple[str, str]]) -> list[RawMention]:
    """RawMentions of each (name, kind), found in order in ``text``."""
    out, cursor = [], 0
    for name, kind in names:
        s = text.index(name, cursor)
        out.append(RawMention(s, s + len(name), kind, 0.9))
        cursor = s + len(name)
    return out


def test_surname_folds_into_the_full_name() -> None:
    text = "Putin spoke. Later Vladimir Putin left, and Putin's aides stayed."
    ms = mentions_of(text, [("Putin", "PERSON"), ("Vladimir Putin", "PERSON"), ("Putin", "PERSON")])
    (g,) = group_mentions(text, ms)
    assert g.key == "vladimir putin" and g.name == "Vladimir Putin" and g.kind == "PERSON"
    assert [m.start for m in g.mentions] == sorted(m.start for m in ms)


def test_surname_does_not_fold_across_kinds() -> None:
    text = "George Washington was born far from Washington."
    ms = mentions_of(text, [("George Washington", "PERSON"), ("Washington", "GPE")])
    groups = group_mentions(text, ms)
    assert sorted((g.key, g.kind) for g in groups) == [("george washington", "PERSON"), ("washington", "GPE")]


def test_us_aliases_are_one_entity() -> None:
    text = "The US said the U.S. would help; the United States did."
    ms = mentions_of(text, [("US", "GPE"), ("U.S.", "GPE"), ("the United States", "GPE")])
    (g,) = group_mentions(text, ms)
    assert g.key == "united states" and g.kind == "GPE" and len(g.mentions) == 3


def test_demonyms_fold_into_the_country_which_keeps_its_name() -> None:
    text = "Russian troops and Russians at home back Russia, the Russian press says."
    ms = mentions_of(
        text, [("Russian", "NORP"), ("Russians", "NORP"), ("Russia", "GPE"), ("Russian", "NORP")]
    )
    (g,) = group_mentions(text, ms)
    assert g.key == "russia"
    assert g.name == "Russia"  # not the more frequent "Russian"
    assert g.kind == "GPE"  # NORP is the majority, yet a country named by its demonym is a country
    assert len(g.mentions) == 4


@pytest.mark.parametrize(
    ("names", "country"), [(["Ukrainians", "Ukrainian"], "Ukraine"), (["Americans"], "United States")]
)
def test_group_of_only_demonyms_gets_the_country_name(names: list[str], country: str) -> None:
    text = " and ".join(names)
    (g,) = group_mentions(text, mentions_of(text, [(n, "NORP") for n in names]))
    assert g.name == country and g.kind == "GPE"


def test_kind_of_a_group_is_its_majority_kind() -> None:
    text = "NATO and NATO and NATO"
    ms = mentions_of(text, [("NATO", "ORG"), ("NATO", "GPE"), ("NATO", "ORG")])
    (g,) = group_mentions(text, ms)
    assert g.kind == "ORG"


def test_name_is_the_longest_of_the_two_most_frequent_forms() -> None:
    text = "Biden, Biden, Joe Biden and President Joe Biden"
    ms = mentions_of(
        text,
        [
            ("Biden", "PERSON"),
            ("Biden", "PERSON"),
            ("Joe Biden", "PERSON"),
            ("President Joe Biden", "PERSON"),
        ],
    )
    (g,) = group_mentions(text, ms)
    assert g.key == "joe biden" and len(g.mentions) == 4
    assert g.name == "Joe Biden"  # "Biden" x2 and "Joe Biden" x1 are the two most frequent


def test_mentions_with_an_empty_key_are_skipped() -> None:
    text = "the ... Kyiv"
    ms = [RawMention(4, 7, "GPE", 0.9), RawMention(8, 12, "GPE", 0.9)]
    assert [g.key for g in group_mentions(text, ms)] == ["kyiv"]
