"""Lexical signals that tell a restatement of a claim from its inversion or from a neighbouring claim.

Sentence embeddings place "The Russian army doesn't deliberately target civilians" and "Russia's assault
specifically targets civilians" close together: they share a topic and most words. What separates them is
small and lexical: a negation on one side only, a refutation word ("false", "no evidence", "миф"), an
antonym pair, a number or a name that differs ("relations with Japan are tense" vs a claim about Poland).
``contrast_features`` measures those for aligned (sentence, claim) pairs; the verifier
(``claims/verify.py``) learns how much each weighs next to the embeddings.

Words are compared by a crude prefix stem (first five characters) so that inflection does not read as a
difference in English or in Russian; the word lists cover English and Russian (the project's languages)
plus the commonest negations of the other SemEval languages, so a multilingual encoder can reuse the
features without new code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from unspin.claims.normalize import SENTENCE_START_WORDS

_WORD = re.compile(r"\w+(?:['’]\w+)?")
SCOPE = 2  # words after a negation that it is taken to govern ("doesn't deliberately target")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STEM = 5

# Whole-word negations (lower case). "n't" contractions are counted separately.
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "nowhere",
        "не",
        "нет",
        "ни",
        "никогда",
        "ничего",
        "никто",
        "нигде",
        "ничто",
        "нисколько",
        "без",
        "ні",
        "ніколи",
        "нічого",
        "ніхто",
        "немає",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keiner",
        "nie",
        "niemals",
        "ohne",
        "pas",
        "jamais",
        "aucun",
        "aucune",
        "sans",
        "nie",
        "żaden",
        "żadna",
        "bez",
        "nigdy",
        "non",
        "mai",
        "nessuno",
        "senza",
        "não",
        "nunca",
        "nenhum",
        "nenhuma",
        "sem",
        "няма",
        "никога",
    ]
)
# Negation words that do not negate in these pairs: "nothing but a fraud" (= only a fraud), "no doubt that".
# ("not only" is left a negation: "X is not only Y" does contradict "X is only Y".)
NOT_NEGATIONS = frozenset({("nothing", "but"), ("no", "doubt"), ("ничего", "кроме"), ("нет", "сомнений")})
# Stems of words that call what follows false (the article refutes, rather than repeats, the claim).
REFUTATION_STEMS = frozenset(
    [
        "false",
        "falsely",
        "untrue",
        "myth",
        "myths",
        "fake",
        "fakes",
        "hoax",
        "debunked",
        "disproved",
        "refuted",
        "baseless",
        "unfounded",
        "unsubstantiated",
        "fabricated",
        "fabrication",
        "lie",
        "lies",
        "lied",
        "lying",
        "disinformation",
        "misinformation",
        "propaganda",
        "conspiracy",
        "misleading",
        "bogus",
        "wrongly",
        "erroneously",
        "rebutted",
        "ложь",
        "ложно",
        "ложный",
        "фейк",
        "фейки",
        "миф",
        "мифы",
        "неправда",
        "дезинформация",
        "пропаганда",
        "опроверг",
        "опровергли",
        "сфабрикованный",
        "безосновательно",
        "вымысел",
        "выдумка",
        "брехня",
        "клевета",
    ]
)
REFUTATION_PHRASES = (
    "no evidence",
    "no proof",
    "not true",
    "in fact",
    "in reality",
    "contrary to",
    "no basis",
    "groundless",
    "нет доказательств",
    "на самом деле",
    "не соответствует действительности",
    "вопреки",
    "не является правдой",
)
# Reported speech and hedges: the article restates someone's claim (still the same claim).
REPORTING_STEMS = frozenset(
    [
        "claim",
        "claims",
        "claimed",
        "said",
        "says",
        "say",
        "according",
        "allege",
        "alleged",
        "allegedly",
        "asserted",
        "reported",
        "insists",
        "suggested",
        "believes",
        "argued",
        "maintains",
        "repeated",
        "quoted",
        "told",
        "wrote",
        "accused",
        "perhaps",
        "maybe",
        "possibly",
        "apparently",
        "reportedly",
        "заявил",
        "заявила",
        "заявили",
        "утверждает",
        "утверждают",
        "сообщил",
        "сообщает",
        "считает",
        "говорит",
        "якобы",
        "будто",
        "возможно",
        "полагает",
    ]
)
# Antonym pairs: one side in the sentence and the other in the claim flips its meaning.
_ANTONYM_WORDS = (
    (
        "increase increased increases rise rises rose risen grow grew growth more higher up",
        "decrease decreased decreases fall falls fell fallen shrink decline declined less fewer lower down",
    ),
    ("win wins won winning victory", "lose loses lost losing defeat defeated"),
    ("success successful succeeded", "failure fail fails failed"),
    ("legal lawful legitimate", "illegal unlawful illegitimate"),
    ("true truth real", "false untrue fake"),
    ("support supports supported favour favor", "oppose opposes opposed against"),
    ("ally allies alliance friend friends friendly partner partners", "enemy enemies adversary hostile foe"),
    ("strong stronger", "weak weaker"),
    ("accept accepted approve approved agree agreed", "reject rejected disagree refuse refused"),
    ("allow allowed permit permitted", "ban bans banned forbid forbidden prohibit prohibited"),
    ("deliberately deliberate purposely", "accidentally accidental unintentionally mistakenly"),
    ("voluntarily voluntary", "forcibly coerced compelled"),
    ("guilty", "innocent"),
    ("confirm confirmed confirms", "deny denied denies denial"),
    ("peaceful", "aggressive"),
    ("safe safety", "dangerous unsafe"),
    ("rich wealthy", "poor poverty"),
    ("open opened", "closed close shut"),
    ("join joined joining", "leave left leaving exit"),
    # The framing contrast at the heart of many debunked Crimea claims: "joined"/"returned" vs "annexed".
    (
        "joined return returned reunification reunited accession",
        "annexed annexation annexing occupied occupation",
    ),
    ("lift lifted ease eased", "impose imposed tighten tightened"),
    ("democracy democratic", "dictatorship authoritarian"),
    ("independent sovereign", "dependent puppet occupied"),
    (
        "рост вырос выросла увеличился увеличилось повысился",
        "падение снижение снизился уменьшился сократился упал",
    ),
    ("победа победил выиграл", "поражение проиграл"),
    ("законный законно легитимный", "незаконный незаконно нелегитимный"),
    ("союзник союзники дружественный партнер", "враг враги враждебный"),
    ("добровольно добровольный", "принудительно насильно"),
    ("сильный сильная", "слабый слабая"),
    ("правда истина", "ложь ложно фейк"),
    ("мирный мирная", "агрессивный агрессия"),
    ("виновен виновна", "невиновен невиновна"),
    (
        "присоединение присоединился присоединилась воссоединение вернулся вернулась возвращение",
        "аннексия аннексировала аннексировал оккупация",
    ),
)
# Frequent words left out of overlap (their stems), so that overlap measures content.
STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "their",
        "there",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "not",
        "no",
        "so",
        "than",
        "then",
        "also",
        "about",
        "into",
        "over",
        "after",
        "before",
        "under",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "such",
        "only",
        "just",
        "very",
        "more",
        "most",
        "other",
        "own",
        "same",
        "too",
        "s",
        "t",
        "и",
        "в",
        "во",
        "на",
        "с",
        "со",
        "по",
        "к",
        "ко",
        "о",
        "об",
        "от",
        "до",
        "из",
        "за",
        "у",
        "же",
        "ли",
        "бы",
        "что",
        "как",
        "это",
        "то",
        "так",
        "но",
        "а",
        "или",
        "не",
        "да",
        "для",
        "при",
        "под",
        "над",
        "его",
        "ее",
        "её",
        "их",
        "он",
        "она",
        "они",
        "мы",
        "вы",
        "я",
        "был",
        "была",
        "были",
        "быть",
        "есть",
    ]
)
_CAPITAL_STOP = SENTENCE_START_WORDS | {"before", "according", "however"}

FEATURE_NAMES: tuple[str, ...] = (
    "cosine",
    "jaccard",
    "claim_covered",
    "sentence_covered",
    "negation_diff",
    "negation_mismatch",
    "negation_mismatch_x_covered",
    "scoped_negation_conflicts",
    "scoped_negation_x_covered",
    "refutation_diff",
    "refutation_x_covered",
    "reporting",
    "antonym_conflicts",
    "antonym_x_covered",
    "claim_numbers_missing",
    "sentence_numbers_extra",
    "number_conflict",
    "claim_names_missing",
    "sentence_names_extra",
    "names_missing_x_cosine",
    "claim_names_missing_count",
    "sentence_names_extra_count",
    "claim_numbers_missing_count",
    "length_ratio",
)


def stem(word: str) -> str:
    return word[:STEM]


def _stems(words: frozenset[str] | str) -> frozenset[str]:
    return frozenset(stem(w) for w in (words.split() if isinstance(words, str) else words))


_REFUTATION = _stems(REFUTATION_STEMS)
_REPORTING = _stems(REPORTING_STEMS)
ANTONYMS = tuple((_stems(a), _stems(b)) for a, b in _ANTONYM_WORDS)
# stem → bits of the antonym sides it belongs to (pair k: bit 2k left, bit 2k + 1 right), so that a text's
# sides are one dictionary lookup per word and a pair's conflicts a few integer operations.
_SIDE_BITS: dict[str, int] = {}
for _k, (_left, _right) in enumerate(ANTONYMS):
    for _s in _left:
        _SIDE_BITS[_s] = _SIDE_BITS.get(_s, 0) | 1 << (2 * _k)
    for _s in _right:
        _SIDE_BITS[_s] = _SIDE_BITS.get(_s, 0) | 1 << (2 * _k + 1)
_LEFT_BITS = sum(1 << (2 * k) for k in range(len(ANTONYMS)))
_REFUTATION_PHRASE = re.compile("|".join(re.escape(p) for p in REFUTATION_PHRASES))


@dataclass(frozen=True)
class TextSignals:
    """What one text contributes to the pair features; computed once per text."""

    stems: frozenset[str]
    content: frozenset[str]
    negations: int
    negated: frozenset[str]  # stems of the content words a negation governs (the next two words)
    refutations: int
    reporting: bool
    numbers: frozenset[str]
    names: frozenset[str]
    length: int
    sides: int  # antonym sides present (see _SIDE_BITS)


def _count(stems: Sequence[str], vocabulary: frozenset[str]) -> int:
    return sum(1 for s in stems if s in vocabulary)


@lru_cache(maxsize=4096)
def signals(text: str) -> TextSignals:
    """Token-level signals of one text (cached: a known claim recurs across an article's sentences)."""
    raw = _WORD.findall(text.replace("’", "'"))
    lower = [w.casefold() for w in raw]
    stems = [w[:STEM] for w in lower]
    folded = text.casefold()
    is_negation = [
        (w in NEGATIONS or w.endswith("n't"))
        and (i + 1 == len(lower) or (w, lower[i + 1]) not in NOT_NEGATIONS)
        for i, w in enumerate(lower)
    ]
    negations = sum(is_negation)
    negated = (
        frozenset(
            stems[j]
            for i, neg in enumerate(is_negation)
            if neg
            for j in range(i + 1, min(i + 1 + SCOPE, len(lower)))
            if lower[j] not in STOPWORDS and not is_negation[j]
        )
        if negations
        else frozenset()
    )
    refutations = _count(stems, _REFUTATION) + len(_REFUTATION_PHRASE.findall(folded))
    sides = 0
    for st in stems:
        sides |= _SIDE_BITS.get(st, 0)
    names = {
        st
        for i, (w, lw, st) in enumerate(zip(raw, lower, stems, strict=True))
        if w[0].isupper() and lw not in _CAPITAL_STOP and (i > 0 or lw not in STOPWORDS)
    }
    numbers = frozenset(n.replace(",", "") for n in _NUMBER.findall(text))
    return TextSignals(
        stems=frozenset(stems),
        content=frozenset(
            st for st, w in zip(stems, lower, strict=True) if w not in STOPWORDS and not w.isdigit()
        ),
        negations=negations,
        negated=negated,
        refutations=refutations,
        reporting=_count(stems, _REPORTING) > 0,
        numbers=numbers,
        names=frozenset(names),
        length=len(raw),
        sides=sides,
    )


def _antonym_conflicts(a: int, b: int) -> int:
    """Antonym pairs with one side only in text ``a`` and the other only in ``b`` (or the reverse), from
    the texts' side bits."""
    la, ra = a & _LEFT_BITS, (a >> 1) & _LEFT_BITS
    lb, rb = b & _LEFT_BITS, (b >> 1) & _LEFT_BITS
    return ((la & rb & ~ra & ~lb) | (ra & lb & ~la & ~rb)).bit_count()


def pair_contrast(sentence: TextSignals, claim: TextSignals, cosine: float) -> list[float]:
    """The FEATURE_NAMES values of one pair, in order."""
    union = sentence.content | claim.content
    shared = sentence.content & claim.content
    jaccard = len(shared) / len(union) if union else 0.0
    covered = len(claim.content & sentence.stems) / len(claim.content) if claim.content else 0.0
    s_covered = len(sentence.content & claim.stems) / len(sentence.content) if sentence.content else 0.0
    neg_diff = float(max(-2, min(2, sentence.negations - claim.negations)))
    mismatch = float((sentence.negations > 0) != (claim.negations > 0))
    # A word negated on one side and present without its negation on the other: "not objective; not
    # professional" vs "objective; not professional" — presence alone sees a negation on both sides.
    scoped = float(
        min(
            len((claim.negated & sentence.stems) - sentence.negated)
            + len((sentence.negated & claim.stems) - claim.negated),
            3,
        )
    )
    refute = float(min(sentence.refutations, 2) - min(claim.refutations, 2))
    antonyms = float(min(_antonym_conflicts(sentence.sides, claim.sides), 2))
    nums_missing = len(claim.numbers - sentence.numbers) / len(claim.numbers) if claim.numbers else 0.0
    nums_extra = len(sentence.numbers - claim.numbers) / len(sentence.numbers) if sentence.numbers else 0.0
    num_conflict = float(bool(claim.numbers and sentence.numbers and not (claim.numbers & sentence.numbers)))
    # Counts as well as fractions: one country swapped among five names is a small fraction but another claim.
    n_names_missing = len(claim.names - sentence.stems)
    n_names_extra = len(sentence.names - claim.stems)
    names_missing = n_names_missing / len(claim.names) if claim.names else 0.0
    names_extra = n_names_extra / len(sentence.names) if sentence.names else 0.0
    ratio = float(np.log((sentence.length + 1) / (claim.length + 1)))
    return [
        cosine,
        jaccard,
        covered,
        s_covered,
        neg_diff,
        mismatch,
        mismatch * covered,
        scoped,
        scoped * covered,
        refute,
        max(refute, 0.0) * covered,
        float(sentence.reporting),
        antonyms,
        antonyms * covered,
        nums_missing,
        nums_extra,
        num_conflict,
        names_missing,
        names_extra,
        names_missing * cosine,
        float(min(n_names_missing, 3)),
        float(min(n_names_extra, 3)),
        float(min(len(claim.numbers - sentence.numbers), 3)),
        ratio,
    ]


def contrast_features(sentences: Sequence[str], claims: Sequence[str], cosines: np.ndarray) -> np.ndarray:
    """[n, len(FEATURE_NAMES)] float32 for aligned pairs (``sentences[i]``, ``claims[i]``)."""
    if len(sentences) != len(claims) or len(sentences) != len(cosines):
        raise ValueError("sentences, claims and cosines must be aligned")
    rows = [
        pair_contrast(signals(s), signals(c), float(cos))
        for s, c, cos in zip(sentences, claims, cosines, strict=True)
    ]
    return np.asarray(rows, np.float32).reshape(len(rows), len(FEATURE_NAMES))
