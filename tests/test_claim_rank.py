"""Claim ranking and the ``--claims top|all|N`` cut (``claims/rank.py``), and the news set it is measured on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from unspin.claims.rank import CUE_NAMES, RANK_FILE, ClaimRanker, cues, parse_mode
from unspin.evaluate.checkworthy import load_news

C = {name: i for i, name in enumerate(CUE_NAMES)}


def test_cues_read_surface_signals() -> None:
    fact = cues("Russian forces fired 36 missiles on Thursday, officials said.")
    assert fact[C["digits"]] > 0 and fact[C["date"]] == 1.0 and fact[C["reporting"]] == 1.0
    assert cues("What else are they hiding?")[C["question"]] == 1.0
    assert cues("I think we will win.")[C["first_person"]] == 1.0
    assert cues("Я думаю, что мы победим.")[C["opinion"]] == 1.0  # Russian cues as well
    assert cues("28 января, Минск /Корр.")[C["date"]] == 1.0
    assert cues("DAILY")[C["short"]] == 1.0


def ranker(threshold: float = 0.5, min_top: int = 1) -> ClaimRanker:
    w = np.zeros(2 + len(CUE_NAMES))
    w[0] = 1.0  # the probe's logit alone: scores() returns the probe's own scores
    return ClaimRanker("toy@1", np.zeros(4), 0.0, w, 0.0, threshold, min_top)


def test_scores_and_cuts() -> None:
    r = ranker(0.6)
    probe = np.array([0.2, 0.9, 0.65, 0.4])
    s = r.scores(probe, ["a b c d e"] * 4, np.zeros((4, 4)))
    np.testing.assert_allclose(s, probe, atol=1e-5)
    with pytest.raises(ValueError):
        r.scores(probe, ["a b c d e"] * 4, np.zeros((4, 3)))  # another embedder's vectors
    assert r.select(s, "top") == [1, 2]
    assert r.select(s, "all") == [1, 2, 3, 0]
    assert r.select(s, 3) == [1, 2, 3]
    assert r.select(s, "2") == [1, 2]
    # Nothing clears the cut: the best sentence is still shown (an article never lists no claim at all).
    assert ranker(0.95).select(s, "top") == [1]
    assert ranker(0.95, min_top=0).select(s, "top") == []
    assert r.select(np.zeros(0), "top") == []


def test_parse_mode() -> None:
    assert parse_mode("top") == "top" and parse_mode("ALL") == "all" and parse_mode("5") == 5
    with pytest.raises(ValueError):
        parse_mode("-3")
    with pytest.raises(ValueError):
        parse_mode("most")


def test_save_and_load(tmp_path: Path) -> None:
    r = ranker(0.7)
    r.save(tmp_path / RANK_FILE, {"metrics": {"x": 1}})
    back = ClaimRanker.load(tmp_path / RANK_FILE)
    assert back.threshold == 0.7 and back.info == {"metrics": {"x": 1}}
    np.testing.assert_allclose(back.weight, r.weight)
    assert back.accepts("toy@1") and not back.accepts("other@1")


def test_vector_probe_moves_the_score() -> None:
    w = np.zeros(2 + len(CUE_NAMES))
    w[1] = 1.0  # the vector probe's logit alone
    r = ClaimRanker("toy@1", np.array([2.0, 0.0]), 0.0, w, 0.0, 0.5)
    s = r.scores(np.array([0.5, 0.5]), ["x y z w v"] * 2, np.array([[1.0, 0.0], [-1.0, 0.0]]))
    assert s[0] > 0.8 and s[1] < 0.2


def test_news_set_size_and_sources() -> None:
    rows = load_news()
    assert len(rows) >= 300
    assert len({r.article for r in rows}) >= 15
    sources = (
        Path(__file__).resolve().parents[1] / "src" / "unspin" / "evaluate" / "data" / "news_sources.tsv"
    )
    langs = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in sources.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "article\t"))
    }
    assert {r.article for r in rows} <= set(langs)
    counts = Counter(langs[r.article] for r in rows)
    assert counts["English"] >= 100 and counts["Russian"] >= 50
    # Pages keep only their sentences, one per line: the offsets must point into that text.
    pages: dict[str, list[tuple[int, int, str]]] = {}
    for r in rows:
        if r.article.startswith("web:"):
            pages.setdefault(r.article, []).append((r.start, r.end, r.text))
    for article, sentences in pages.items():
        text = "\n".join(t for _, _, t in sorted(sentences))
        for start, end, t in sentences:
            assert text[start:end] == t, article


def test_the_shipped_ranking_loads() -> None:
    from unspin.encoder.config import default_model_dir

    path = default_model_dir() / RANK_FILE
    if not path.exists():
        pytest.skip("no claim_rank.json beside the bundled model")
    r = ClaimRanker.load(path)
    from unspin.encoder.similarity import SentenceEncoder

    # It reads the shipped similarity model's vectors (a new similarity model means refitting it).
    assert 0.0 < r.threshold < 1.0 and r.accepts(SentenceEncoder().name)
    assert len(r.vector_weight) == 384 and len(r.weight) == 2 + len(CUE_NAMES)
