"""Rank an article's sentences by check-worthiness and cut the list where a fact-checker would stop.

The claim-spotting probe (``heads/claims.py``) scores each sentence from the shared encoder's states. Trained
on debate transcripts, it flags most news sentences; a fact-checker wants the few worth checking first. This
module re-scores each candidate sentence with two more readings — a linear probe over its sentence vector
(the similarity embedder's, which known-claim matching computes anyway) and a handful of surface cues:
digits and amounts, dates, names, reported speech, first-person and modal wording, quotes, questions — in a
small logistic model (``ClaimRanker.scores``), ranks by that score and applies the CLI's ``--claims`` choice:

- ``top`` (the default): the sentences whose score reaches ``threshold`` — the cut chosen on data that is
  not reported (see ``evaluate/rank.py``), and at least ``min_top`` of the best when some sentence is a
  candidate at all, so an article never shows nothing;
- ``all``: every candidate sentence, ranked;
- ``N``: the N best.

Pure numpy over what the caller already has (probe scores, sentence vectors and texts); weights and the cut
come from a JSON file made by ``python -m unspin.train.claim_rank``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.claims.normalize import SENTENCE_START_WORDS

RANK_FILE = "claim_rank.json"

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(
    r"[%$€£₽]|\b(?:percent|per cent|million|billion|trillion|thousand|процент\w*|млн|млрд|тыс)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|"
    r"ноябр\w*|декабр\w*|понедельник\w*|вторник\w*|сред[ау]|четверг\w*|пятниц\w*|суббот\w*|"
    r"воскресень\w*|вчера|сегодня)\b|\b(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“”«»„]")
FIRST_PERSON = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "я",
        "меня",
        "мне",
        "мой",
        "моя",
        "мои",
        "мы",
        "нас",
        "нам",
        "наш",
        "наша",
        "наши",
    ]
)
SECOND_PERSON = frozenset(
    ["you", "your", "yours", "вы", "вас", "вам", "ваш", "ваша", "ваши", "ты", "тебя", "тебе"]
)
MODAL = frozenset(
    [
        "will",
        "would",
        "should",
        "could",
        "might",
        "must",
        "may",
        "can",
        "shall",
        "won't",
        "wouldn't",
        "shouldn't",
        "cannot",
        "can't",
        "будет",
        "будут",
        "буду",
        "станет",
        "может",
        "могут",
        "можно",
        "должен",
        "должна",
        "должны",
        "нужно",
        "надо",
        "следует",
        "стоит",
    ]
)
OPINION = frozenset(
    [
        "think",
        "believe",
        "feel",
        "hope",
        "wish",
        "want",
        "guess",
        "suppose",
        "seems",
        "seem",
        "apparently",
        "obviously",
        "clearly",
        "surely",
        "думаю",
        "считаю",
        "полагаю",
        "надеюсь",
        "уверен",
        "уверена",
        "кажется",
        "очевидно",
        "конечно",
    ]
)
REPORTING = frozenset(
    [
        "said",
        "says",
        "told",
        "tells",
        "reported",
        "reports",
        "according",
        "announced",
        "stated",
        "claimed",
        "added",
        "wrote",
        "confirmed",
        "denied",
        "заявил",
        "заявила",
        "заявили",
        "сообщил",
        "сообщила",
        "сообщили",
        "сообщает",
        "отметил",
        "отметила",
        "подчеркнул",
        "добавил",
        "словам",
        "передает",
    ]
)
_NAME_STOP = SENTENCE_START_WORDS

CUE_NAMES: tuple[str, ...] = (
    "digits",
    "amount",
    "date",
    "names",
    "log_words",
    "first_person",
    "second_person",
    "modal",
    "opinion",
    "reporting",
    "quote",
    "question",
    "exclamation",
    "short",
)


def cues(sentence: str) -> list[float]:
    """The CUE_NAMES values of one sentence."""
    words = _WORD.findall(sentence)
    lower = [w.casefold() for w in words]
    n = max(1, len(words))
    names = sum(
        1
        for i, w in enumerate(words)
        if i > 0 and w[:1].isupper() and not w.isdigit() and lower[i] not in _NAME_STOP
    )
    stripped = sentence.strip().rstrip("\"'”’»)")
    return [
        float(min(len(_DIGIT.findall(sentence)), 8)) / 8,
        float(bool(_AMOUNT.search(sentence))),
        float(bool(_DATE.search(sentence))),
        min(names / n, 0.5),
        math.log(n),
        float(any(w in FIRST_PERSON for w in lower)),
        float(any(w in SECOND_PERSON for w in lower)),
        float(any(w in MODAL for w in lower)),
        float(any(w in OPINION for w in lower)),
        float(any(w in REPORTING for w in lower)),
        float(bool(_QUOTE.search(sentence))),
        float(stripped.endswith("?")),
        float(stripped.endswith("!")),
        float(len(words) < 5),
    ]


def cue_matrix(sentences: Sequence[str]) -> np.ndarray:
    return np.asarray([cues(s) for s in sentences], np.float32).reshape(len(sentences), len(CUE_NAMES))


def logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


@dataclass(frozen=True)
class ClaimRanker:
    """Check-worthiness from three readings of a sentence, combined by a small logistic model:
    the claim-spotting probe's score (shared encoder states), a linear probe over the sentence's vector from
    the similarity embedder (the one known-claim matching embeds the sentence with anyway), and the cues."""

    embedder: str  # the sentence embedder ``vector_weight`` reads (``Embedder.name``)
    vector_weight: np.ndarray  # [dim]
    vector_bias: float
    weight: np.ndarray  # [2 + len(CUE_NAMES)]: probe logit, vector logit, then the cues
    bias: float
    threshold: float  # the default cut ("top")
    min_top: int = 1
    info: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path) -> ClaimRanker:
        config = json.loads(path.read_text(encoding="utf-8"))
        if tuple(config["cues"]) != CUE_NAMES:
            raise ValueError(f"{path}: fitted on other cues; refit with python -m unspin.train.claim_rank")
        return cls(
            str(config["embedder"]),
            np.asarray(config["vector_weight"], np.float64),
            float(config["vector_bias"]),
            np.asarray(config["weight"], np.float64),
            float(config["bias"]),
            float(config["threshold"]),
            int(config.get("min_top", 1)),
            {k: v for k, v in config.items() if k in ("metrics", "fitted_on")},
        )

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        config = {
            "cues": list(CUE_NAMES),
            "embedder": self.embedder,
            "weight": [round(float(w), 6) for w in self.weight],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "min_top": self.min_top,
            **(extra or {}),
            "vector_bias": round(self.vector_bias, 6),
            "vector_weight": [round(float(w), 6) for w in self.vector_weight],
        }
        path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def accepts(self, embedder_name: str) -> bool:
        return embedder_name == self.embedder

    def inputs(self, probe_scores: np.ndarray, sentences: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """[n, 2 + len(CUE_NAMES)]: what ``weight`` reads."""
        v = np.asarray(vectors, np.float64)
        if v.shape != (len(sentences), len(self.vector_weight)):
            raise ValueError(f"expected sentence vectors [{len(sentences)}, {len(self.vector_weight)}]")
        vector_logit = v @ self.vector_weight + self.vector_bias
        return np.concatenate(
            [logit(probe_scores)[:, None], vector_logit[:, None], cue_matrix(sentences).astype(np.float64)],
            axis=1,
        )

    def scores(self, probe_scores: np.ndarray, sentences: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Check-worthiness in [0, 1] per sentence."""
        if len(sentences) == 0:
            return np.zeros(0, np.float32)
        z = self.inputs(probe_scores, sentences, vectors) @ self.weight + self.bias
        out: np.ndarray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out

    def select(self, scores: np.ndarray, mode: str | int = "top") -> list[int]:
        """Indices of the sentences to show, best first: ``top`` (the default cut), ``all``, or N best."""
        order = [int(i) for i in np.argsort(-np.asarray(scores), kind="stable")]
        if mode == "all":
            return order
        if mode == "top":
            kept = [i for i in order if scores[i] >= self.threshold]
            return kept if len(kept) >= self.min_top else order[: self.min_top]
        n = parse_mode(str(mode))
        if not isinstance(n, int):
            raise ValueError(f"unknown --claims value {mode!r}")
        return order[: max(0, n)]


def parse_mode(value: str) -> str | int:
    """``--claims top|all|N`` → "top", "all" or N (N ≥ 0)."""
    v = value.strip().lower()
    if v in ("top", "all"):
        return v
    if v.isdigit():
        return int(v)
    raise ValueError(f"--claims takes top, all or a number, not {value!r}")
