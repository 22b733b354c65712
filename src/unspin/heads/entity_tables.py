"""Tables the entity rules read: Russian name keys (by stem, so that every case of a name is one key),
known names of the war's actors and institutions in English and Russian, offices and their holders for
linking "the Russian president" to the person, and words that are never entities.

Keys are the English canonical keys of ``entities.ALIASES`` / ``DEMONYMS`` ("russia", "united states"),
so an English and a Russian mention of one actor get the same key.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A set of words written as one string (tables stay readable)."""
    return frozenset(text.split())


# Russian case and number endings, longest first: stripping them gives one stem for every form of a name
# ("Россия", "России", "Россию", "Россией" -> "росс"; "Зеленского", "Зеленским" -> "зеленск").
_RU_ENDINGS = tuple(
    sorted(
        [
            "иями",
            "ями",
            "ами",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ией",
            "ой",
            "ей",
            "ом",
            "ем",
            "ым",
            "им",
            "ая",
            "яя",
            "ую",
            "юю",
            "ое",
            "ее",
            "ые",
            "ие",
            "ых",
            "их",
            "ам",
            "ям",
            "ах",
            "ях",
            "ия",
            "ии",
            "ию",
            "ий",
            "ый",
            "ов",
            "ев",
            "а",
            "я",
            "у",
            "ю",
            "ы",
            "и",
            "е",
            "о",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)
_CYRILLIC = re.compile(r"[а-яё]", re.I)


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def ru_stem(word: str) -> str:
    """A Russian word without its case ending (stems keep at least three letters); other words and
    acronyms ("НАТО", "США") unchanged."""
    w = word.casefold().replace("ё", "е")
    if not is_cyrillic(w) or (word.isupper() and len(word) > 1):
        return w
    for e in _RU_ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 3:
            return w[: -len(e)]
    return w


# Russian stem keys (each word stemmed) -> canonical key.
RU_KEYS: dict[str, str] = {
    "росс": "russia",
    "рф": "russia",
    "российск федерац": "russia",
    "москв": "moscow",
    "кремл": "kremlin",
    "украин": "ukraine",
    "киев": "kyiv",
    "сша": "united states",
    "соединенн штат": "united states",
    "соединенн штат америк": "united states",
    "америк": "united states",
    "вашингтон": "washington",
    "ес": "european union",
    "евросоюз": "european union",
    "европейск союз": "european union",
    "нато": "nato",
    "оон": "united nations",
    "запад": "west",
    "китай": "china",
    "кнр": "china",
    "белорусс": "belarus",
    "беларус": "belarus",
    "великобритан": "united kingdom",
    "британ": "united kingdom",
    "герман": "germany",
    "франц": "france",
    "польш": "poland",
    "венгр": "hungary",
    "европ": "europe",
    "ссср": "soviet union",
    "советск союз": "soviet union",
    "всу": "armed forces of ukraine",
    "вооруженн сил украин": "armed forces of ukraine",
    "вс рф": "russian armed forces",
    "вооруженн сил росс": "russian armed forces",
    "сбу": "sbu",
    "фсб": "fsb",
    "госдум": "state duma",
    "государственн дум": "state duma",
    "дум": "state duma",
    "верховн рад": "verkhovna rada",
    "рад": "verkhovna rada",
    "мид рф": "russian foreign ministry",
    "мид росс": "russian foreign ministry",
    "мид украин": "ukrainian foreign ministry",
    "минобороны украин": "ukrainian defence ministry",
    "банков": "bankova",
    "гру": "gru",
    "гур": "hur",
    "минобороны рф": "russian defence ministry",
    "минобороны росс": "russian defence ministry",
    "совфед": "federation council",
    "совет федерац": "federation council",
    "белый дом": "white house",
    "бел дом": "white house",
    "пентагон": "pentagon",
}
# Russian nationality words (adjectives and nouns, by stem) -> country: written in lower case, still names.
RU_DEMONYMS: dict[str, str] = {
    "российск": "russia",
    "русск": "russia",
    "россиян": "russia",
    "украинск": "ukraine",
    "украинц": "ukraine",
    "украинец": "ukraine",
    "американск": "united states",
    "американц": "united states",
    "американец": "united states",
    "западн": "west",
    "китайск": "china",
    "белорусск": "belarus",
    "британск": "united kingdom",
    "немецк": "germany",
    "германск": "germany",
    "французск": "france",
    "польск": "poland",
    "венгерск": "hungary",
    "европейск": "europe",
    "советск": "soviet union",
    "натовск": "nato",
    "киевск": "kyiv",
    "московск": "moscow",
    "кремлевск": "kremlin",
}
# Display names for keys whose mentions are Russian (the nominative a person would write).
RU_NAMES: dict[str, str] = {
    "russia": "Россия",
    "ukraine": "Украина",
    "moscow": "Москва",
    "kyiv": "Киев",
    "kremlin": "Кремль",
    "united states": "США",
    "washington": "Вашингтон",
    "european union": "ЕС",
    "nato": "НАТО",
    "united nations": "ООН",
    "west": "Запад",
    "china": "Китай",
    "belarus": "Белоруссия",
    "united kingdom": "Великобритания",
    "germany": "Германия",
    "france": "Франция",
    "poland": "Польша",
    "hungary": "Венгрия",
    "europe": "Европа",
    "soviet union": "СССР",
    "armed forces of ukraine": "ВСУ",
    "russian armed forces": "ВС РФ",
    "sbu": "СБУ",
    "fsb": "ФСБ",
    "state duma": "Госдума",
    "verkhovna rada": "Верховная рада",
    "russian foreign ministry": "МИД России",
    "russian defence ministry": "Минобороны России",
    "ukrainian foreign ministry": "МИД Украины",
    "ukrainian defence ministry": "Минобороны Украины",
    "bankova": "Банковая",
    "gru": "ГРУ",
    "hur": "ГУР",
    "federation council": "Совет Федерации",
    "white house": "Белый дом",
    "pentagon": "Пентагон",
}

# English names added to entities.ALIASES (normalized form -> key).
EN_ALIASES: dict[str, str] = {
    "kiev": "kyiv",
    "the usa": "united states",
    "united states of america": "united states",
    "verkhovna rada": "verkhovna rada",
    "rada": "verkhovna rada",
    "ukrainian parliament": "verkhovna rada",
    "state duma": "state duma",
    "duma": "state duma",
    "security service of ukraine": "sbu",
    "federal security service": "fsb",
    "armed forces of ukraine": "armed forces of ukraine",
    "ukrainian armed forces": "armed forces of ukraine",
    "afu": "armed forces of ukraine",
    "russian armed forces": "russian armed forces",
    "armed forces of the russian federation": "russian armed forces",
    "ussr": "soviet union",
    "north atlantic treaty organization": "nato",
    "european union": "european union",
    "türkiye": "turkey",
    "turkiye": "turkey",
    "zelenskyy": "zelensky",
    "zelenskiy": "zelensky",
    "zelenskii": "zelensky",
    "volodymyr zelenskyy": "volodymyr zelensky",
    "volodymyr zelenskiy": "volodymyr zelensky",
    "erdoğan": "erdogan",
    "recep tayyip erdoğan": "recep tayyip erdogan",
    "russian foreign ministry": "russian foreign ministry",
    "ukrainian foreign ministry": "ukrainian foreign ministry",
    "ukrainian defence ministry": "ukrainian defence ministry",
    "ukrainian defense ministry": "ukrainian defence ministry",
    "bankova": "bankova",
    "russian defence ministry": "russian defence ministry",
    "russian defense ministry": "russian defence ministry",
}
EN_DEMONYMS: dict[str, str] = {
    "soviet": "soviet union",
    "finnish": "finland",
    "finns": "finland",
    "turkish": "turkey",
    "hungarian": "hungary",
    "georgian": "georgia",
    "moldovan": "moldova",
    "lithuanian": "lithuania",
    "latvian": "latvia",
    "estonian": "estonia",
    "italian": "italy",
    "spanish": "spain",
    "dutch": "netherlands",
    "swedish": "sweden",
    "norwegian": "norway",
    "indian": "india",
    "syrian": "syria",
    "serbian": "serbia",
    "czech": "czech republic",
    "romanian": "romania",
    "north korean": "north korea",
    "european": "europe",
}
# Keys whose mentions the rules find even where the tagger missed them: the actors of the war and the
# institutions the issue names, on both sides alike.
KNOWN_KINDS: dict[str, str] = {
    "russia": "GPE",
    "ukraine": "GPE",
    "moscow": "GPE",
    "kyiv": "GPE",
    "united states": "GPE",
    "united kingdom": "GPE",
    "european union": "ORG",
    "nato": "ORG",
    "united nations": "ORG",
    "kremlin": "ORG",
    "west": "NORP",
    "china": "GPE",
    "belarus": "GPE",
    "soviet union": "GPE",
    "armed forces of ukraine": "ORG",
    "russian armed forces": "ORG",
    "sbu": "ORG",
    "fsb": "ORG",
    "state duma": "ORG",
    "verkhovna rada": "ORG",
    "russian foreign ministry": "ORG",
    "russian defence ministry": "ORG",
    "ukrainian foreign ministry": "ORG",
    "ukrainian defence ministry": "ORG",
    "bankova": "ORG",
    "gru": "ORG",
    "hur": "ORG",
    "federation council": "ORG",
    "white house": "ORG",
    "pentagon": "ORG",
}

# Countries (keys) that a tagger sometimes runs together ("showing Japan Russia's control").
COUNTRIES = words(
    "russia ukraine united states united kingdom china japan germany france poland belarus hungary turkey "
    "finland sweden norway italy spain netherlands georgia moldova lithuania latvia estonia israel iran syria "
    "india serbia romania czech republic north korea south korea canada australia brazil kazakhstan"
)

# (country key, office) -> surname keys of those who held it (a description links to a person only when
# exactly one of them is named in the article).
OFFICE_HOLDERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("russia", "president"): ("putin", "путин"),
    ("russia", "foreign minister"): ("lavrov", "лавров"),
    ("russia", "prime minister"): ("mishustin", "medvedev", "мишустин", "медвед"),
    ("ukraine", "president"): ("zelensky", "зеленск", "poroshenko", "порошенк"),
    ("ukraine", "foreign minister"): ("kuleba", "sybiha", "кулеб", "сибиг"),
    ("united states", "president"): ("biden", "trump", "obama", "байден", "трамп", "обам"),
    ("belarus", "president"): ("lukashenko", "лукашенк"),
    ("france", "president"): ("macron", "макрон"),
    ("turkey", "president"): ("erdogan", "эрдоган"),
    ("china", "president"): ("xi jinping", "си цзиньпин"),
    ("hungary", "prime minister"): ("orban", "орбан"),
    ("united kingdom", "prime minister"): (
        "johnson",
        "truss",
        "sunak",
        "starmer",
        "джонсон",
        "сунак",
        "стармер",
    ),
}
# Office words, English and Russian stems -> office.
OFFICES: dict[str, str] = {
    "president": "president",
    "leader": "president",
    "prime minister": "prime minister",
    "premier": "prime minister",
    "foreign minister": "foreign minister",
    "президент": "president",
    "лидер": "president",
    "глав": "president",
    "премьер": "prime minister",
    "премьер-министр": "prime minister",
}

# Surname stems of the people the war's coverage names most, both sides and third parties alike: found in
# Russian text where the (English-trained) tagger misses them.
RU_PERSON_STEMS = words(
    "путин зеленск трамп байден орбан песков лавров шойгу белоусов ермак кулеб сибиг макрон шольц "
    "столтенберг рютте лукашенк медведев мишустин захаров володин матвиенк кадыров пригожин "
    "залужн сырск буданов кличк порошенк эрдоган блинкен салливан джонсон сунак стармер боррель "
    "гутерриш навальн умеров резников мединск небенз вучич фицо дуд моравецк туск"
)

# Words a tagger sometimes marks that are never an entity of the article.
NOT_NAMES = words(
    "i me my we us our you your he him his she her it its they them their s t mr mrs ms dr sir "
    "the a an this that these those who whom here there today yesterday tomorrow monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december я мы нас нам вы он она оно они его ее её их ему ей им "
    "это этот эта эти тот там здесь сегодня вчера завтра понедельник вторник среда четверг "
    "пятница суббота воскресенье если когда что как так уже еще ещё также но и а в во на с со к "
    "по о об из у за для от до при после перед через над под между in on at if when and but so as "
    "for from with by of to after before while since because then yet under over"
)
# Head words of names that the tagger often finds alone ("Union", "East"): a capitalized word before them
# belongs to the name even at the start of a sentence ("Soviet Union", "Far East").
HEAD_WORDS = words(
    "union federation republic council ministry east west sea islands island peninsula forces "
    "army kingdom states nations assembly bureau office service court party guard agency bank "
    "fund organization organisation committee commission parliament rada duma gazeta novosti"
)
