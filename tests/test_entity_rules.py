"""Entities a person would list: fragments completed, non-names and datelines dropped, aliases merged,
descriptions linked, Russian forms normalized; every mention still an exact slice of the text."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.heads.entities import RawMention, group_mentions, normalize
from unspin.heads.entity_rules import datelines, refine


def mentions_of(text: str, names: list[tuple[str, str]]) -> list[RawMention]:
    out, cursor = [], 0
    for name, kind in names:
        s = text.index(name, cursor)
        out.append(RawMention(s, s + len(name), kind, 0.9))
        cursor = s + len(name)
    return out


def listed(text: str, names: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Entity name -> its mentions' texts (checking that every mention slices the text)."""
    out = {}
    for g in group_mentions(text, mentions_of(text, names)):
        quoted = [text[m.start : m.end] for m in g.mentions]
        assert all(q and q == q.strip() for q in quoted)
        out[g.name] = quoted
    return out


def test_fragments_are_completed() -> None:
    text = "Putin flew to the Russian Far East. In the Far East, the Soviet Union's legacy. He met Recep Tayyip Erdoğan."
    got = listed(
        text,
        [
            ("Russian Far", "LOC"),
            ("Far", "LOC"),
            ("Union", "GPE"),
            ("Tayyip", "PERSON"),
            ("Erdoğan", "PERSON"),
        ],
    )
    assert got["Russian Far East"] == ["Russian Far East", "Far East"]
    assert "Soviet Union" in got and "Recep Tayyip Erdoğan" in got
    assert not {"Far", "Union", "Tayyip", "Russian Far"} & set(got)


def test_pronouns_single_letters_and_lowercase_words_are_not_names() -> None:
    text = "Let us see what s he said in Russia. эфире два"
    got = listed(text, [("us", "GPE"), ("s", "ORG"), ("Russia", "GPE"), ("эфире", "ORG"), ("два", "PERSON")])
    assert list(got) == ["Russia"]


@pytest.mark.parametrize(
    "text",
    [
        "LONDON — Talks resumed in Russia.",
        "KYIV (Reuters) -Russia fired two missiles.",
        "NUSA DUA – The European Council president spoke about Russia.",
        "ISTANBUL, TURKEY | Xinhua | Delegations of Russia met.",
        "СИМФЕРОПОЛЬ, 11 июл – РИА Новости Крым. Россия ответила.",
    ],
)
def test_datelines_are_not_entities(text: str) -> None:
    place = text.split(",")[0].split(" (")[0].split(" –")[0].split(" —")[0]
    (span,) = datelines(text)
    assert text[span[0] : span[1]] == place
    got = listed(text, [(place, "GPE")])
    assert place not in got and not any(place in m for ms in got.values() for m in ms)


def test_an_acronym_opening_a_paragraph_is_not_a_dateline() -> None:
    assert datelines("NATO, the alliance said, will meet.") == []


def test_us_aliases_and_kyiv_spellings_merge() -> None:
    text = (
        "the US, the U.S. and the USA are the United States; Kiev is Kyiv; the Russian Federation is Russia."
    )
    got = listed(
        text,
        [
            ("US", "GPE"),
            ("U", "GPE"),
            ("USA", "GPE"),
            ("United States", "GPE"),
            ("Kiev", "GPE"),
            ("Kyiv", "GPE"),
            ("Russian Federation", "GPE"),
            ("Russia", "GPE"),
        ],
    )
    assert got["United States"] == ["US", "U.S.", "USA", "United States"]
    assert got["Kyiv"] == ["Kiev", "Kyiv"]
    assert got["Russia"] == ["Russian Federation", "Russia"]


def test_compound_of_two_actors_is_two_mentions() -> None:
    text = "The Russian-Ukrainian war and the Finnish-Russian border."
    got = listed(text, [("Russian-Ukrainian", "NORP"), ("Finnish-Russian", "NORP")])
    assert (
        got["Russia"] == ["Russian", "Russian"]
        and got["Ukraine"] == ["Ukrainian"]
        and got["Finland"] == ["Finnish"]
    )


def test_institutions_of_both_sides_are_known_even_when_the_tagger_misses_them() -> None:
    text = "The Verkhovna Rada and the State Duma, the SBU and the FSB, the Kremlin. ВСУ и ВС РФ, Верховная рада и Госдума."
    got = listed(text, [])
    for name in ("Verkhovna Rada", "State Duma", "SBU", "FSB", "Kremlin", "ВСУ", "ВС РФ"):
        assert name in got, (name, got)
    # One institution, one entity, whatever the language.
    assert got["Verkhovna Rada"] == ["Verkhovna Rada", "Верховная рада"]
    assert got["State Duma"] == ["State Duma", "Госдума"]


def test_a_description_joins_the_only_holder_named() -> None:
    text = "Vladimir Putin spoke. The Russian president said the Russian army would stay."
    got = listed(text, [("Vladimir Putin", "PERSON"), ("Russian", "NORP"), ("Russian", "NORP")])
    assert got["Vladimir Putin"] == ["Vladimir Putin", "The Russian president"]
    assert got["Russia"] == ["Russian"]  # the army's "Russian"; the president's is part of the description


def test_a_description_stays_unlinked_when_the_holder_is_not_named_or_ambiguous() -> None:
    text = "The US president met Joe Biden and Donald Trump. The Ukrainian president was absent."
    got = listed(
        text, [("US", "GPE"), ("Joe Biden", "PERSON"), ("Donald Trump", "PERSON"), ("Ukrainian", "NORP")]
    )
    assert got["Joe Biden"] == ["Joe Biden"] and got["Donald Trump"] == ["Donald Trump"]
    assert got["Ukraine"] == ["Ukrainian"]


def test_a_title_before_the_name_is_not_a_description() -> None:
    text = "Russian President Vladimir Putin spoke."
    got = listed(text, [("Russian", "NORP"), ("Vladimir Putin", "PERSON")])
    assert got["Vladimir Putin"] == ["Vladimir Putin"]


def test_russian_description_links_in_russian() -> None:
    text = "Владимир Зеленский выступил. Президент Украины заявил, что украинский лидер не уступит."
    got = listed(text, [("Владимир Зеленский", "PERSON")])
    assert got["Владимир Зеленский"] == ["Владимир Зеленский", "Президент Украины", "украинский лидер"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Россия", "russia"),
        ("России", "russia"),
        ("Россию", "russia"),
        ("РФ", "russia"),
        ("Российской Федерации", "russia"),
        ("российских", "russia"),
        ("Украины", "ukraine"),
        ("украинцев", "ukraine"),
        ("Киеве", "kyiv"),
        ("Kiev", "kyiv"),
        ("Москвы", "moscow"),
        ("Путина", "путин"),
        ("В. Путин", "путин"),
        ("Путиным", "путин"),
        ("Зеленского", "зеленск"),
        ("Зеленский", "зеленск"),
        ("Госдумы", "state duma"),
        ("Верховной рады", "verkhovna rada"),
        ("США", "united states"),
        ("the USA", "united states"),
        ("Zelenskyy", "zelensky"),
        ("T. Carlson", "carlson"),
    ],
)
def test_russian_and_english_forms_normalize_to_one_key(name: str, key: str) -> None:
    assert normalize(name) == key


def test_russian_cases_of_a_person_are_one_entity_named_in_the_nominative_when_known() -> None:
    text = "Путин приехал. Путина встретили, с Путиным говорили. Россия, России, Россией."
    got = listed(text, [("Путин", "PERSON"), ("Путина", "PERSON"), ("Путиным", "PERSON")])
    assert got["Путин"] == ["Путин", "Путина", "Путиным"]
    assert got["Россия"] == ["Россия", "России", "Россией"]


TEXT = "KYIV (Reuters) - The U.S. and Russia's envoy met the Russian president Vladimir Putin in the Far East.\nВ Госдуме РФ и Верховной раде Украины говорили о Путине."
_WORDS = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", TEXT)]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_WORDS) - 1),
            st.integers(1, 3),
            st.sampled_from(["PERSON", "ORG", "GPE", "NORP", "LOC"]),
        ),
        max_size=12,
    )
)
def test_refined_mentions_are_clean_disjoint_slices(spans: list[tuple[int, int, str]]) -> None:
    ms = [RawMention(_WORDS[i][0], _WORDS[min(i + n, len(_WORDS)) - 1][1], k, 0.9) for i, n, k in spans]
    out = refine(TEXT, ms, normalize)
    for a, b in itertools.pairwise(out):
        assert a.end <= b.start
    for m in out:
        piece = TEXT[m.start : m.end]
        assert piece and piece == piece.strip()
    for g in group_mentions(TEXT, ms):
        assert g.mentions and g.name


def test_two_countries_side_by_side_stay_two() -> None:
    text = "It showed Japan Russia's control over the islands."
    got = listed(text, [("Japan Russia", "GPE")])
    assert got == {"Japan": ["Japan"], "Russia": ["Russia"]}


def test_a_shorter_place_or_organization_name_joins_the_only_longer_one() -> None:
    text = "The South Kuril Islands are disputed; the Kuril Islands matter. The Armed Forces; the Armed Forces of Ukraine and the Russian Armed Forces."
    got = listed(text, [("South Kuril Islands", "LOC"), ("Kuril Islands", "LOC"), ("Armed Forces", "ORG")])
    assert got["South Kuril Islands"] == ["South Kuril Islands", "Kuril Islands"]
    assert "Armed Forces" in got  # two longer names end with it: it stays on its own


def test_russian_display_name_is_not_an_instrumental() -> None:
    text = "с Владимиром Зеленским, Зеленского, Зеленскому; Владимир Зеленский"
    names = [
        ("Владимиром Зеленским", "PERSON"),
        ("Зеленского", "PERSON"),
        ("Зеленскому", "PERSON"),
        ("Владимир Зеленский", "PERSON"),
    ]
    assert list(listed(text, names)) == ["Владимир Зеленский"]


def test_each_known_institution_has_its_counterpart_on_the_other_side() -> None:
    # The rules must not find one side's institutions and miss the other's (the audit swaps them).
    pairs = [
        ("Kremlin", "Bankova"),
        ("State Duma", "Verkhovna Rada"),
        ("FSB", "SBU"),
        ("GRU", "HUR"),
        ("Russian Foreign Ministry", "Ukrainian Foreign Ministry"),
        ("Кремль", "Банковая"),
        ("ВС РФ", "ВСУ"),
        ("МИД России", "МИД Украины"),
        ("Минобороны России", "Минобороны Украины"),
        ("Госдума", "Верховная рада"),
    ]
    for ru, ua in pairs:
        text = (
            f"Вчера {ru} и {ua} ответили."
            if any("а" <= c <= "я" for c in ru.lower())
            else f"Then {ru} and {ua} replied."
        )
        got = listed(text, [])
        assert len(got) == 2, (ru, ua, got)
