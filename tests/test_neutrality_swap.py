"""Counterfactual copies for the neutrality audit: names swapped (English and Russian, inflected), invented
names for the placebo, and an alignment that maps every untouched character exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.evaluate.neutrality_swap import make_variant


def swap(text: str) -> str:
    return make_variant(text, "swap").text


def test_english_names_swap_simultaneously_with_case_and_possessive() -> None:
    text = "Russia's army entered Ukraine. Putin called Zelenskyy; RUSSIA and the Kremlin denied it in Moscow and Kiev."
    assert swap(text) == (
        "Ukraine's army entered Russia. Zelensky called Putin; UKRAINE and Bankova denied it in Kyiv and Moscow."
    )


def test_swapping_twice_gives_the_text_back_for_canonical_spellings() -> None:
    text = "Russian troops and Ukrainians. Vladimir Putin met Volodymyr Zelensky in Kyiv, not in Moscow. The Duma, the FSB."
    assert swap(swap(text)) == text
    assert swap(text) != text


def test_words_containing_a_name_are_left_alone() -> None:
    text = "Russians and Russia; a Russianist, Prussia and ukraineweb.com"
    assert swap(text) == "Ukrainians and Ukraine; a Russianist, Prussia and ukraineweb.com"


def test_a_name_at_the_start_of_a_sentence_is_capitalized_in_the_copy() -> None:
    assert swap("It was quiet. Bankova said nothing.") == "It was quiet. The Kremlin said nothing."
    assert swap("He said Bankova agreed.") == "He said the Kremlin agreed."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Войска России вошли в город.", "Войска Украины вошли в город."),
        ("Санкции против России.", "Санкции против Украины."),
        ("Говорят о России.", "Говорят об Украине."),
        ("Путь к России.", "Путь к Украине."),
        ("Жизнь на Украине.", "Жизнь в России."),
        ("Жизнь в России.", "Жизнь в Украине."),
        ("Переговоры с Россией.", "Переговоры с Украиной."),
        ("Беженцы с Украины.", "Беженцы из России."),
        ("Россия и Украина.", "Украина и Россия."),
        ("Российскими и украинскими силами.", "Украинскими и российскими силами."),
        ("В Кремле ответили, из Кремля звонили.", "На Банковой ответили, с Банковой звонили."),
        ("В Москве и к Москве; в Киев.", "В Киеве и к Киеву; в Москву."),
        ("Путина поддержал Лавров.", "Зеленского поддержал Кулеба."),
        ("Госдума и Верховная рада.", "Верховная рада и Госдума."),
        ("Это россияне и украинцам.", "Это украинцы и россиянам."),
        ("ВСУ и ФСБ.", "ВС РФ и СБУ."),
    ],
)
def test_russian_names_keep_their_case_and_preposition(text: str, expected: str) -> None:
    assert swap(text) == expected


def test_lowercase_homonyms_of_proper_names_stay() -> None:
    assert swap("Она рада, что дума о мире.") == "Она рада, что дума о мире."


def test_placebo_leaves_no_real_name() -> None:
    text = (
        "Russia and Ukraine; Russians, Ukrainians; Putin and Zelensky in Moscow and Kyiv. "
        "Россия и Украина, российские и украинские, Путин и Зеленский, в Москве и Киеве, Кремль."
    )
    out = make_variant(text, "placebo").text
    assert not re.search(
        r"Russia|Ukrain|Putin|Zelensk|Moscow|Kyiv|Росси|Украин|Путин|Зеленск|Москв|Киев|Кремл", out
    ), out


def test_segments_quote_both_texts_and_record_the_textual_side() -> None:
    text = "Putin spoke. Ukraine answered, and the Russian army moved."
    v = make_variant(text, "swap")
    assert [(text[s.start : s.end], v.text[s.new_start : s.new_end], s.side, s.kind) for s in v.segments] == [
        ("Putin", "Zelensky", "russia", "leader"),
        ("Ukraine", "Russia", "ukraine", "country"),
        ("Russian", "Ukrainian", "russia", "demonym"),
    ]


def test_original_mode_changes_nothing_but_finds_the_names() -> None:
    text = "Кремль и Kremlin, Russia."
    v = make_variant(text, "original")
    assert v.text == text
    assert [text[s.start : s.end] for s in v.segments] == ["Кремль", "Kremlin", "Russia"]


FILLER = st.sampled_from(
    ["war", "talks", "the", "said", "in", "и", "в", "на", "против", "сказал", ",", ".", "\n"]
)
NAMES = st.sampled_from(
    [
        "Russia",
        "Ukraine",
        "Russian",
        "Kyiv",
        "Kiev",
        "Putin",
        "Zelenskyy",
        "the Kremlin",
        "России",
        "Украине",
        "российских",
        "Москву",
        "Киеве",
        "Путина",
        "Верховной рады",
        "RUSSIA",
        "Russia's",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(FILLER, NAMES), min_size=1, max_size=30), st.sampled_from(["swap", "placebo"]))
def test_alignment_maps_every_untouched_word_onto_itself(words: list[str], mode: str) -> None:
    text = " ".join(words)
    v = make_variant(text, mode)  # type: ignore[arg-type]
    covered = [(s.start, s.end) for s in v.segments]
    for m in re.finditer(r"\w+", text):
        if any(a < m.end() and m.start() < b for a, b in covered):
            continue
        a, b = v.to_variant(m.start(), m.end())
        assert v.text[a:b] == m.group(0)
    for s in v.segments:
        assert v.to_variant(s.start, s.end) == (s.new_start, s.new_end)
    assert len(v.text) == len(text) + sum((s.new_end - s.new_start) - (s.end - s.start) for s in v.segments)
