"""Rule-made article sentences around a known claim's title, for training and testing the match verifier.

Articles rarely quote a debunked claim the way EUvsDisinfo titles it. They report it ("Lavrov claimed
that ..."), hedge it ("Reportedly, ..."), quote part of it, wrap it in context ("Speaking on Sunday, ...")
— all still the *same* claim. Or they refute it ("There is no evidence that ...", "... falsely claimed
that ...") or state its negation — the *opposite*. Or they say the same thing about someone else (another
country, another number) — a *different* claim. Each function returns the new sentence and a short name of
the rule, so evaluation can report per rule; all randomness comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
import re

from unspin.claims.contrast import STOPWORDS

SOURCES = (
    "Russian state television",
    "The Kremlin",
    "Sputnik",
    "Pro-Kremlin media",
    "A Russian official",
    "The foreign ministry",
    "The outlet",
    "Officials in Moscow",
    "The spokesperson",
    "Sergey Lavrov",
    "Maria Zakharova",
    "Dmitry Peskov",
    "RT",
    "The commentator",
    "The newspaper",
    "Several bloggers",
    "The ambassador",
    "A senior lawmaker",
    "The channel's host",
    "The website",
)
CONTEXTS = (
    "Speaking on state television on Sunday, ",
    "In an interview published on Monday, ",
    "At a press conference in Moscow, ",
    "In a statement released late on Friday, ",
    "During a talk show on Thursday, ",
    "In a column for the weekly, ",
)
HEDGES = (
    "Reportedly, {t}.",
    "It is possible that {t}.",
    "Some experts believe that {t}.",
    "{T}, it seems.",
    "Many now suspect that {t}.",
    "It appears that {t}.",
    "{T}, according to some observers.",
)
REPORTED = (
    "{S} claimed that {t}.",
    "{S} said that {t}.",
    "According to {s}, {t}.",
    "{T}, {s} said.",
    "{S} insists that {t}.",
    "{S} has repeatedly argued that {t}.",
    "{C}{s} said that {t}.",
    "{C}{s} claimed that {t}.",
    "{S} told viewers that {t}.",
    'As {s} put it, "{t}".',
)
REFUTED = (
    "It is false that {t}.",
    "There is no evidence that {t}.",
    "Contrary to Kremlin claims, it is not true that {t}.",
    "{S} falsely claimed that {t}.",
    "The claim that {t} has been debunked.",
    "Fact-checkers found no proof that {t}.",
    "It is a myth that {t}.",
    "{S} spread the baseless claim that {t}.",
    "The allegation that {t} is untrue.",
)
COUNTRIES = (
    "Russia",
    "Ukraine",
    "Poland",
    "Germany",
    "France",
    "Britain",
    "Japan",
    "China",
    "Lithuania",
    "Latvia",
    "Estonia",
    "Georgia",
    "Moldova",
    "Belarus",
    "Sweden",
    "Finland",
    "Turkey",
    "Syria",
    "Hungary",
    "Romania",
    "Italy",
    "Spain",
    "Canada",
    "Norway",
    "Serbia",
    "Armenia",
    "Kazakhstan",
    "Bulgaria",
    "Czechia",
    "Austria",
)
_NEGATED = {
    "doesn't": "does",
    "don't": "do",
    "didn't": "did",
    "isn't": "is",
    "aren't": "are",
    "wasn't": "was",
    "weren't": "were",
    "won't": "will",
    "can't": "can",
    "cannot": "can",
    "hasn't": "has",
    "haven't": "have",
    "hadn't": "had",
    "wouldn't": "would",
    "shouldn't": "should",
    "couldn't": "could",
}
_PUNCT = ",.;:!?\"'«»“”()"
ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the US", ("Washington", "the United States", "America")),
    ("The US", ("Washington", "The United States", "America")),
    ("the USA", ("Washington", "the United States")),
    ("the EU", ("Brussels", "the European Union")),
    ("The EU", ("Brussels", "The European Union")),
    ("Russia", ("Moscow", "the Kremlin")),
    ("NATO", ("the alliance", "the North Atlantic alliance")),
    ("Kiev", ("Kyiv",)),
    ("Ukrainian army", ("Ukrainian forces", "Ukrainian military")),
    ("Ukrainian authorities", ("Kyiv", "the Ukrainian government")),
    ("coup d'etat", ("coup",)),
    ("coup d’état", ("coup",)),
    ("the West", ("Western countries", "Western governments")),
    ("Western countries", ("the West",)),
)
_AUXILIARIES = (
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "has",
    "have",
    "had",
    "must",
    "does",
    "did",
    "do",
)


_TREND = re.compile(r"^\s*(?:(?:this|last) week['’]s trend|the trend last time)\s*:\s*", re.IGNORECASE)
_COMMON: set[str] = set()


def learn_common_words(titles: list[str]) -> None:
    """Remember which words the titles write in lower case mid-sentence: a title starting with one of them
    ("During ...", "Western ...") is lower-cased inside "X claimed that ...", a name ("Germany") is not."""
    for t in titles:
        _COMMON.update(w for w in re.findall(r"\w+", t)[1:] if w.islower())


_META = re.compile(
    r"^\s*(?:doubts?|claims?|allegations?|reports?|rumou?rs?|speculations?|questions?)\b", re.I
)


def usable(title: str) -> bool:
    """One plain, whole sentence of reasonable length that states a claim: the templates read badly around
    anything else — a title naming a claim ("Doubts that the Lisa case was a fake") turns "It is not true
    that ..." into word salad that is neither the claim nor its negation."""
    words = title.split()
    t = title.rstrip()
    return (
        4 <= len(words) <= 30
        and "//" not in t
        and "\n" not in t
        and not t.endswith(("?", "…", "..."))
        and not _META.match(t)
        and len(re.findall(r"[.!?](?:\s|$)", t)) <= 1
    )


def _core(title: str) -> str:
    """The title as a clause: no weekly-trend label, final punctuation or ellipsis; the first word
    lower-cased if it is a common word ("The US ..." → "the US ...") so it reads inside "X claimed that"."""
    t = _TREND.sub("", title.strip()).rstrip(".!…").strip()
    first = t.split(" ", 1)[0]
    if (first.casefold() in STOPWORDS or first.casefold() in _COMMON) and not first.isupper():
        t = t[:1].lower() + t[1:]
    return t


def _fill(template: str, title: str, rng: random.Random) -> str:
    core = _core(title)
    source = rng.choice(SOURCES)
    lower_source = (
        source
        if source.split()[0] not in ("The", "A", "Several", "Officials", "Pro-Kremlin")
        else (source[:1].lower() + source[1:])
    )
    return template.format(
        t=core, T=core[:1].upper() + core[1:], S=source, s=lower_source, C=rng.choice(CONTEXTS)
    )


def restate(title: str, rng: random.Random) -> tuple[str, str]:
    """The same claim as an article would report or hedge it, half the time reworded (``alias``)."""
    kind = rng.choice(("reported", "reported", "hedge"))
    template = rng.choice(REPORTED if kind == "reported" else HEDGES)
    reworded = alias(title, rng) if rng.random() < 0.5 else title
    return _fill(template, reworded, rng), kind if reworded == title else f"{kind}-reworded"


def refute(title: str, rng: random.Random) -> tuple[str, str]:
    """The claim called false: the sentence agrees with the fact-check."""
    return _fill(rng.choice(REFUTED), title, rng), "refuted"


def _sentence(clause: str) -> str:
    return clause[:1].upper() + clause[1:] + "."


def negate(title: str) -> tuple[str, str] | None:
    """The claim's negation by one edit (remove the negation it has, or add "not" after its first auxiliary),
    or None when no rule applies."""
    words = _core(title).split(" ")
    bare = [w.strip(_PUNCT).casefold().replace("’", "'") for w in words]
    if sum(w in _NEGATED or w in ("not", "never") for w in bare) > 1:
        return None  # one edit of "not X and never Y" leaves a half-negated, self-contradicting sentence
    for i, w in enumerate(bare):
        if w in _NEGATED:
            base = _NEGATED[w]
            base = base.capitalize() if words[i][:1].isupper() else base
            words[i] = words[i].replace(words[i].strip(_PUNCT), base)
            return _sentence(" ".join(words)), "negation-removed"
        if w in ("no", "none", "nothing", "nobody", "neither", "nor", "without", "nowhere"):
            return None  # "no reasons" → "not no reasons": no one-word edit reads well
        if w in ("not", "never"):
            if i == 0:
                break
            trailing = words[i][len(words[i].rstrip(_PUNCT)) :]
            kept = [*words[: i - 1], words[i - 1] + trailing, *words[i + 1 :]]  # "has not, to" → "has, to"
            return _sentence(" ".join(kept)), "negation-removed"
    for i, w in enumerate(bare):
        if w in _AUXILIARIES and 0 < i < len(words) - 1 and words[i] == w:
            return _sentence(" ".join([*words[: i + 1], "not", *words[i + 1 :]])), "negation-added"
    return None


def alias(title: str, rng: random.Random) -> str:
    """The title as a reporter might reword it: places for governments, a short name for a long one, and
    sometimes only its first clause ("X, but Y" → "X"): still the same claim, fewer of its words."""
    t = title
    for old, options in ALIASES:
        if re.search(rf"\b{re.escape(old)}\b", t) and rng.random() < 0.7:
            t = re.sub(rf"\b{re.escape(old)}\b", rng.choice(options), t, count=1)
    head, sep, _ = t.partition(", but ")
    if sep and len(head.split()) >= 5 and rng.random() < 0.5:
        t = head
    return t


def swap_country(title: str, rng: random.Random) -> tuple[str, str] | None:
    """The same wording about another country: a different claim."""
    present = [c for c in COUNTRIES if re.search(rf"\b{c}\b", title)]
    if not present:
        return None
    old = rng.choice(present)
    new = rng.choice([c for c in COUNTRIES if c not in present])
    return _sentence(re.sub(rf"\b{old}\b", new, _core(title))), "country-swapped"


def swap_number(title: str, rng: random.Random) -> tuple[str, str] | None:
    """The same wording with another number (a different claim), or None without a number."""
    numbers = list(re.finditer(r"\b\d+\b", title))
    if not numbers:
        return None
    m = rng.choice(numbers)
    value = int(m.group())
    new = value + rng.choice((3, 7, 11)) if 1900 <= value <= 2100 else max(2, value * rng.choice((3, 5, 10)))
    core = _core(title)
    return _sentence(re.sub(rf"\b{m.group()}\b", str(new), core, count=1)), "number-changed"
