"""The claims an analysis shows: ranked and cut by --claims, a verified match always shown, the vectors
computed once for ranking and matching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from unspin.analysis import Claim
from unspin.claims.stage import ClaimsStage
from unspin.encoder.config import default_model_dir
from unspin.options import RunOptions

TEXTS = [
    "The army fired 40 rockets at the city on Monday, officials said.",
    "What a shameful and cowardly thing to do to ordinary people.",
    "The ministry said 1,200 homes were without power on Tuesday.",
    "I think we all deserve better than this.",
]


def candidates() -> list[Claim]:
    out, pos = [], 0
    for i, t in enumerate(TEXTS):
        out.append(Claim(start=pos, end=pos + len(t), text=t, sentence=i, score=0.5))
        pos += len(t) + 1
    return out


class Counting:
    """A stand-in similarity encoder: counts how often it is asked, with the bundled model's name."""

    def __init__(self, real: Any) -> None:
        self.real, self.name, self.calls = real, real.name, 0

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        self.calls += 1
        return self.real.encode(texts, batch)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def encoder() -> Any:
    from unspin.encoder.similarity import SentenceEncoder, similarity_model_available

    if not similarity_model_available():
        pytest.skip("no similarity model")
    return SentenceEncoder(options=RunOptions(precision="f32"))


def stage(mode: str, encoder: Any) -> ClaimsStage:
    return ClaimsStage(default_model_dir(), RunOptions(claims=mode), None, encoder=encoder)


def test_the_default_cut_keeps_the_checkable_ones(encoder: Any) -> None:
    shown, info = stage("top", encoder)(candidates())
    assert info is None  # matching off: nothing searched
    texts = [c.text for c in shown]
    assert TEXTS[0] in texts and TEXTS[2] in texts  # numbers, officials, dates: checkable
    assert TEXTS[3] not in texts  # an opinion in the first person is not
    assert [c.start for c in shown] == sorted(c.start for c in shown)  # text order


def test_modes_all_and_n(encoder: Any) -> None:
    assert len(stage("all", encoder)(candidates())[0]) == 4
    best = stage("1", encoder)(candidates())[0]
    assert len(best) == 1 and best[0].text in (TEXTS[0], TEXTS[2])
    assert stage("0", encoder)(candidates())[0] == []
    with pytest.raises(ValueError):
        RunOptions(claims="some")


def test_vectors_are_computed_once_for_ranking_and_matching(encoder: Any, tmp_path: Path) -> None:
    from unspin.claims.bundle import load_bundled
    from unspin.claims.known import KnownClaims
    from unspin.claims.records import upsert_claims
    from unspin.store.db import Database

    db = Database(tmp_path / "k.db")
    upsert_claims(db.conn(), load_bundled()[:50])
    counting = Counting(encoder)
    known = KnownClaims(db, encoder=counting)
    known.size()  # the matcher embeds the known claims first (one call of its own)
    counting.calls = 0
    _, info = ClaimsStage(default_model_dir(), RunOptions(), known)(candidates())
    assert counting.calls == 1  # one batch: the ranking and the matching share it (no clause here matches)
    assert info is not None and info.claims == 50


def test_clauses_of_a_long_sentence() -> None:
    from unspin.claims.matcher import clauses

    two = clauses(
        "The conflict was triggered by NATO's eastward expansion, which threatens Russia's security interests."
    )
    assert two == [
        "The conflict was triggered by NATO's eastward expansion",
        "threatens Russia's security interests",
    ]
    # a clause of a few words is no claim of its own
    assert clauses("The conflict was triggered by NATO's eastward expansion, which threatens Russia.") == []
    assert clauses("The war is over, he said.") == []  # one claim: nothing to split
    assert clauses("Officials said the bridge will reopen in April; repairs cost two billion roubles.") == [
        "Officials said the bridge will reopen in April",
        "repairs cost two billion roubles",
    ]
