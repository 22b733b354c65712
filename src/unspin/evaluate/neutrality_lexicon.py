"""The names the neutrality audit swaps: each side's country, demonyms, capital, seat of power, leaders and
institutions, in English and Russian, each paired with the other side's counterpart and with an invented
placebo name.

English names do not inflect (a possessive "'s" follows whatever replaces them). Russian names do: each is
a paradigm of six singular cases (nominative, genitive, dative, accusative, instrumental, prepositional) so
that "России" after "в" becomes "Украине" and after "против" "Украины". Adjectives and derived words swap
their stem and keep their ending ("российскими" -> "украинскими"), which covers every gender, number and case.
"""

from __future__ import annotations

from dataclasses import dataclass

RU, UA = "russia", "ukraine"
SIDES = (RU, UA)
# Kinds whose mentions name the country itself (the entity whose role the audit follows).
COUNTRY_KINDS = frozenset({"country", "demonym"})
LEADER_KINDS = frozenset({"leader"})

NOM, GEN, DAT, ACC, INS, PREP = range(6)


@dataclass(frozen=True)
class Name:
    """One name of one side. ``forms`` are the surfaces to find (English: any number of spellings, all
    rendered by ``forms[0]``; Russian: the six cases, in order). ``place`` is the pair of prepositions
    this name takes for "in/to" and "from" in Russian ("в"/"из" for Россия and, in a swap, for Украина;
    "на"/"с" for Банковая)."""

    side: str
    kind: str
    forms: tuple[str, ...]
    place: tuple[str, str] = ("в", "из")


@dataclass(frozen=True)
class Pair:
    """A name of Russia's side, its Ukrainian counterpart, and invented names for each (the placebo)."""

    russia: Name
    ukraine: Name
    placebo_russia: Name
    placebo_ukraine: Name
    inflected: bool = False  # Russian paradigm: forms are the six cases


def _en(kind: str, ru: tuple[str, ...], ua: tuple[str, ...], p_ru: str, p_ua: str) -> Pair:
    return Pair(Name(RU, kind, ru), Name(UA, kind, ua), Name(RU, kind, (p_ru,)), Name(UA, kind, (p_ua,)))


def _cases(stem: str, endings: str) -> tuple[str, ...]:
    """Six case forms from a stem and six space-separated endings ('-' for none)."""
    return tuple(stem + ("" if e == "-" else e) for e in endings.split())


def _ru(
    kind: str,
    ru: tuple[str, ...],
    ua: tuple[str, ...],
    p_ru: tuple[str, ...],
    p_ua: tuple[str, ...],
    ru_place: tuple[str, str] = ("в", "из"),
    ua_place: tuple[str, str] = ("в", "из"),
) -> Pair:
    assert all(len(f) == 6 for f in (ru, ua, p_ru, p_ua)), (ru, ua)
    return Pair(
        Name(RU, kind, ru, ru_place),
        Name(UA, kind, ua, ua_place),
        Name(RU, kind, p_ru),
        Name(UA, kind, p_ua),
        inflected=True,
    )


# Endings of feminine nouns in -ия (Россия) and -а (Украина, Москва), of masculine nouns (Киев, Путин)
# and of masculine surnames in -ский (Зеленский).
_IYA = "ия ии ии ию ией ии"
_A = "а ы е у ой е"
_HARD = "- а у - ом е"
_SURNAME_IN = "- а у а ым е"
_SKIY = "ий ого ому ого им ом"
_INDECLINABLE = "- - - - - -"


def _two(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """A two-word name whose words decline together ("Верховная рада", "Верховной рады" ...)."""
    return tuple(a + " " + b for a, b in zip(first, second, strict=True))


_RADA = _two(_cases("Верховн", "ая ой ой ую ой ой"), _cases("рад", _A))

ENGLISH: tuple[Pair, ...] = (
    _en(
        "country",
        ("Russia", "the Russian Federation", "Russian Federation"),
        ("Ukraine",),
        "Norvalia",
        "Estravia",
    ),
    _en("demonym", ("Russian",), ("Ukrainian",), "Norvalian", "Estravian"),
    _en("demonym", ("Russians",), ("Ukrainians",), "Norvalians", "Estravians"),
    _en("capital", ("Moscow",), ("Kyiv", "Kiev"), "Tarnov", "Velsk"),
    _en("seat", ("the Kremlin", "Kremlin"), ("Bankova",), "the Citadel", "Marrow Hall"),
    _en(
        "leader",
        ("Vladimir Putin", "Vladimir Vladimirovich Putin"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "Vladimir Zelensky"),
        "Arvid Korvan",
        "Tomas Baltrin",
    ),
    _en(
        "leader",
        ("Putin",),
        ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskii", "Zelenski"),
        "Korvan",
        "Baltrin",
    ),
    _en(
        "minister",
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Dmytro Kuleba", "Dmitry Kuleba"),
        "Elias Marsk",
        "Ivo Denner",
    ),
    _en("minister", ("Lavrov",), ("Kuleba",), "Marsk", "Denner"),
    _en(
        "minister",
        ("Sergei Shoigu", "Sergey Shoigu"),
        ("Oleksii Reznikov", "Oleksiy Reznikov"),
        "Paul Tessin",
        "Karl Orrin",
    ),
    _en("minister", ("Shoigu",), ("Reznikov",), "Tessin", "Orrin"),
    _en("parliament", ("State Duma",), ("Verkhovna Rada",), "Grand Assembly", "High Council"),
    _en("parliament", ("Duma",), ("Rada",), "Assembly", "Council"),
    _en("security", ("FSB",), ("SBU",), "NSV", "KVB"),
    _en("phobia", ("Russophobia",), ("Ukrainophobia",), "Norvalophobia", "Estravophobia"),
    _en("phobia", ("Russophobic",), ("Ukrainophobic",), "Norvalophobic", "Estravophobic"),
)

RUSSIAN: tuple[Pair, ...] = (
    _ru(
        "country", _cases("Росс", _IYA), _cases("Украин", _A), _cases("Норвал", _IYA), _cases("Эстравин", _A)
    ),
    _ru(
        "country",
        _two(_cases("Российск", "ая ой ой ую ой ой"), _cases("Федерац", _IYA)),
        _cases("Украин", _A),
        _cases("Норвал", _IYA),
        _cases("Эстравин", _A),
    ),
    _ru(
        "country",
        _cases("РФ", _INDECLINABLE),
        _cases("Украин", _A),
        _cases("Норвал", _IYA),
        _cases("Эстравин", _A),
    ),
    _ru(
        "demonym",
        _cases("россиян", "ин ина ину ина ином ине"),
        _cases("украин", "ец ца цу ца цем це"),
        _cases("норвал", "ец ьца ьцу ьца ьцем ьце"),
        _cases("эстравин", "ец ца цу ца цем це"),
    ),
    _ru(
        "demonym",
        _cases("россиян", "е - ам - ами ах"),
        _cases("украин", "цы цев цам цев цами цах"),
        _cases("норвал", "ьцы ьцев ьцам ьцев ьцами ьцах"),
        _cases("эстравин", "цы цев цам цев цами цах"),
    ),
    _ru("capital", _cases("Москв", _A), _cases("Киев", _HARD), _cases("Тарнов", _A), _cases("Вельск", _HARD)),
    _ru(
        "seat",
        ("Кремль", "Кремля", "Кремлю", "Кремль", "Кремлём", "Кремле"),
        _cases("Банков", "ая ой ой ую ой ой"),
        _cases("Цитадел", "ь и и ь ью и"),
        _cases("Маррохолл", _HARD),
        ua_place=("на", "с"),
    ),
    _ru(
        "leader",
        _cases("Путин", _SURNAME_IN),
        _cases("Зеленск", _SKIY),
        _cases("Корвин", _SURNAME_IN),
        _cases("Бальтрин", _SURNAME_IN),
    ),
    _ru(
        "minister",
        _cases("Лавров", _SURNAME_IN),
        _cases("Кулеб", _A),
        _cases("Марск", _HARD),
        _cases("Деннер", _HARD),
    ),
    _ru(
        "minister",
        _cases("Шойгу", _INDECLINABLE),
        _cases("Резников", _SURNAME_IN),
        _cases("Тессин", _SURNAME_IN),
        _cases("Оррин", _SURNAME_IN),
    ),
    _ru(
        "parliament", _cases("Госдум", _A), _RADA, _cases("Ассамбле", "я и е ю ей е"), _cases("Совет", _HARD)
    ),
    _ru(
        "parliament",
        _two(_cases("Государственн", "ая ой ой ую ой ой"), _cases("дум", _A)),
        _RADA,
        _cases("Ассамбле", "я и е ю ей е"),
        _cases("Совет", _HARD),
    ),
    _ru(
        "parliament",
        _cases("Дум", _A),
        _cases("Рад", _A),
        _cases("Ассамбле", "я и е ю ей е"),
        _cases("Совет", _HARD),
    ),
    _ru(
        "security",
        _cases("ФСБ", _INDECLINABLE),
        _cases("СБУ", _INDECLINABLE),
        _cases("НСВ", _INDECLINABLE),
        _cases("КВБ", _INDECLINABLE),
    ),
    _ru(
        "army",
        _cases("ВС РФ", _INDECLINABLE),
        _cases("ВСУ", _INDECLINABLE),
        _cases("ВСН", _INDECLINABLE),
        _cases("ВСЭ", _INDECLINABLE),
    ),
)

# Stems swapped with whatever ending follows (adjectives of every gender, number and case; derived words).
# (russia-side stem, ukraine-side stem, placebo russia, placebo ukraine, kind)
STEMS: tuple[tuple[str, str, str, str, str], ...] = (
    ("российск", "украинск", "норвальск", "эстравинск", "demonym"),
    ("русофоб", "украинофоб", "норвалофоб", "эстравофоб", "phobia"),
    ("московск", "киевск", "тарновск", "вельск", "capital"),
)
# One-way: "русский" (Russian, ethnic or language) has no separate Ukrainian counterpart; it maps to
# "украинск-" like "российск-", and "украинск-" maps back to "российск-".
ONE_WAY_STEMS: tuple[tuple[str, str, str, str], ...] = (("русск", "украинск", "норвальск", "demonym"),)
ADJECTIVE_ENDINGS = (
    "и",
    "ий",
    "ого",
    "ому",
    "им",
    "ом",
    "ая",
    "ой",
    "ую",
    "ою",
    "ое",
    "ие",
    "их",
    "ими",
    "ые",
    "ых",
    "ыми",
)

# Cases a preposition governs: it picks the case of an ambiguous form ("России": genitive after "против",
# prepositional after "в").
PREPOSITION_CASES: dict[str, frozenset[int]] = {
    **dict.fromkeys(("в", "во", "на"), frozenset({ACC, PREP})),
    **dict.fromkeys(("о", "об", "обо", "при"), frozenset({PREP})),
    **dict.fromkeys(("к", "ко", "по", "благодаря", "вопреки", "согласно", "навстречу"), frozenset({DAT})),
    **dict.fromkeys(
        (
            "из",
            "изо",
            "от",
            "ото",
            "до",
            "для",
            "у",
            "без",
            "против",
            "после",
            "около",
            "вокруг",
            "среди",
            "кроме",
            "ради",
            "возле",
            "вместо",
            "со стороны",
        ),
        frozenset({GEN}),
    ),
    **dict.fromkeys(("с", "со"), frozenset({GEN, INS})),
    **dict.fromkeys(("через", "про", "сквозь"), frozenset({ACC})),
    **dict.fromkeys(("за", "под", "подо"), frozenset({ACC, INS})),
    **dict.fromkeys(("над", "перед", "между"), frozenset({INS})),
}
# Without a preposition, the likeliest reading of an ambiguous form ("России" alone is usually genitive:
# "президент России").
CASE_PREFERENCE = (NOM, GEN, ACC, DAT, PREP, INS)
